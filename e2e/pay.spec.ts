import { devices, expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { createDemoApiKey } from "./fixtures";

const { defaultBrowserType: _browser, ...phone } = devices["Pixel 7"];
test.use(phone);

let api: APIRequestContext;

test.beforeAll(async ({ playwright, baseURL }) => {
  const key = await createDemoApiKey(`pay-e2e-${Date.now()}`);
  api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${key}` } });
});
test.afterAll(async () => {
  await api.dispose();
  // Every request the app made to Stripe during this file (all keys): no patient data in any of it.
  const emulatorPort = Number(process.env.E2E_PORT ?? 3100) + 10_000;
  const requests = JSON.stringify(await (await fetch(`http://127.0.0.1:${emulatorPort}/_emulator/requests`)).json());
  expect(requests.length).toBeGreaterThan(100);
  for (const needle of ["dana", "payer", "dana@example.test", "physical therapy"]) expect(requests.toLowerCase()).not.toContain(needle);
});

/** An open invoice for 120.00 with a fresh pay link; returns the link's path. */
async function invoiceWithLink() {
  const patient = await (
    await api.post("/api/v1/patients", { data: { firstName: "Dana", lastName: `Payer${Date.now()}`, email: "dana@example.test" } })
  ).json();
  const invoice = await (
    await api.post("/api/v1/invoices", {
      data: { patientId: patient.id, lines: [{ description: "Physical therapy session", quantity: 1, unitAmount: 12_000 }] },
    })
  ).json();
  expect((await api.post(`/api/v1/invoices/${invoice.id}/finalize`)).status()).toBe(200);
  const link = await (await api.post(`/api/v1/invoices/${invoice.id}/payment-link`)).json();
  return { invoiceId: invoice.id as string, patientId: patient.id as string, path: new URL(link.url).pathname };
}

async function fillCard(page: Page, number: string) {
  await page.getByLabel("Card number").fill(number);
  await page.getByLabel("Expiration date").fill("12 / 34");
  await page.getByLabel("Security code").fill("123");
  await page.getByLabel("ZIP / Postal code").fill("97205");
}

async function invoiceStatus(invoiceId: string) {
  return (await (await api.get(`/api/v1/invoices/${invoiceId}`)).json()) as { status: string; amountDue: number };
}

test("a patient pays part of an invoice on a phone, then the rest", async ({ page }) => {
  test.slow(); // Two card payments in a row.
  const { invoiceId, path } = await invoiceWithLink();
  const stripeRequests: string[] = [];
  page.on("request", (request) => {
    if (/stripe\.com/.test(new URL(request.url()).hostname)) stripeRequests.push(request.url());
  });

  await page.goto(path);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/Hello Dana/);
  await expect(page.getByTestId("balance-due")).toHaveText("$120.00");
  await page.getByText("Pay part of it").click();
  await page.getByLabel("Amount to pay").fill("45.50");
  await page.getByRole("button", { name: "Continue to payment" }).click();
  await expect(page.getByText("TEST MODE")).toBeVisible();
  await fillCard(page, "4242 4242 4242 4242");
  await page.getByRole("button", { name: "Pay $45.50" }).click();
  await expect(page.getByRole("heading", { name: "Payment received" })).toBeVisible();
  await expect(page.getByTestId("receipt-amount")).toHaveText("$45.50");
  await expect(page.getByTestId("remaining-balance")).toHaveText("$74.50");
  await expect.poll(async () => (await invoiceStatus(invoiceId)).status).toBe("partially_paid");

  await page.getByRole("link", { name: "Pay the remaining balance" }).click();
  await page.getByRole("button", { name: "Continue to payment" }).click();
  await fillCard(page, "4242 4242 4242 4242");
  await page.getByRole("button", { name: "Pay $74.50" }).click();
  await expect(page.getByTestId("remaining-balance")).toHaveText("$0.00");
  await expect.poll(async () => await invoiceStatus(invoiceId)).toMatchObject({ status: "paid", amountDue: 0 });
  await page.goto(path);
  await expect(page.getByText("This invoice is paid. Thank you!")).toBeVisible();
  expect(stripeRequests).toEqual([]);
});

test("a declined card shows the error and another card succeeds", async ({ page }) => {
  const { invoiceId, path } = await invoiceWithLink();
  await page.goto(path);
  await page.getByRole("button", { name: "Continue to payment" }).click();
  await fillCard(page, "4000 0000 0000 0002");
  await page.getByRole("button", { name: "Pay $120.00" }).click();
  await expect(page.getByTestId("payment-error")).toContainText(/declined/i);
  await fillCard(page, "4242 4242 4242 4242");
  await page.getByRole("button", { name: "Pay $120.00" }).click();
  await expect(page.getByRole("heading", { name: "Payment received" })).toBeVisible();
  await expect.poll(async () => (await invoiceStatus(invoiceId)).status).toBe("paid");
});

test("a 3-D Secure card goes through the authentication page", async ({ page }) => {
  const { invoiceId, path } = await invoiceWithLink();
  await page.goto(path);
  await page.getByRole("button", { name: "Continue to payment" }).click();
  await fillCard(page, "4000 0025 0000 3155");
  await page.getByRole("button", { name: "Pay $120.00" }).click();
  await page.frameLocator('iframe[title="3-D Secure authentication"]').getByRole("button", { name: "Approve" }).click();
  await expect(page.getByRole("heading", { name: "Payment received" })).toBeVisible();
  await expect.poll(async () => (await invoiceStatus(invoiceId)).status).toBe("paid");
});

test("a tampered link shows the invalid-link page and nothing of the invoice", async ({ page }) => {
  const { path } = await invoiceWithLink();
  const tampered = path.slice(0, -3) + (path.endsWith("AAA") ? "BBB" : "AAA");
  await page.goto(tampered);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("This payment link isn't valid");
  await expect(page.getByText("Physical therapy session")).toHaveCount(0);
});

test("a patient saves a card while paying; staff charge it for the next invoice", async ({ page, browser }) => {
  test.slow(); // A card payment, then staff charge the saved card from a second browser.
  const { patientId, path } = await invoiceWithLink();
  await page.goto(path);
  await page.getByLabel(/Save my card/).check();
  await page.getByRole("button", { name: "Continue to payment" }).click();
  await fillCard(page, "4242 4242 4242 4242");
  await page.getByRole("button", { name: "Pay $120.00" }).click();
  await expect(page.getByRole("heading", { name: "Payment received" })).toBeVisible();

  const next = await (
    await api.post("/api/v1/invoices", { data: { patientId, lines: [{ description: "Follow-up session", quantity: 1, unitAmount: 8_000 }] } })
  ).json();
  expect((await api.post(`/api/v1/invoices/${next.id}/finalize`)).status()).toBe(200);

  const staff = await browser.newContext({ storageState: "e2e/.auth/billing.json" });
  const staffPage = await staff.newPage();
  await staffPage.goto(`/app/patients/${patientId}`);
  await expect(staffPage.getByTestId("saved-cards")).toContainText("Visa •••• 4242");
  await staffPage.goto(`/app/invoices/${next.id}`);
  await staffPage.getByRole("button", { name: "Charge $80.00" }).click();
  await staffPage.getByRole("alertdialog").getByRole("button", { name: "Charge card" }).click();
  // Paid in full: the page refreshes to show the payment, and the charge form is gone.
  await expect(staffPage.getByText("Succeeded")).toBeVisible();
  await expect(staffPage.getByRole("button", { name: "Charge $80.00" })).toHaveCount(0);
  await expect.poll(async () => (await invoiceStatus(next.id)).status).toBe("paid");
  await staff.close();
});
