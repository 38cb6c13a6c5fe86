import { expect, testAs } from "./fixtures";

const test = testAs("admin");

test("an admin creates an API key and an integrator bills a patient with it over HTTP", async ({ page, playwright, baseURL }) => {
  await page.goto("/app/settings/api-keys");
  await page.getByRole("button", { name: "Create key" }).click();
  await page.getByRole("dialog").getByLabel("Name").fill(`Integration ${Date.now()}`);
  await page.getByRole("dialog").getByRole("button", { name: "Create key" }).click();
  const secret = (await page.getByTestId("new-api-key").textContent())!.trim();
  expect(secret).toMatch(/^cb_/);

  // A separate client with no cookies, like curl.
  const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${secret}` } });
  const patient = await api.post("/api/v1/patients", { data: { firstName: "Casey", lastName: "Integrator", email: "casey@example.test" } });
  expect(patient.status()).toBe(201);
  const { id: patientId } = await patient.json();
  const invoice = await api.post("/api/v1/invoices", {
    headers: { "idempotency-key": `inv-${patientId}` },
    data: { patientId, taxRate: 8.25, lines: [{ description: "Office visit", serviceCode: "99213", quantity: 1, unitAmount: 12500 }] },
  });
  expect(invoice.status()).toBe(201);
  const { id: invoiceId } = await invoice.json();
  const finalized = await api.post(`/api/v1/invoices/${invoiceId}/finalize`);
  expect(await finalized.json()).toMatchObject({ status: "open", total: 13531, amountDue: 13531 });
  expect((await api.post(`/api/v1/invoices/${invoiceId}/send`)).status()).toBe(200);
  const bad = await api.post("/api/v1/invoices", { data: { patientId, lines: [{ description: "x", quantity: 0, unitAmount: -1 }] } });
  expect(bad.status()).toBe(422);
  expect(Object.keys((await bad.json()).error.fields).sort()).toEqual(["lines.0.quantity", "lines.0.unitAmount"]);
  await api.dispose();

  await page.goto("/app/settings/audit-log?action=invoice.");
  await expect(page.getByRole("table")).toContainText("invoice.finalized");
  await expect(page.getByRole("table")).toContainText("api-key:Integration");
});
