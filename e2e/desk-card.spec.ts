import type { APIRequestContext, Page } from "@playwright/test";
import { createDemoApiKey, expect, screenshot, testAs, toast } from "./fixtures";

const test = testAs("billing");

async function fillCard(page: Page, number: string) {
  await page.getByLabel("Card number").fill(number);
  await page.getByLabel("Expiration date").fill("12 / 34");
  await page.getByLabel("Security code").fill("123");
  await page.getByLabel("ZIP / Postal code").fill("97205");
}

/** A patient with one finalized invoice of `amount` minor units, over the API. */
async function patientWithInvoice(api: APIRequestContext, amount: number, lastName: string) {
  const patient = await api.post("/api/v1/patients", {
    data: { firstName: "Dana", lastName: `${lastName}${Date.now().toString(36)}`, email: "dana@example.test" },
  });
  expect(patient.status()).toBe(201);
  const { id: patientId } = (await patient.json()) as { id: string };
  const invoice = await api.post("/api/v1/invoices", { data: { patientId, lines: [{ description: "Dental implant", quantity: 1, unitAmount: amount }] } });
  const { id: invoiceId } = (await invoice.json()) as { id: string };
  expect((await api.post(`/api/v1/invoices/${invoiceId}/finalize`)).ok()).toBe(true);
  return { patientId, invoiceId };
}

