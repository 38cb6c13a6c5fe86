import { test as base, devices, type APIRequestContext, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { e2eScriptEnv, expect, screenshot, signInThroughApi, STRIPE_EVENT_TIMEOUT } from "./fixtures";

// A clinic of this file's own (e2e/create-clinic.ts): switching it to "authorize only" cannot touch
// the demo clinic that the other specs pay into at the same time.
const test = base;
test.describe.configure({ mode: "serial" });

const { defaultBrowserType: _browser, ...phone } = devices["Pixel 7"];

type Clinic = { slug: string; adminEmail: string; password: string; apiKey: string };
let clinic: Clinic;
let api: APIRequestContext;
let staff: BrowserContext;

async function createClinic(): Promise<Clinic> {
  const { execFile } = await import("node:child_process");
  const { promisify } = await import("node:util");
  const slug = `lakeside-${Date.now().toString(36)}`;
  const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", "e2e/create-clinic.ts", slug], { env: e2eScriptEnv() });
  return JSON.parse(stdout.trim()) as Clinic;
}

test.beforeAll(async ({ playwright, baseURL, browser }) => {
  clinic = await createClinic();
  api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${clinic.apiKey}` } });
  staff = await browser.newContext({ baseURL });
  await signInThroughApi(staff.request, clinic.adminEmail, clinic.password);
});
test.afterAll(async () => {
  await api.dispose();
  await staff.close();
});

async function invoiceWithLink(total: number) {
  const patient = await (
    await api.post("/api/v1/patients", { data: { firstName: "Hedy", lastName: `Lamarr${Date.now()}`, email: "hedy@example.test" } })
  ).json();
  const invoice = await (
    await api.post("/api/v1/invoices", { data: { patientId: patient.id, lines: [{ description: "Consultation", quantity: 1, unitAmount: total }] } })
  ).json();
  expect((await api.post(`/api/v1/invoices/${invoice.id}/finalize`)).status()).toBe(200);
  const link = await (await api.post(`/api/v1/invoices/${invoice.id}/payment-link`)).json();
  return { invoiceId: invoice.id as string, path: new URL(link.url).pathname };
}

async function fillCard(page: Page, number: string) {
  await page.getByLabel("Card number").fill(number);
  await page.getByLabel("Expiration date").fill("12 / 34");
  await page.getByLabel("Security code").fill("123");
  await page.getByLabel("ZIP / Postal code").fill("97205");
}

async function setCaptureMethod(page: Page, method: "automatic" | "manual") {
  await page.goto("/app/settings");
  await page.getByLabel("Card payments").selectOption(method);
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Clinic details saved." })).toBeVisible();
}

/** A patient's phone, signed out. */
async function patientPage(browser: Browser) {
  const context = await browser.newContext({ ...phone, storageState: { cookies: [], origins: [] } });
  return { page: await context.newPage(), close: () => context.close() };
}

test("a clinic that authorizes only: the patient's card is held, staff capture less, the invoice is partly paid", async ({ browser }) => {
  test.slow(); // Two browsers, the settings page twice and seven staff pages.
  const page = await staff.newPage();
  const { invoiceId, path } = await invoiceWithLink(12_000);
  const patient = await patientPage(browser);
  await setCaptureMethod(page, "manual");
  await screenshot(page, "settings-desktop");
  await patient.page.goto(path);
  await expect(patient.page.getByTestId("authorize-only-note")).toBeVisible();
  await patient.page.getByRole("button", { name: "Continue to payment" }).click();
  await expect(patient.page.getByRole("button", { name: "Authorize $120.00" })).toBeVisible();

  await screenshot(patient.page, "pay-authorize-phone");
  await fillCard(patient.page, "4242 4242 4242 4242");
  await patient.page.getByRole("button", { name: "Authorize $120.00" }).click();
  await expect(patient.page.getByRole("heading", { name: "Card authorized" })).toBeVisible();
  await expect(patient.page.getByTestId("authorized-note")).toContainText("will charge it later");
  await expect(patient.page.getByTestId("remaining-balance")).toHaveText("$0.00");
  await screenshot(patient.page, "receipt-authorized-phone");
  const paymentId = patient.page.url().split("/receipt/")[1]!;
  await patient.close();

  await page.goto("/app/payments");
  const holds = page.getByTestId("authorized-holds");
  await expect(holds).toContainText("Authorized, awaiting capture");
  await expect(holds).toContainText("$120.00");
  await screenshot(page, "payments-holds-desktop");

  // The invoice page and the front-desk payment form warn that the card is already authorized.
  await page.goto(`/app/invoices/${invoiceId}`);
  await expect(page.getByRole("status").filter({ hasText: "card is authorized for $120.00, not yet captured" })).toBeVisible();
  await page.goto(`/app/payments/new?invoiceId=${invoiceId}`);
  await expect(page.getByText("$120.00 card hold")).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "To avoid charging the patient twice" })).toBeVisible();
  await screenshot(page, "record-payment-hold-warning-desktop");

  await page.goto(`/app/payments/${paymentId}`);
  const panel = page.getByTestId("capture-panel");
  await expect(panel.getByTestId("amount-capturable")).toHaveText("$120.00");
  await expect(panel).toContainText("Expires in 7 days");
  await screenshot(page, "payment-capture-panel-desktop");
  await panel.getByRole("button", { name: "Capture…" }).click();
  const dialog = page.getByRole("dialog", { name: "Capture the card payment" });
  const amount = dialog.getByLabel("Amount to capture");
  await expect(amount).toHaveValue("120.00");
  await amount.fill("150");
  await expect(dialog.getByText("Capture at most $120.00, the authorized amount.")).toBeVisible();
  await amount.fill("80.00");
  await expect(dialog.getByTestId("capture-release-note")).toHaveText("$40.00 of the hold will be released.");
  await screenshot(page, "capture-dialog-desktop");
  await dialog.getByRole("button", { name: "Capture $80.00" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId("capture-panel")).toHaveCount(0);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("$80.00");

  const invoice = (await (await api.get(`/api/v1/invoices/${invoiceId}`)).json()) as { status: string; amountDue: number; amountPaid: number };
  expect(invoice).toMatchObject({ status: "partially_paid", amountPaid: 8_000, amountDue: 4_000 });
  await page.goto(`/app/invoices/${invoiceId}`);
  await expect(page.getByText(/partially paid/i).first()).toBeVisible();

  // Back to charging at once: the next patient pays normally.
  await setCaptureMethod(page, "automatic");
  await page.close();
});

test("a chargeback shows on the dashboard, the disputes page and the payment page, where staff record their evidence", async ({ browser }) => {
  test.slow(); // A card payment, then Stripe's dispute and its webhook, then three staff pages.
  const page = await staff.newPage();
  const { path } = await invoiceWithLink(6_000);
  const patient = await patientPage(browser);
  await patient.page.goto(path);
  await patient.page.getByRole("button", { name: "Continue to payment" }).click();
  // The emulator's test card that succeeds and then opens a fraudulent chargeback.
  await fillCard(patient.page, "4000 0000 0000 0259");
  await patient.page.getByRole("button", { name: "Pay $60.00" }).click();
  await expect(patient.page.getByRole("heading", { name: "Payment received" })).toBeVisible();
  const paymentId = patient.page.url().split("/receipt/")[1]!;
  await patient.close();

  await expect
    .poll(
      async () => {
        await page.goto("/app/disputes?filter=needs_response");
        return page.getByTestId("dispute-row").filter({ hasText: "$60.00" }).filter({ hasText: "Lamarr" }).count();
      },
      { timeout: STRIPE_EVENT_TIMEOUT },
    )
    .toBeGreaterThan(0);
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /Disputes/ })).toContainText(/\d/);
  await screenshot(page, "disputes-desktop");

  await page.goto("/app");
  await expect(page.getByTestId("card-disputes")).toContainText("Disputes needing a response");
  await screenshot(page, "dashboard-desktop");

  await page.goto(`/app/payments/${paymentId}`);
  const panel = page.getByTestId("dispute-panel");
  await expect(panel).toContainText("Chargeback");
  await expect(panel).toContainText("Fraudulent");
  await expect(panel).toContainText("6 days left");
  await expect(panel).toContainText("never sent to Stripe");
  await panel.getByRole("button", { name: "Record evidence" }).click();
  await expect(panel.getByText("Describe what you submitted (at least 3 characters).")).toBeVisible();
  await panel.getByLabel("What you submitted").fill("Signed consent form and visit summary, uploaded in Stripe.");
  await panel.getByRole("button", { name: "Record evidence" }).click();
  await expect(panel).toContainText("Evidence submitted");
  await screenshot(page, "dispute-panel-desktop");
  await page.close();
});

test("the disputes page and the dashboard fit a phone", async ({ browser, baseURL }) => {
  const context = await browser.newContext({ ...phone, baseURL });
  await signInThroughApi(context.request, clinic.adminEmail, clinic.password);
  const page = await context.newPage();
  await page.goto("/app");
  await expect(page.getByTestId("card-holds")).toBeVisible();
  await screenshot(page, "dashboard-phone");
  await page.goto("/app/disputes");
  await expect(page.getByRole("heading", { name: "Disputes", level: 1 })).toBeVisible();
  await expect(page.getByTestId("dispute-row")).toHaveCount(1);
  await screenshot(page, "disputes-phone");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await context.close();
});
