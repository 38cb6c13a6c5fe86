import { writeFileSync } from "node:fs";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { createDemoApiKey, screenshot, STRIPE_EVENT_TIMEOUT, storageStatePath } from "./fixtures";

let api: APIRequestContext;

test.beforeAll(async ({ playwright, baseURL }) => {
  const key = await createDemoApiKey(`refund-display-e2e-${Date.now()}`);
  api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${key}` } });
});
test.afterAll(async () => {
  await api.dispose();
});

/** With CAREBILL_SCREENSHOTS=<dir>, keeps full-page screenshots at desktop and phone widths for a visual check. */
const snap = (page: Page, name: string) => screenshot(page, name, { phone: true });

async function fillCard(page: Page, number: string) {
  await page.getByLabel("Card number").fill(number);
  await page.getByLabel("Expiration date").fill("12 / 34");
  await page.getByLabel("Security code").fill("123");
  await page.getByLabel("ZIP / Postal code").fill("97205");
}

test("a partial refund shows on the payments list, the payment, the invoice totals, the pay page and the PDF", async ({ page, browser }) => {
  test.slow(); // Cash, a declined card, a card payment, a refund, then five pages.
  const lastName = `Refundshown${Date.now()}`;
  const patient = await (await api.post("/api/v1/patients", { data: { firstName: "Maria", lastName, email: "maria@example.test" } })).json();
  const invoice = await (
    await api.post("/api/v1/invoices", {
      data: {
        patientId: patient.id,
        lines: [
          { description: "Dental cleaning", quantity: 1, unitAmount: 15_000 },
          { description: "X-ray", quantity: 1, unitAmount: 6_000 },
        ],
      },
    })
  ).json();
  const finalized = await api.post(`/api/v1/invoices/${invoice.id}/finalize`);
  expect(finalized.status()).toBe(200);
  const number = ((await finalized.json()) as { number: string }).number;
  expect(number).toMatch(/^INV-\d{5}$/);
  const cash = await api.post("/api/v1/payments", { data: { patientId: patient.id, invoiceId: invoice.id, method: "cash", amount: 6_000 } });
  expect(cash.status(), await cash.text()).toBe(201);
  const link = await (await api.post(`/api/v1/invoices/${invoice.id}/payment-link`)).json();
  const payPath = new URL(link.url).pathname;

  // The patient's first card is declined for insufficient funds; the second one pays the $150.00 left.
  await page.goto(payPath);
  await page.getByRole("button", { name: "Continue to payment" }).click();
  await fillCard(page, "4000 0000 0000 9995");
  await page.getByRole("button", { name: "Pay $150.00" }).click();
  await expect(page.getByTestId("payment-error")).toContainText(/declined|insufficient/i);
  await fillCard(page, "4242 4242 4242 4242");
  await page.getByRole("button", { name: "Pay $150.00" }).click();
  await expect(page.getByRole("heading", { name: "Payment received" })).toBeVisible();
  await expect.poll(async () => ((await (await api.get(`/api/v1/invoices/${invoice.id}`)).json()) as { status: string }).status).toBe("paid");

  // Billing staff refund $40.00 of the card payment, keeping the invoice settled.
  const staff = await browser.newContext({ storageState: storageStatePath("billing") });
  const staffPage = await staff.newPage();
  await staffPage.goto(`/app/invoices/${invoice.id}`);
  await staffPage.getByRole("link", { name: /Visa •••• 4242/ }).click();
  const panel = staffPage.getByTestId("refunds-panel");
  await panel.getByRole("button", { name: "Refund" }).click();
  const dialog = staffPage.getByRole("dialog");
  await dialog.getByRole("textbox", { name: "Amount", exact: true }).fill("40.00");
  await dialog.getByRole("button", { name: "Refund $40.00" }).click();
  await expect(dialog).toBeHidden();
  await expect(panel.getByTestId("refund-row").first()).toContainText("Succeeded");
  const paymentPath = new URL(staffPage.url()).pathname;

  // The payment page: its badge and its timeline (decline, success, refund in that order).
  await staffPage.reload();
  await snap(staffPage, "payment-timeline");
  await expect(staffPage.getByTestId("payment-status-badge").first()).toHaveText("Partially refunded · $40.00");
  await expect(staffPage.getByTestId("payment-refunded")).toHaveText("−$40.00");
  await expect(staffPage.getByTestId("payment-receipt-number")).toHaveText(/^RCT-\d{5}$/);
  // The timeline in words and in order: declined, then paid, then refunded; billing staff see no event ids or Dr/Cr.
  // The decline is known from Stripe's payment_failed event, which may arrive after the success.
  const timeline = staffPage.getByTestId("payment-timeline");
  let entries = "";
  await expect(async () => {
    entries = (await timeline.locator(":scope > li").allTextContents()).join("\n");
    if (!entries.includes("Card declined")) await staffPage.reload();
    expect(entries).toMatch(/Card declined: insufficient funds[\s\S]*Card payment succeeded[\s\S]*Refund of \$40\.00 requested/);
  }).toPass({ timeout: STRIPE_EVENT_TIMEOUT });
  expect(entries).not.toMatch(/evt_|Dr \$|Cr \$/);
  await expect(timeline.getByText("Technical details")).toHaveCount(0);

  // The payments list, and its "Refunded" filter.
  await staffPage.goto("/app/payments");
  await snap(staffPage, "payments-list");
  const row = staffPage.getByRole("row").filter({ hasText: number }).filter({ hasText: "Visa" });
  await expect(row).toContainText("Partially refunded · $40.00");
  await staffPage.getByLabel("Status").selectOption({ label: "Refunded (in part or in full)" });
  await staffPage.getByRole("button", { name: "Filter" }).click();
  await expect(staffPage).toHaveURL(/status=refunded/);
  await expect(staffPage.getByRole("row").filter({ hasText: number })).toHaveCount(1);

  // The invoice totals.
  await staffPage.goto(`/app/invoices/${invoice.id}`);
  await snap(staffPage, "invoice-totals");
  const totals = staffPage.getByTestId("invoice-totals");
  await expect(totals).toContainText("Paid$210.00");
  await expect(totals).toContainText("Refunded−$40.00");

  // The invoice PDF (saved for a look at its first page).
  const pdf = await staffPage.request.get(`/app/invoices/${invoice.id}/pdf`);
  expect(pdf.status()).toBe(200);
  if (process.env.CAREBILL_SCREENSHOTS) writeFileSync(`${process.env.CAREBILL_SCREENSHOTS}/paid-invoice.pdf`, await pdf.body());
  await staff.close();

  // The patient's pay page: what was paid and refunded, with no odd signs.
  await page.goto(payPath);
  await snap(page, "pay-page");
  await expect(page.getByText("Paid −$210.00")).toHaveCount(0);
  const payTotals = page.getByTestId("pay-totals");
  await expect(payTotals).toContainText("Paid$210.00");
  await expect(payTotals).toContainText("Refunded−$40.00");
  await expect(payTotals).toContainText("Net paid$170.00");

  // The receipt: its number, and where it was emailed (masked).
  await page.getByRole("link", { name: "View your receipt" }).click();
  await expect(page.getByTestId("receipt-number")).toHaveText(/^RCT-\d{5}$/);
  await expect(page.getByTestId("receipt-emailed")).toContainText(/emailed to m•••@example\.test/);
  await snap(page, "receipt");
  // "Print receipt" opens the browser's print dialog.
  await page.evaluate(() => {
    const counted = window as unknown as { printed: number };
    counted.printed = 0;
    window.print = () => void (counted.printed += 1);
  });
  await page.getByRole("button", { name: "Print receipt" }).click();
  expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
  // A receipt address naming another payment is the patient's 404, in the pay pages' frame.
  await page.goto(`${payPath}/receipt/00000000-0000-4000-8000-000000000000`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("We can't find this receipt");
  await expect(page.getByText("Go to the dashboard")).toHaveCount(0);

  // Admins can open each entry's technical details (Stripe event ids, ledger accounts with Dr/Cr), by keyboard.
  const admin = await browser.newContext({ storageState: storageStatePath("admin") });
  const adminPage = await admin.newPage();
  await adminPage.goto(paymentPath);
  const adminTimeline = adminPage.getByTestId("payment-timeline");
  const disclosure = adminTimeline.locator("summary", { hasText: "Technical details" }).first();
  await expect(adminTimeline.getByText(/evt_/).first()).toBeHidden();
  await disclosure.focus();
  await adminPage.keyboard.press("Enter");
  await expect(adminTimeline.getByText(/evt_/).first()).toBeVisible();
  await snap(adminPage, "payment-timeline-admin");
  await admin.close();
});
