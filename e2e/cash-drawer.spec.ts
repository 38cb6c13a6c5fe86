import type { Page } from "@playwright/test";
import { createDemoApiKey, expect, testAs, toast } from "./fixtures";

const test = testAs("billing");

/** With CAREBILL_SCREENSHOTS=<dir>: `<name>-desktop.png` at 1280 px and `<name>-phone.png` at 390 px (after `prepare` runs again at phone width). */
async function shots(page: Page, name: string, prepare: () => Promise<void> = async () => {}) {
  const dir = process.env.CAREBILL_SCREENSHOTS;
  if (!dir) return;
  const size = page.viewportSize();
  await page.setViewportSize({ width: 1280, height: 900 });
  await prepare();
  await page.screenshot({ path: `${dir}/${name}-desktop.png`, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await prepare();
  await page.screenshot({ path: `${dir}/${name}-phone.png`, fullPage: true });
  if (size) await page.setViewportSize(size);
}

test("cash at the front desk: $100 for an $88.40 invoice gives $11.60 change, pays it, and shows in the end-of-day count", async ({
  page,
  playwright,
  baseURL,
}) => {
  test.slow(); // An API key from the CLI, then five pages.
  const secret = await createDemoApiKey(`Cash drawer e2e ${Date.now()}`);
  const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${secret}` } });
  const lastName = `Drawer${Date.now().toString(36)}`;
  const { id: patientId } = await (await api.post("/api/v1/patients", { data: { firstName: "Avery", lastName } })).json();
  const { id: invoiceId } = await (
    await api.post("/api/v1/invoices", { data: { patientId, lines: [{ description: "Office visit", quantity: 1, unitAmount: 8840 }] } })
  ).json();
  const { number } = await (await api.post(`/api/v1/invoices/${invoiceId}/finalize`)).json();
  await api.dispose();

  // From the invoice: that invoice chosen, its balance as the amount.
  await page.goto(`/app/invoices/${invoiceId}`);
  await page.getByRole("link", { name: "Record payment" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Record payment");
  await expect(page.getByRole("heading", { level: 1 })).toBeFocused();
  await expect(page.getByLabel("Amount received (USD)")).toHaveValue("88.40");
  await expect(page.getByLabel(`Apply to ${number}`)).toBeChecked();
  await expect(page.getByLabel(`Amount for ${number}`)).toHaveValue("88.40");

  await expect(page.getByLabel("Method")).toHaveValue("cash");
  await page.getByLabel("Amount received (USD)").fill("100");
  await expect(page.getByText("Change due $11.60", { exact: false }).first()).toBeVisible();
  await expect(page.getByTestId("change-due")).toContainText("$11.60");
  await expect(page.getByLabel(`Amount for ${number}`)).toHaveValue("88.40");
  await shots(page, "desk-record-payment-change");
  await page.getByRole("button", { name: "Record $88.40" }).click();

  await expect(page).toHaveURL(/\/app\/payments\/[0-9a-f-]{36}$/);
  await expect(toast(page, "Payment of $88.40 recorded. Give back $11.60 change.")).toBeVisible();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("$88.40");
  await expect(page.getByTestId("change-given")).toHaveText("$11.60");
  await shots(page, "desk-payment-change-given");

  await page.goto(`/app/invoices/${invoiceId}`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Paid");

  // The drawer count: Payments → End of day (today, in clinic time).
  await page.goto("/app/payments");
  await page.getByRole("link", { name: "End of day" }).click();
  await expect(page).toHaveURL(/\/app\/payments\/end-of-day$/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("End of day");
  await expect(page.getByRole("heading", { level: 1 })).toBeFocused();
  const staff = page.locator("[data-slot=card]").filter({ has: page.getByRole("heading", { name: "Blair Billing" }) });
  await expect(staff).toBeVisible();
  const mine = staff.getByRole("row").filter({ hasText: `Avery ${lastName}` });
  await expect(mine).toContainText(number);
  await expect(mine).toContainText("$88.40");
  await expect(mine).toContainText("$100.00 received, $11.60 change");
  await expect(staff.getByRole("row").filter({ hasText: /^Cash/ }).first()).toContainText("change");
  await expect(page.getByRole("button", { name: "Print" })).toBeVisible();
  await shots(page, "desk-end-of-day");
});
