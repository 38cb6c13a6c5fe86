import { test, type APIRequestContext, type BrowserContext } from "@playwright/test";
import { e2eScriptEnv, expect, screenshot, signInThroughApi, STRIPE_EVENT_TIMEOUT, toast } from "./fixtures";

// A clinic of this file's own (e2e/create-clinic.ts): its card attempts and alert rules are its
// own, whatever the specs paying into the demo clinic do at the same time.
test.describe.configure({ mode: "serial" });

type Clinic = { slug: string; adminEmail: string; password: string; apiKey: string };
let clinic: Clinic;
let api: APIRequestContext;
let staff: BrowserContext;

test.beforeAll(async ({ playwright, baseURL, browser }) => {
  const { execFile } = await import("node:child_process");
  const { promisify } = await import("node:util");
  const slug = `alerts-${Date.now().toString(36)}`;
  const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", "e2e/create-clinic.ts", slug], { env: e2eScriptEnv() });
  clinic = JSON.parse(stdout.trim()) as Clinic;
  api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${clinic.apiKey}` } });
  staff = await browser.newContext({ baseURL });
  await signInThroughApi(staff.request, clinic.adminEmail, clinic.password);
});
test.afterAll(async () => {
  await api.dispose();
  await staff.close();
});

test("an admin lowers a threshold, sees the card-failure alert on the dashboard, and finds it in the history", async ({ browser }) => {
  test.slow(); // A declined card through the emulator, then four staff pages.

  // A patient's card is declined on the pay page: the clinic's one card attempt, failed.
  const patientRecord = await (
    await api.post("/api/v1/patients", { data: { firstName: "Ines", lastName: `Declined${Date.now()}`, email: "ines@example.test" } })
  ).json();
  const invoice = await (
    await api.post("/api/v1/invoices", { data: { patientId: patientRecord.id, lines: [{ description: "Consultation", quantity: 1, unitAmount: 9_000 }] } })
  ).json();
  expect((await api.post(`/api/v1/invoices/${invoice.id}/finalize`)).status()).toBe(200);
  const link = await (await api.post(`/api/v1/invoices/${invoice.id}/payment-link`)).json();
  const patient = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const payPage = await patient.newPage();
  await payPage.goto(new URL(link.url).pathname);
  await payPage.getByRole("button", { name: "Continue to payment" }).click();
  await payPage.getByLabel("Card number").fill("4000 0000 0000 0002");
  await payPage.getByLabel("Expiration date").fill("12 / 34");
  await payPage.getByLabel("Security code").fill("123");
  await payPage.getByLabel("ZIP / Postal code").fill("97205");
  await payPage.getByRole("button", { name: "Pay $90.00" }).click();
  await expect(payPage.getByTestId("payment-error")).toContainText(/declined/i);
  await patient.close();
  await expect
    .poll(async () => ((await (await api.get("/api/v1/payments?status=failed")).json()) as { data: unknown[] }).data.length, { timeout: STRIPE_EVENT_TIMEOUT })
    .toBe(1);

  // With the default rule (at least 10 attempts), one decline is no alert.
  const page = await staff.newPage();
  await page.goto("/app");
  await expect(page.getByRole("heading", { name: "Welcome, Lee" })).toBeVisible();
  await expect(page.getByTestId("active-alerts")).toHaveCount(0);

  await page.goto("/app/settings/alerts");
  const card = page.getByRole("group", { name: "Card failures" });
  // A threshold out of range is refused next to its field.
  await card.getByLabel("Failure rate above (%)").fill("0");
  await page.getByRole("button", { name: "Save alert rules" }).click();
  await expect(card.getByText("Enter a percentage from 0.1 to 100.")).toBeVisible();
  await expect(card.getByLabel("Failure rate above (%)")).toHaveAttribute("aria-invalid", "true");

  await card.getByLabel("Failure rate above (%)").fill("5");
  await card.getByLabel("Only with at least … attempts").fill("1");
  await page.getByRole("button", { name: "Save alert rules" }).click();
  await expect(toast(page, "Alert rules saved.")).toBeVisible();
  await expect(card.getByText("Enter a percentage from 0.1 to 100.")).toHaveCount(0);
  await screenshot(page, "alert-settings", { phone: true });

  // Saving evaluates the rules at once: the dashboard shows the alert, saying which windows fired.
  await page.goto("/app");
  const banner = page.getByTestId("active-alerts");
  await expect(banner.getByTestId("active-alert-card_failure_rate")).toContainText(
    "Card failures: 100.0% of the 1 card attempt so far failed; 100.0% of 1 card attempt in the last 24 hours failed (threshold 5%).",
  );
  await screenshot(page, "alert-banner-dashboard", { phone: true });

  await banner.getByRole("link", { name: "Alert history" }).click();
  await expect(page).toHaveURL(/\/app\/settings\/alerts\/history$/);
  const row = page.getByTestId("alert-history-row").filter({ hasText: "Card failures" });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("Active");
  await expect(row).toContainText("Admins emailed");
  await screenshot(page, "alert-history", { phone: true });
  // On a phone each alert's facts stack under its rule; nothing scrolls sideways.
  const size = page.viewportSize();
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(row.locator("dl")).toBeVisible();
  await expect(row.locator("dl")).toContainText("Admins emailed");
  await expect(page.getByRole("columnheader", { name: "Detail" })).toBeHidden();
  const history = page.getByRole("region", { name: "Alert history" });
  expect(await history.evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(true);
  if (size) await page.setViewportSize(size);
  await expect(row.locator("dl")).toBeHidden();

  // The admin's alert email is in the mailbox (demo mode).
  await page.goto("/app/mailbox");
  await expect(page.getByText("Alert at Lakeside Clinic: Card failures")).toBeVisible();
});
