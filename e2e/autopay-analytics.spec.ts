import { test, type APIRequestContext, type BrowserContext, type Locator, type Page } from "@playwright/test";
import { e2eScriptEnv, expect, signInThroughApi, storageStatePath, toast } from "./fixtures";

// A clinic of this file's own (e2e/create-clinic.ts): its autopay settings and plans are its own,
// whatever the specs using the demo clinic do at the same time.
test.describe.configure({ mode: "serial" });

type Clinic = { slug: string; adminEmail: string; password: string; apiKey: string };
let clinic: Clinic;
let api: APIRequestContext;
let staff: BrowserContext;

async function runScript(script: string, slug: string): Promise<string> {
  const { execFile } = await import("node:child_process");
  const { promisify } = await import("node:util");
  return (await promisify(execFile)(process.execPath, ["--import", "tsx", script, slug], { env: e2eScriptEnv() })).stdout;
}

/** With CAREBILL_SCREENSHOTS=<dir>: `target` at 1280 px and at 390 px wide (a section, or the whole page). */
async function screenshots(page: Page, name: string, target?: Locator) {
  const dir = process.env.CAREBILL_SCREENSHOTS;
  if (!dir) return;
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 800 });
    const path = `${dir}/${name}-${width}.png`;
    // The sticky top bar would be drawn over the middle of a long capture: keep it at the top.
    const style = "header.sticky { position: static !important; }";
    if (target) await target.screenshot({ path, style });
    else await page.screenshot({ path, fullPage: true, style });
  }
  await page.setViewportSize({ width: 1280, height: 720 });
}

