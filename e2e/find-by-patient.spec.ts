import { readFile } from "node:fs/promises";
import AxeBuilder from "@axe-core/playwright";
import { createDemoApiKey, expect, screenshot, testAs } from "./fixtures";

const test = testAs("billing");

test("staff find a patient's invoices and payments by name, phone and the global search; sort and export", async ({ page, playwright, baseURL }) => {
  test.slow(); // An API key from the CLI, a dozen pages and a download.
  // The patients, invoices and a cash payment come from the REST API, as an EHR and the desk would create them.
  const secret = await createDemoApiKey(`Find e2e ${Date.now()}`);
  const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${secret}` } });
  const run = Date.now().toString(36);
  const lastName = `Findley${run}`;
  const digits = String(Date.now()).slice(-7);
  const phone = `(555) ${digits.slice(0, 3)}-${digits.slice(3)}`;
  const created = async (path: string, data: unknown) => {
    const response = await api.post(path, { data });
    expect(response.ok(), await response.text()).toBe(true);
    return response.json();
  };
  const patient = await created("/api/v1/patients", { firstName: "Maria", lastName, phone, email: `maria.${run}@example.test` });
  const other = await created("/api/v1/patients", { firstName: "Otto", lastName: `Elsewhere${run}` });
  const bill = async (patientId: string, unitAmount: number) => {
    const draft = await created("/api/v1/invoices", { patientId, lines: [{ description: "Office visit", quantity: 1, unitAmount }] });
    return (await created(`/api/v1/invoices/${draft.id}/finalize`, {})) as { id: string; number: string };
  };
  const larger = await bill(patient.id, 15_000);
  const smaller = await bill(patient.id, 8_000);
  const elsewhere = await bill(other.id, 15_000);
  await created("/api/v1/payments", { patientId: patient.id, method: "cash", amount: 15_000, invoiceId: larger.id });
  await api.dispose();

  // The invoices search takes a patient's name, not only a number.
  await page.goto("/app/invoices");
  await page.getByRole("searchbox", { name: "Search invoices" }).fill(`Maria ${lastName}`);
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`q=Maria\\+${lastName}`));
  const table = page.getByRole("table");
  await expect(table.getByRole("link", { name: larger.number })).toBeVisible();
  await expect(table.getByRole("link", { name: smaller.number })).toBeVisible();
  await expect(table.getByRole("link", { name: elsewhere.number })).toHaveCount(0);
  await screenshot(page, "find-invoices-search", { phone: true });

  // Sorted by a header: Total, largest first, then smallest first; the search stays.
  await page.getByRole("columnheader", { name: "Total" }).getByRole("link").click();
  await expect(page.getByRole("columnheader", { name: "Total" })).toHaveAttribute("aria-sort", "descending");
  await expect(page).toHaveURL(/sort=total&dir=desc/);
  await expect(table.locator("tbody tr").first()).toContainText(larger.number);
  await page.getByRole("columnheader", { name: "Total" }).getByRole("link").click();
  await expect(page.getByRole("columnheader", { name: "Total" })).toHaveAttribute("aria-sort", "ascending");
  await expect(table.locator("tbody tr").first()).toContainText(smaller.number);
  await expect(page).toHaveURL(new RegExp(`q=Maria\\+${lastName}`));

  // The CSV carries the same search and order.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export CSV" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^invoices-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = (await readFile(await download.path())).toString("utf8").trimEnd().split("\r\n");
  expect(csv[0]).toBe("number,status,patient,created,due_date,currency,total,paid,credited,written_off,balance_due");
  expect(csv.slice(1).map((row) => row.split(",")[0])).toEqual([smaller.number, larger.number]);
  expect(csv[2]).toContain(`,paid,Maria ${lastName},`);
  expect(csv[2]).toMatch(/,USD,150\.00,150\.00,0\.00,0\.00,0\.00$/);

  // The global search opens with "/" (and Ctrl+K), finds the patient by phone, and Enter opens her page.
  await page.keyboard.press("/");
  const dialog = page.getByRole("dialog", { name: "Search" });
  await expect(dialog).toBeVisible();
  await page.keyboard.type(`555${digits}`);
  await expect(dialog.getByRole("group", { name: "Patients" }).getByRole("option", { name: new RegExp(`Maria ${lastName}`) })).toBeVisible();
  const axe = await new AxeBuilder({ page }).include('[role="dialog"]').withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(axe.violations).toEqual([]);
  await screenshot(page, "find-global-search", { phone: true });
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/app/patients/${patient.id}$`));
  await expect(dialog).toBeHidden();
  await page.keyboard.press("Control+k");
  await expect(dialog).toBeVisible();
  await page.keyboard.type("$150.00");
  await expect(dialog.getByRole("group", { name: "Payments" }).getByRole("option").first()).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();

  // From the patient's page to their payments: the list is filtered, with a chip that removes the filter.
  await page.getByRole("navigation", { name: "This patient's records" }).getByRole("link", { name: "Payments" }).click();
  await expect(page).toHaveURL(new RegExp(`/app/payments\\?patient=${patient.id}$`));
  await expect(page.getByText(`Patient: Maria ${lastName}`)).toBeVisible();
  const payments = page.getByRole("table");
  await expect(payments.locator("tbody tr")).toHaveCount(1);
  await expect(payments.getByRole("link", { name: larger.number })).toHaveAttribute("href", `/app/invoices/${larger.id}`);
  await expect(payments).toContainText("$150.00");
  await page.getByRole("link", { name: `Remove the filter for Maria ${lastName}` }).click();
  await expect(page).toHaveURL(/\/app\/payments$/);
});
