import { expect, screenshot, testAs, toast } from "./fixtures";

const test = testAs("admin");

test("a plan created over the API shows its schedule and state; staff pause it; it shows on the patient page", async ({ page, playwright, baseURL }) => {
  await page.goto("/app/settings/api-keys");
  await page.getByRole("button", { name: "Create key" }).click();
  await page.getByRole("dialog").getByLabel("Name").fill(`Plans ${Date.now()}`);
  await page.getByRole("dialog").getByRole("button", { name: "Create key" }).click();
  const secret = (await page.getByTestId("new-api-key").textContent())!.trim();
  const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${secret}` } });
  const { id: patientId } = await (await api.post("/api/v1/patients", { data: { firstName: "Pia", lastName: "Planner" } })).json();
  const { id: invoiceId } = await (
    await api.post("/api/v1/invoices", { data: { patientId, lines: [{ description: "Procedure", quantity: 1, unitAmount: 60000 }] } })
  ).json();
  await api.post(`/api/v1/invoices/${invoiceId}/finalize`);
  const startDate = new Date(Date.now() + 35 * 86_400_000).toISOString().slice(0, 10);
  const created = await api.post("/api/v1/payment-plans", {
    data: { patientId, installmentCount: 3, frequency: "monthly", startDate, sendCardLink: true },
  });
  expect(created.status()).toBe(201);
  const { id: planId } = await created.json();
  await api.dispose();

  await page.goto(`/app/payment-plans/${planId}`);
  await expect(page.getByRole("heading", { name: /Payment plan/ })).toContainText("Active");
  await expect(page.getByTestId("installment-row")).toHaveCount(3);
  await expect(page.getByTestId("installment-row").first()).toContainText("$200.00");
  await screenshot(page, "plan-page", { phone: true });
  // On a phone the page does not scroll sideways (the schedule fits in its card).
  await page.setViewportSize({ width: 390, height: 844 });
  await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.getByRole("button", { name: "Pause" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Pause plan" }).click();
  await expect(toast(page, "Plan paused.")).toBeVisible();
  await expect(page.getByRole("heading", { name: /Payment plan/ })).toContainText("Paused");

  await page.goto(`/app/patients/${patientId}`);
  await expect(page.getByTestId("payment-plans")).toContainText("$600.00 plan");
  await expect(page.getByTestId("payment-plans")).toContainText("Paused");

  await page.goto(`/app/invoices/${invoiceId}`);
  await expect(page.getByTestId("invoice-payment-plan")).toContainText("Paused");

  await page.goto("/app/needs-attention");
  await expect(page.getByRole("heading", { level: 1, name: "Needs attention" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /Needs attention/ })).toBeVisible();
});

test("staff create a plan from the patient page: preview the schedule, then create it", async ({ page, playwright, baseURL }) => {
  await page.goto("/app/settings/api-keys");
  await page.getByRole("button", { name: "Create key" }).click();
  await page.getByRole("dialog").getByLabel("Name").fill(`Plans UI ${Date.now()}`);
  await page.getByRole("dialog").getByRole("button", { name: "Create key" }).click();
  const secret = (await page.getByTestId("new-api-key").textContent())!.trim();
  const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${secret}` } });
  const { id: patientId } = await (
    await api.post("/api/v1/patients", { data: { firstName: "Uma", lastName: "Installments", email: "uma@example.test" } })
  ).json();
  const { id: invoiceId } = await (
    await api.post("/api/v1/invoices", { data: { patientId, lines: [{ description: "Procedure", quantity: 1, unitAmount: 90000 }] } })
  ).json();
  await api.post(`/api/v1/invoices/${invoiceId}/finalize`);
  await api.dispose();

  await page.goto(`/app/patients/${patientId}`);
  await page.getByRole("link", { name: "New payment plan" }).click();
  await page.getByLabel("Installments").fill("0");
  await page.getByRole("button", { name: "Preview schedule" }).click();
  await expect(page.getByText("A plan has at least 1 installment.")).toBeVisible();
  await page.getByLabel("Installments").fill("3");
  await page.getByRole("button", { name: "Preview schedule" }).click();
  await expect(page.getByTestId("plan-preview").getByRole("row")).toHaveCount(4);
  await expect(page.getByTestId("plan-preview")).toContainText("$300.00");
  await page.getByRole("button", { name: "Create plan" }).click();
  await expect(page.getByRole("heading", { name: /Payment plan/ })).toContainText("Active");
  await expect(page.getByTestId("installment-row")).toHaveCount(3);
  // Skip the first: its $300 moves to a fourth installment at the end.
  await page.getByTestId("installment-row").first().getByRole("button", { name: "Skip" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Skip installment" }).click();
  await expect(page.getByTestId("installment-row")).toHaveCount(4);
  await expect(page.getByTestId("installment-row").first()).toContainText("Skipped");
  await expect(page.getByTestId("installment-row").last()).toContainText("$300.00");
});
