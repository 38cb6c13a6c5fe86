import { extractPdfText } from "../lib/pdf/extract-pdf-text";
import { createDemoApiKey, expect, screenshot, testAs } from "./fixtures";

const test = testAs("billing");

test("the front desk records a cash payment from the invoice page and prints the receipt", async ({ page, playwright, baseURL }) => {
  test.slow(); // An API key from the CLI, a receipt PDF and seven pages.
  // The patient and invoice come from the REST API, as an EHR would create them.
  const secret = await createDemoApiKey(`Front desk e2e ${Date.now()}`);
  const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${secret}` } });
  const lastName = `Cashpayer${Date.now().toString(36)}`;
  const patient = await api.post("/api/v1/patients", { data: { firstName: "Morgan", lastName, email: `morgan.${lastName.toLowerCase()}@example.test` } });
  const { id: patientId } = await patient.json();
  const invoice = await api.post("/api/v1/invoices", { data: { patientId, lines: [{ description: "Office visit", quantity: 1, unitAmount: 8500 }] } });
  const { id: invoiceId } = await invoice.json();
  const finalized = await api.post(`/api/v1/invoices/${invoiceId}/finalize`);
  const { number } = await finalized.json();
  await api.dispose();

  await page.goto(`/app/invoices/${invoiceId}`);
  await screenshot(page, "invoice-page-desktop");
  await page.getByRole("link", { name: "Record payment" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Record payment");
  // Prefilled with the invoice's balance, applied to it.
  await expect(page.getByLabel("Amount received (USD)")).toHaveValue("85.00");
  await expect(page.getByLabel(`Amount for ${number}`)).toHaveValue("85.00");

  // A check needs its number: the form says so next to the field.
  await page.getByLabel("Method").selectOption("check");
  await page.getByRole("button", { name: "Record $85.00" }).click();
  await expect(page.getByText("Enter the check number.")).toBeVisible();

  // Other than cash (which gives change: e2e/cash-drawer.spec.ts), more than owed is refused unless kept as credit.
  await page.getByLabel("Method").selectOption("card_terminal");
  await page.getByLabel("Amount received (USD)").fill("100");
  await expect(page.getByLabel(`Amount for ${number}`)).toHaveValue("85.00");
  await page.getByRole("button", { name: "Record $100.00" }).click();
  await expect(page.getByText("$15.00 more than what is applied to invoices", { exact: false })).toBeVisible();
  await page.getByLabel("Method").selectOption("cash");
  await page.getByLabel("Amount received (USD)").fill("85.00");
  await screenshot(page, "record-payment", { phone: true });
  await page.getByRole("button", { name: "Record $85.00" }).click();

  await expect(page).toHaveURL(/\/app\/payments\/[0-9a-f-]{36}$/);
  const paymentUrl = page.url();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("$85.00");
  const allocations = page.getByRole("table").filter({ hasText: "Applied" });
  await expect(allocations).toContainText(number);
  await expect(allocations).toContainText("Paid");
  await screenshot(page, "payment-page-desktop");

  const receipt = page.getByRole("link", { name: "Print receipt" });
  const href = (await receipt.getAttribute("href"))!;
  expect(href).toMatch(/^\/app\/payments\/[0-9a-f-]{36}\/receipt$/);
  const pdf = await page.request.get(href);
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()["content-type"]).toBe("application/pdf");
  const text = extractPdfText(await pdf.body());
  expect(text).toContain(`Morgan ${lastName}`);
  expect(text).toMatch(/Amount paid\s+\$85\.00/);
  expect(text).toMatch(new RegExp(`${number}\\s+\\$85\\.00\\s+Paid in full`));
  expect(text).toContain("Cash");

  await page.goto(`/app/invoices/${invoiceId}`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Paid");
  await expect(page.getByRole("link", { name: "Record payment" })).toHaveCount(0);

  await page.goto(`/app/payments/new?patientId=${patientId}`);
  await expect(page.getByText("has no unpaid invoices")).toBeVisible();

  // Recorded by mistake: void it with a reason; the invoice owes again.
  await page.goto(paymentUrl);
  await page.getByRole("button", { name: "Void payment" }).click();
  const dialog = page.getByRole("alertdialog");
  await dialog.getByRole("button", { name: "Void payment" }).click();
  await expect(dialog.getByText("Give a reason (at least 3 characters).")).toBeVisible();
  await dialog.getByLabel("Reason").fill("Recorded on the wrong patient");
  await dialog.getByRole("button", { name: "Void payment" }).click();
  await expect(page.getByText("Reason: Recorded on the wrong patient.")).toBeVisible();
  await expect(page.getByRole("link", { name: "Print receipt" })).toHaveCount(0);
  await page.goto(`/app/invoices/${invoiceId}`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Open");
});