test.describe("Pay with card at the front desk", () => {
  let api: APIRequestContext;

  test.beforeAll(async ({ playwright, baseURL }) => {
    const secret = await createDemoApiKey(`Desk card e2e ${Date.now()}`);
    api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${secret}` } });
  });
  test.afterAll(async () => {
    await api.dispose();
  });

  test("staff create a plan with a card entered at the desk: the down payment saves the card, the plan charges it", async ({ page }) => {
    test.slow();
    const { patientId, invoiceId } = await patientWithInvoice(api, 90_000, "Deskplan");
    await page.goto(`/app/invoices/${invoiceId}`);
    await page.getByRole("button", { name: "Pay with card" }).click();
    const dialog = page.getByRole("dialog", { name: "Pay with card" });
    const amount = dialog.getByLabel("Amount to charge");
    await expect(amount).toHaveValue("900.00");
    // More than the invoice asks for is refused inline, before anything starts.
    await amount.fill("900.01");
    await dialog.getByRole("button", { name: "Continue to card details" }).click();
    await expect(dialog.getByText("The invoice asks for $900.00; charge at most that.")).toBeVisible();
    await amount.fill("300.00");
    await expect(dialog.getByTestId("card-terms")).toContainText("to keep this card on file and to charge it, without me present");
    await dialog.getByLabel("Save this card for future charges").check();
    await screenshot(page, "invoice-pay-with-card", { phone: true, fullPage: false });
    await dialog.getByRole("button", { name: "Continue to card details" }).click();
    // The first card is declined: the reason shows here and another card can be tried at once.
    await fillCard(page, "4000 0000 0000 0002");
    await dialog.getByRole("button", { name: "Charge $300.00" }).click();
    await expect(dialog.getByTestId("desk-card-error")).toContainText("Your card was declined. Try another card");
    await fillCard(page, "4242 4242 4242 4242");
    await screenshot(page, "invoice-pay-with-card-details", { phone: true, fullPage: false });
    await dialog.getByRole("button", { name: "Charge $300.00" }).click();
    const paid = dialog.getByTestId("desk-card-paid");
    await expect(paid).toContainText("Paid $300.00");
    await expect(paid).toContainText(/Receipt RCT-\d+/);
    await expect(paid).toContainText("Visa •••• 4242 is saved on file for future charges.");
    await expect(toast(page, "Paid $300.00.")).toBeVisible();
    await dialog.getByRole("button", { name: "Done" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Partially paid");

    const cards = (await (await api.get(`/api/v1/patients/${patientId}/payment-methods`)).json()) as { data: { source: string; isDefault: boolean }[] };
    expect(cards.data).toEqual([
      expect.objectContaining({ last4: "4242", source: "front_desk", isDefault: true, consent: expect.objectContaining({ acceptedBy: "staff_on_behalf" }) }),
    ]);

    // The plan for the remaining $600, charged to the card just saved.
    await page.goto(`/app/patients/${patientId}`);
    await page.getByRole("link", { name: "New payment plan" }).click();
    await expect(page.getByLabel("Card")).toContainText("4242");
    await page.getByLabel("Installments").fill("3");
    await page.getByRole("button", { name: "Preview schedule" }).click();
    await expect(page.getByTestId("plan-preview")).toContainText("$200.00");
    await page.getByRole("button", { name: "Create plan" }).click();
    await expect(page.getByRole("heading", { name: /Payment plan/ })).toContainText("Active");
    await expect(page.getByTestId("installment-row")).toHaveCount(3);
    await expect(page.getByTestId("plan-card")).toContainText("•••• 4242");

    // Reschedule the second installment: a past day is refused inline, a later one moves it.
    const second = page.getByTestId("installment-row").nth(1);
    const before = await second.getByRole("cell").first().textContent();
    await second.getByRole("button", { name: "Reschedule installment 2" }).click();
    const reschedule = page.getByRole("dialog", { name: "Reschedule installment 2" });
    await reschedule.getByLabel("New due date").fill("2020-01-01");
    await reschedule.getByRole("button", { name: "Reschedule" }).click();
    await expect(reschedule.getByText("Choose today or a later day.")).toBeVisible();
    const later = new Date(Date.now() + 40 * 86_400_000).toISOString().slice(0, 10);
    await reschedule.getByLabel("New due date").fill(later);
    await reschedule.getByRole("button", { name: "Reschedule" }).click();
    await expect(toast(page, "Moved installment 2 to")).toBeVisible();
    await expect(second.getByRole("cell").first()).not.toHaveText(before!);

    // Change card: the patient's one card is the current one; the dialog offers the card link instead.
    await page.getByRole("button", { name: "Change card" }).click();
    const change = page.getByRole("dialog", { name: "Change the plan's card" });
    await expect(change.getByRole("radio")).toHaveCount(1);
    await expect(change).toContainText("Current");
    await expect(change).toContainText("The patient has no other card saved with their consent.");
    await expect(change.getByRole("button", { name: "Use this card" })).toHaveCount(0);
    await change.getByRole("button", { name: "Send a card link instead" }).click();
    const link = page.getByRole("dialog", { name: "Card link for the patient" });
    await link.getByRole("button", { name: "Create link to copy" }).click();
    await expect(link.getByTestId("card-link-url")).toContainText("/card/");
    await page.keyboard.press("Escape");
    await expect(link).toBeHidden();

    // A second card added at the desk; the plan is moved to it.
    const planUrl = page.url();
    await page.goto(`/app/patients/${patientId}`);
    await page.getByTestId("cards-on-file").getByRole("button", { name: "Add card" }).click();
    const add = page.getByRole("dialog", { name: "Add a card at the desk" });
    await add.getByLabel("The patient agreed to these terms").check();
    await add.getByRole("button", { name: "Continue to card details" }).click();
    await fillCard(page, "5555 5555 5555 4444");
    await add.getByRole("button", { name: "Save card" }).click();
    await expect(toast(page, "Card saved and made the default.")).toBeVisible();
    await page.goto(planUrl);
    await expect(page.getByTestId("plan-card")).toContainText("Visa •••• 4242");
    await page.getByRole("button", { name: "Change card" }).click();
    await expect(change.getByRole("radio")).toHaveCount(2);
    await change.getByRole("radio", { name: /Mastercard •••• 4444/ }).check();
    await screenshot(page, "plan-page-change-card", { phone: true, fullPage: false });
    await change.getByRole("button", { name: "Use this card" }).click();
    await expect(toast(page, "The plan now charges Mastercard •••• 4444")).toBeVisible();
    await expect(page.getByTestId("plan-card")).toContainText("Mastercard •••• 4444");
    await screenshot(page, "plan-page-actions", { phone: true });
  });

  test("Pay with card without saving: part of the balance, the invoice partly paid, the receipt", async ({ page }) => {
    test.slow();
    const { patientId, invoiceId } = await patientWithInvoice(api, 12_000, "Deskpay");
    await page.goto(`/app/invoices/${invoiceId}`);
    await page.getByRole("button", { name: "Pay with card" }).click();
    const dialog = page.getByRole("dialog", { name: "Pay with card" });
    await dialog.getByLabel("Amount to charge").fill("50.00");
    await dialog.getByRole("button", { name: "Continue to card details" }).click();
    await fillCard(page, "4242 4242 4242 4242");
    await dialog.getByRole("button", { name: "Charge $50.00" }).click();
    const paid = dialog.getByTestId("desk-card-paid");
    await expect(paid).toContainText("Paid $50.00");
    await expect(paid).not.toContainText("saved on file");
    await dialog.getByRole("link", { name: "View payment and receipt" }).click();
    await expect(page.getByTestId("payment-receipt-number")).toHaveText(/RCT-\d+/);
    await expect(page.getByText("Card at the front desk", { exact: true })).toBeVisible();
    await page.goto(`/app/invoices/${invoiceId}`);
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Partially paid");
    const cards = (await (await api.get(`/api/v1/patients/${patientId}/payment-methods`)).json()) as { data: unknown[] };
    expect(cards.data).toEqual([]);

    // The rest, in full: the invoice is paid and offers no more card payment.
    await page.getByRole("button", { name: "Pay with card" }).click();
    await expect(dialog.getByLabel("Amount to charge")).toHaveValue("70.00");
    await dialog.getByRole("button", { name: "Continue to card details" }).click();
    await fillCard(page, "4242 4242 4242 4242");
    await dialog.getByRole("button", { name: "Charge $70.00" }).click();
    await expect(dialog.getByTestId("desk-card-paid")).toContainText("Paid $70.00");
    await dialog.getByRole("button", { name: "Done" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Paid");
    await expect(page.getByRole("button", { name: "Pay with card" })).toHaveCount(0);
  });
});

testAs("viewer")("a viewer sees no Pay with card on an open invoice", async ({ page, playwright, baseURL }) => {
  const secret = await createDemoApiKey(`Desk card viewer ${Date.now()}`);
  const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${secret}` } });
  const { invoiceId } = await patientWithInvoice(api, 5_000, "Deskview");
  await api.dispose();
  await page.goto(`/app/invoices/${invoiceId}`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Open");
  await expect(page.getByRole("button", { name: "Pay with card" })).toHaveCount(0);
});
