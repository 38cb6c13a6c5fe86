import { expect, test, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { createDemoApiKey, screenshot, storageStatePath, STRIPE_EVENT_TIMEOUT } from "./fixtures";

let api: APIRequestContext;

test.beforeAll(async ({ playwright, baseURL }) => {
  const key = await createDemoApiKey(`refunds-e2e-${Date.now()}`);
  api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${key}` } });
});
test.afterAll(async () => {
  await api.dispose();
});

/** With CAREBILL_SCREENSHOTS=<dir>, keeps full-page screenshots at desktop and phone widths for a visual check. */
const snap = (page: Page, name: string) => screenshot(page, name, { phone: true });

/** An invoice for $150.00, paid in full on the pay page with `cardNumber`; returns its id. */
async function paidInvoice(page: Page, cardNumber: string): Promise<string> {
  const patient = await (
    await api.post("/api/v1/patients", { data: { firstName: "Robin", lastName: `Refundee${Date.now()}`, email: "robin@example.test" } })
  ).json();
  const invoice = await (
    await api.post("/api/v1/invoices", { data: { patientId: patient.id, lines: [{ description: "Dental cleaning", quantity: 1, unitAmount: 15_000 }] } })
  ).json();
  expect((await api.post(`/api/v1/invoices/${invoice.id}/finalize`)).status()).toBe(200);
  const link = await (await api.post(`/api/v1/invoices/${invoice.id}/payment-link`)).json();
  await page.goto(new URL(link.url).pathname);
  await page.getByRole("button", { name: "Continue to payment" }).click();
  await page.getByLabel("Card number").fill(cardNumber);
  await page.getByLabel("Expiration date").fill("12 / 34");
  await page.getByLabel("Security code").fill("123");
  await page.getByLabel("ZIP / Postal code").fill("97205");
  await page.getByRole("button", { name: "Pay $150.00" }).click();
  await expect(page.getByRole("heading", { name: "Payment received" })).toBeVisible();
  await expect.poll(async () => ((await (await api.get(`/api/v1/invoices/${invoice.id}`)).json()) as { status: string }).status).toBe("paid");
  return invoice.id as string;
}

/** Billing staff open the invoice, then its card payment. */
async function openPaymentAsStaff(browser: Browser, invoiceId: string, last4: string) {
  const staff = await browser.newContext({ storageState: storageStatePath("billing") });
  const page = await staff.newPage();
  await page.goto(`/app/invoices/${invoiceId}`);
  await page.getByRole("link", { name: new RegExp(`Visa •••• ${last4}`) }).click();
  await expect(page.getByTestId("refunds-panel")).toBeVisible();
  return { staff, page };
}

test("staff refund part of a card payment: succeeded at once as Stripe answers, with a credit note on the invoice; then credit more as patient credit", async ({
  page,
  browser,
}) => {
  test.slow(); // A card payment, a refund, a PDF and a second dialog.
  const invoiceId = await paidInvoice(page, "4242 4242 4242 4242");
  const { staff, page: staffPage } = await openPaymentAsStaff(browser, invoiceId, "4242");
  const panel = staffPage.getByTestId("refunds-panel");
  await expect(panel.getByTestId("refundable")).toHaveText("$150.00");

  await panel.getByRole("button", { name: "Refund" }).click();
  const dialog = staffPage.getByRole("dialog");
  await expect(dialog.getByRole("textbox", { name: "Amount", exact: true })).toHaveValue("150.00");
  await dialog.getByRole("textbox", { name: "Amount", exact: true }).fill("200");
  await expect(dialog.getByText("Refund at most $150.00, what is left to refund on this payment.")).toBeVisible();
  await dialog.getByRole("textbox", { name: "Amount", exact: true }).fill("40.00");
  await dialog.getByRole("combobox", { name: "Reason", exact: true }).selectOption("other");
  await dialog.getByRole("button", { name: "Refund $40.00" }).click();
  await expect(dialog.getByText("Say why you are refunding.")).toBeVisible();
  await dialog.getByRole("textbox", { name: "Note", exact: true }).fill("Insurance covered part of the visit");
  await snap(staffPage, "refund-dialog");
  await expect(dialog.getByRole("radio", { name: /Keep the invoice settled/ })).toBeChecked();
  await dialog.getByRole("button", { name: "Refund $40.00" }).click();
  await expect(dialog).toBeHidden();

  const row = panel.getByTestId("refund-row").first();
  await expect(row).toContainText("$40.00");
  // Stripe's common path: a card refund is `succeeded` in Stripe's answer, so the row never shows it pending.
  await expect(row).toContainText("Succeeded");
  await expect(row).not.toContainText("Pending");
  await expect(panel.getByTestId("refundable")).toHaveText("$110.00");
  await snap(staffPage, "payment-refunded");
  const creditNoteLink = row.getByRole("link", { name: /Credit note CN-\d{5}/ });
  const creditNoteNumber = ((await creditNoteLink.textContent()) ?? "").match(/CN-\d{5}/)![0];

  await staffPage.goto(`/app/invoices/${invoiceId}`);
  const creditNotes = staffPage.getByTestId("credit-notes");
  await expect(creditNotes.getByTestId("credit-note-row")).toHaveCount(1);
  await expect(creditNotes).toContainText(creditNoteNumber);
  await expect(creditNotes).toContainText("$40.00");
  await expect(creditNotes).toContainText("Refunded to card");
  const pdfHref = await creditNotes.getByRole("link", { name: new RegExp(creditNoteNumber) }).getAttribute("href");
  const pdf = await staffPage.request.get(pdfHref!);
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()["content-type"]).toBe("application/pdf");
  await snap(staffPage, "invoice-credit-notes");
  await creditNotes.getByRole("button", { name: "Issue credit note" }).click();
  await expect(staffPage.getByRole("dialog").getByRole("textbox", { name: "Amount", exact: true })).toHaveValue("110.00");
  await snap(staffPage, "credit-note-dialog");
  const creditDialog = staffPage.getByRole("dialog");
  await creditDialog.getByRole("textbox", { name: "Amount", exact: true }).fill("15");
  await creditDialog.getByRole("button", { name: "Issue credit note for $15.00" }).click();
  await expect(creditDialog.getByText("Give a reason (at least 3 characters).")).toBeVisible();
  await creditDialog.getByRole("textbox", { name: "Reason", exact: true }).fill("Goodwill credit for the long wait");
  await creditDialog.getByRole("button", { name: "Issue credit note for $15.00" }).click();
  await expect(creditDialog).toBeHidden();
  await expect(creditNotes.getByTestId("credit-note-row")).toHaveCount(2);
  await expect(creditNotes.getByTestId("credit-note-row").nth(1)).toContainText("Patient credit");
  await expect(creditNotes.getByTestId("credit-note-row").nth(1)).toContainText("$15.00");
  await staff.close();
});

test("a refund to a card that cannot take it fails, and staff are told what to do", async ({ page, browser }) => {
  test.slow(); // A card payment, then a refund that Stripe fails later, told by its webhook.
  const invoiceId = await paidInvoice(page, "4000 0000 0000 5126");
  const { staff, page: staffPage } = await openPaymentAsStaff(browser, invoiceId, "5126");
  const panel = staffPage.getByTestId("refunds-panel");
  await panel.getByRole("button", { name: "Refund" }).click();
  await staffPage.getByRole("dialog").getByRole("textbox", { name: "Amount", exact: true }).fill("25");
  await staffPage.getByRole("dialog").getByRole("button", { name: "Refund $25.00" }).click();
  // As with Stripe's 5126 card: the refund is succeeded in Stripe's answer; the card network returns
  // it shortly after (refund.failed), which staff see the next time they open the payment.
  await expect(staffPage.getByRole("dialog")).toBeHidden();
  await expect(async () => {
    await staffPage.reload();
    await expect(panel.getByTestId("refund-failed")).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: STRIPE_EVENT_TIMEOUT });
  await expect(panel.getByTestId("refund-failed")).toContainText(
    "The refund of $25.00 to Visa •••• 5126 failed (card expired or canceled). Nothing was returned to the patient and the invoice is as it was before.",
  );
  await expect(panel.getByTestId("refund-row").first()).toContainText("Failed");
  await expect(panel.getByTestId("refundable")).toHaveText("$150.00");
  await snap(staffPage, "refund-failed");
  await staff.close();
});
