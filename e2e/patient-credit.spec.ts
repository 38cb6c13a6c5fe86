import type { APIRequestContext } from "@playwright/test";
import { createDemoApiKey, expect, screenshot, testAs } from "./fixtures";

const test = testAs("billing");

async function openInvoice(api: APIRequestContext, patientId: string, description: string, unitAmount: number) {
  const draft = await api.post("/api/v1/invoices", { data: { patientId, lines: [{ description, quantity: 1, unitAmount }] } });
  expect(draft.status()).toBe(201);
  const { id } = (await draft.json()) as { id: string };
  const finalized = await api.post(`/api/v1/invoices/${id}/finalize`);
  expect(finalized.status()).toBe(200);
  return (await finalized.json()) as { id: string; number: string };
}

test.describe.serial("patient credit and write-offs", () => {
  const setup = { patientId: "", patientName: "", paidInvoiceNumber: "", creditInvoice: { id: "", number: "" }, writtenOff: { id: "", number: "" } };

  test.beforeAll(async ({ playwright, baseURL }) => {
    const secret = await createDemoApiKey(`Credit e2e ${Date.now()}`);
    const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${secret}` } });
    const lastName = `Okafor${Date.now().toString(36)}`;
    const patient = await api.post("/api/v1/patients", { data: { firstName: "Morgan", lastName } });
    expect(patient.status()).toBe(201);
    setup.patientId = ((await patient.json()) as { id: string }).id;
    setup.patientName = `Morgan ${lastName}`;

    // The patient pays $80.00 cash for a $50.00 visit; the desk keeps the $30.00 change as credit.
    const visit = await openInvoice(api, setup.patientId, "Office visit", 5_000);
    setup.paidInvoiceNumber = visit.number;
    const cash = await api.post("/api/v1/payments", {
      data: { patientId: setup.patientId, invoiceId: visit.id, method: "cash", amount: 8_000, keepExcessAsCredit: true },
    });
    expect(cash.status(), await cash.text()).toBe(201);
    const read = await api.get(`/api/v1/patients/${setup.patientId}`);
    expect((await read.json()).credit).toEqual([{ currency: "USD", balance: 3_000 }]);

    setup.creditInvoice = await openInvoice(api, setup.patientId, "Lab work", 2_500);
    setup.writtenOff = await openInvoice(api, setup.patientId, "Imaging", 12_000);
    const writeOff = await api.post(`/api/v1/invoices/${setup.writtenOff.id}/mark-uncollectible`, { data: { reason: "Sent to collections, no response" } });
    expect(writeOff.status()).toBe(200);
    await api.dispose();
  });

  test("billing staff apply the patient's credit to an open invoice", async ({ page }) => {
    await page.goto(`/app/invoices/${setup.creditInvoice.id}`);
    const panel = page.getByTestId("invoice-patient-credit");
    await expect(panel).toContainText("Patient has $30.00 credit");
    await screenshot(page, "invoice-credit-desktop");

    await panel.getByRole("button", { name: "Apply credit" }).click();
    const dialog = page.getByRole("dialog");
    const amount = dialog.getByLabel("Amount (USD)");
    await expect(amount).toHaveValue("25.00");
    await amount.fill("26");
    await amount.blur();
    await expect(dialog.getByRole("alert")).toContainText(`${setup.creditInvoice.number} has $25.00 due; apply at most $25.00.`);
    await amount.fill("abc");
    await expect(dialog.getByRole("alert")).toContainText("Enter an amount like 25.00.");
    await amount.fill("25");
    await expect(dialog.getByRole("alert")).toBeHidden();
    await screenshot(page, "apply-dialog-desktop");
    await dialog.getByRole("button", { name: "Apply $25.00" }).click();
    await expect(dialog).toBeHidden();

    await expect(page.getByRole("heading", { level: 1 })).toContainText("Paid");
    await expect(page.getByTestId("credit-applications")).toContainText("Applied by Blair Billing");
    await expect(page.getByTestId("credit-applications")).toContainText("$25.00");
    await expect(panel).not.toContainText("Patient has");
    await page.setViewportSize({ width: 390, height: 844 });
    await panel.scrollIntoViewIfNeeded();
    await screenshot(page, "invoice-applied-phone");
  });

  test("the patient page shows the credit left and where it came from and went", async ({ page }) => {
    await page.goto(`/app/patients/${setup.patientId}`);
    const card = page.getByTestId("patient-credit");
    await expect(card.getByTestId("patient-credit-balance")).toHaveText("$5.00");
    const history = card.getByTestId("patient-credit-history").getByRole("listitem");
    await expect(history).toHaveCount(2);
    await expect(history.nth(0)).toContainText("Applied to an invoice");
    await expect(history.nth(0)).toContainText(setup.creditInvoice.number);
    await expect(history.nth(0)).toContainText("−$25.00");
    await expect(history.nth(1)).toContainText("Overpayment kept as credit");
    await expect(history.nth(1)).toContainText(setup.paidInvoiceNumber);
    await expect(history.nth(1)).toContainText("+$30.00");
    await card.scrollIntoViewIfNeeded();
    await screenshot(page, "patient-credit-desktop");
    await page.setViewportSize({ width: 390, height: 844 });
    await card.scrollIntoViewIfNeeded();
    await screenshot(page, "patient-credit-phone");

    await history.nth(0).getByRole("link", { name: setup.creditInvoice.number }).click();
    await expect(page).toHaveURL(new RegExp(`/app/invoices/${setup.creditInvoice.id}$`));
  });

  test("a written-off balance is reopened with a reason", async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`/app/invoices/${setup.writtenOff.id}`);
    await expect(page.getByText(/^Written off on/)).toBeVisible();
    await screenshot(page, "written-off-phone");
    await page.getByRole("button", { name: "Reopen written-off balance" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("button", { name: "Reopen $120.00" }).click();
    await expect(dialog.getByText("Give a reason (at least 3 characters).")).toBeVisible();
    await screenshot(page, "reopen-dialog-phone");
    await dialog.getByLabel("Reason").fill("Patient called and agreed to a payment plan");
    await dialog.getByRole("button", { name: "Reopen $120.00" }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Open");
    await expect(page.getByText(/^Written off on/)).toBeHidden();
    await expect(page.getByRole("button", { name: "Reopen written-off balance" })).toBeHidden();
  });

  test("billing staff take applied credit back off an invoice: it owes again, the patient has the credit back", async ({ page }) => {
    await page.goto(`/app/invoices/${setup.creditInvoice.id}`);
    const applications = page.getByTestId("credit-applications");
    await applications.getByRole("button", { name: "Take back" }).click();
    const dialog = page.getByRole("alertdialog");
    await expect(dialog).toContainText(`Take $25.00 of credit back off ${setup.creditInvoice.number}?`);
    await screenshot(page, "take-back-credit-dialog-desktop");
    await dialog.getByRole("button", { name: "Take credit back" }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Open");
    await expect(page.getByTestId("credit-application-unapplied")).toContainText("Taken back");
    await expect(applications.getByRole("button", { name: "Take back" })).toBeHidden();
    await expect(page.getByTestId("invoice-patient-credit")).toContainText("Patient has $30.00 credit");

    await page.goto(`/app/patients/${setup.patientId}`);
    const card = page.getByTestId("patient-credit");
    await expect(card.getByTestId("patient-credit-balance")).toHaveText("$30.00");
    await expect(card.getByTestId("patient-credit-history").getByRole("listitem").nth(0)).toContainText("Taken back off an invoice");
  });
});