test.beforeAll(async ({ playwright, baseURL, browser }) => {
  clinic = JSON.parse((await runScript("e2e/create-clinic.ts", `autopay-${Date.now().toString(36)}`)).trim()) as Clinic;
  api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${clinic.apiKey}` } });
  staff = await browser.newContext({ baseURL });
  await signInThroughApi(staff.request, clinic.adminEmail, clinic.password);
});
test.afterAll(async () => {
  await api.dispose();
  await staff.close();
});

test("an admin changes the autopay settings: bad retry days are refused beside the field, good ones are saved", async () => {
  const page = await staff.newPage();
  await page.goto("/app/settings");
  await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Autopay" }).click();
  await expect(page).toHaveURL(/\/app\/settings\/autopay$/);
  const retryDays = page.getByLabel("Retry days after a soft decline");
  await expect(retryDays).toHaveValue("1, 3, 7");
  await expect(page.getByLabel("Charge hour")).toHaveValue("8");
  await expect(page.getByText("(America/Los Angeles)").first()).toBeAttached();

  await retryDays.fill("7, 3");
  await page.getByRole("button", { name: "Save autopay settings" }).click();
  await expect(page.getByText('List the days in increasing order, each once, e.g. "1, 3, 7".')).toBeVisible();
  await expect(retryDays).toHaveAttribute("aria-invalid", "true");
  await screenshots(page, "autopay-settings-error");

  await retryDays.fill("2, 4, 8");
  await page.getByRole("radio", { name: /Stop it \(defaulted\)/ }).check();
  await page.getByLabel("Reminder days before a charge").fill("5");
  await page.getByLabel("Largest plan amount (USD)").fill("5,000");
  await page.getByLabel("Charge hour").selectOption("9");
  await page.getByRole("button", { name: "Save autopay settings" }).click();
  await expect(toast(page, "Autopay settings saved.")).toBeVisible();
  await expect(retryDays).not.toHaveAttribute("aria-invalid");

  await page.reload();
  await expect(retryDays).toHaveValue("2, 4, 8");
  await expect(page.getByRole("radio", { name: /Stop it \(defaulted\)/ })).toBeChecked();
  await expect(page.getByLabel("Reminder days before a charge")).toHaveValue("5");
  await expect(page.getByLabel("Largest plan amount (USD)")).toHaveValue("5000.00");
  await expect(page.getByLabel("Charge hour")).toHaveValue("9");
  await screenshots(page, "autopay-settings");
  await page.close();
});

test("a viewer reads the autopay settings without a way to change them", async ({ browser }) => {
  const viewer = await browser.newContext({ storageState: storageStatePath("viewer") });
  const page = await viewer.newPage();
  await page.goto("/app/settings/autopay");
  await expect(page.getByTestId("autopay-settings-read-only")).toHaveText("Only admins can change these settings.");
  await expect(page.getByLabel("Retry days after a soft decline")).toBeDisabled();
  await expect(page.getByRole("button", { name: "Save autopay settings" })).toHaveCount(0);
  // The settings area shows them the tabs they may read only.
  await expect(page.getByRole("navigation", { name: "Settings" }).getByRole("link")).toHaveText(["Autopay", "Practice", "Payers", "Clearinghouse"]);
  await viewer.close();
});

test("the analytics page shows plans, memberships and autopay figures, each with its definition", async () => {
  const { id: patientId } = await (await api.post("/api/v1/patients", { data: { firstName: "Pia", lastName: `Planner${Date.now()}` } })).json();
  const { id: invoiceId } = await (
    await api.post("/api/v1/invoices", { data: { patientId, lines: [{ description: "Procedure", quantity: 1, unitAmount: 60_000 }] } })
  ).json();
  expect((await api.post(`/api/v1/invoices/${invoiceId}/finalize`)).status()).toBe(200);
  const startDate = new Date(Date.now() + 35 * 86_400_000).toISOString().slice(0, 10);
  const created = await api.post("/api/v1/payment-plans", { data: { patientId, installmentCount: 3, frequency: "monthly", startDate, sendCardLink: true } });
  expect(created.status()).toBe(201);
  await runScript("e2e/seed-recurring-history.ts", clinic.slug);

  const page = await staff.newPage();
  await page.goto("/app/analytics");
  const section = page.getByTestId("section-recurring");
  await expect(section.getByRole("heading", { name: "Plans, memberships and autopay" })).toBeVisible({ timeout: 60_000 });
  const value = (figure: string) => section.getByTestId(`figure-${figure}`).getByTestId("figure-value");
  await expect(value("active-plans")).toHaveText("1");
  await expect(value("plan-outstanding")).toHaveText("$600.00");
  // Ended today: 2 completed, 1 defaulted.
  await expect(value("plan-default-rate")).toHaveText("33.3%");
  // 8 attempts, 5 succeeded; 6 first attempts, 4 paid at once, 5 in the end; 1 of 2 failures recovered.
  await expect(value("autopay-success-rate")).toHaveText("62.5%");
  await expect(value("autopay-first-attempt-rate")).toHaveText("66.7%");
  await expect(value("autopay-eventual-rate")).toHaveText("83.3%");
  await expect(value("autopay-recovery-rate")).toHaveText("50.0%");
  await expect(value("active-members")).toHaveText("4");
  // 3 × $79.00 + $600.00 ÷ 12.
  await expect(value("mrr")).toHaveText("$287.00");
  await expect(value("membership-churn")).toHaveText("20.0%");
  // Each figure's definition is one click away.
  await section.getByTestId("figure-mrr").getByRole("button", { name: "How Monthly recurring revenue is computed" }).click();
  await expect(page.getByRole("dialog", { name: "Monthly recurring revenue: definition" })).toContainText("a yearly plan's price ÷ 12");
  await page.keyboard.press("Escape");
  await expect(page.getByRole("dialog", { name: "Monthly recurring revenue: definition" })).toHaveCount(0);
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await expect(section.getByRole("link", { name: "Download Plans, memberships and autopay as CSV" })).toHaveAttribute(
    "href",
    "/app/analytics/export/recurring",
  );
  await screenshots(page, "analytics-recurring", section);
  await page.close();
});
