import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { test as base, devices, type APIRequestContext, type BrowserContext, type Page } from "@playwright/test";
import { e2eScriptEnv, expect, screenshot, signInThroughApi, storageStatePath } from "./fixtures";

const test = base;

const run = promisify(execFile);
const { defaultBrowserType: _browser, ...phone } = devices["Pixel 7"];

/** "$1,234.56" → 123456 (minor units). */
const cents = (text: string) => Math.round(Number(text.replace(/[^0-9.-]/g, "")) * 100);

test.describe("the demo clinic's analytics (admin)", () => {
  test.use({ storageState: storageStatePath("admin") });

  test("renders every chart with figures, a table behind each chart, and the dashboard's four figures link into it", async ({ page }) => {
    await page.goto("/app/analytics?preset=last_90_days");
    await expect(page.getByRole("heading", { level: 1, name: "Analytics" })).toBeVisible();
    for (const chart of ["trend-chart", "aging-chart", "channel-chart"]) {
      // Recharts draws into an SVG once the container is measured (client side).
      await expect(page.getByTestId(chart).locator("svg.recharts-surface").first()).toBeVisible();
    }
    await expect(page.getByTestId("trend-chart").locator(".recharts-line-curve")).toHaveCount(2);
    await expect(page.getByTestId("aging-chart").locator(".recharts-bar-rectangle path").first()).toBeVisible();
    await expect(page.getByTestId("channel-chart").locator(".recharts-bar-rectangle path").first()).toBeVisible();
    for (const figure of ["charges", "collections", "receivables", "success-rate"]) {
      await expect(page.getByTestId(`figure-${figure}`).getByTestId("figure-value")).toHaveText(/^(\$[\d,]+\.\d\d|\d+\.\d%)$/);
    }
    expect(cents(await page.getByTestId("figure-charges").getByTestId("figure-value").innerText())).toBeGreaterThan(0);
    expect(cents(await page.getByTestId("figure-collections").getByTestId("figure-value").innerText())).toBeGreaterThan(0);
    expect(cents(await page.getByTestId("figure-receivables").getByTestId("figure-value").innerText())).toBeGreaterThan(0);
    // Each chart's figures as a table, in the clinic's currency.
    const tables = page.getByTestId("chart-table");
    await expect(tables).toHaveCount(3);
    for (const table of await tables.all()) {
      await table.getByText("Show as table").click();
      await expect(table.getByRole("table")).toBeVisible();
      await expect(
        table
          .getByRole("cell")
          .filter({ hasText: /^\$[\d,]+\.\d\d$/ })
          .first(),
      ).toBeVisible();
    }
    await expect(page.getByRole("link", { name: /Monthly summary/ })).toHaveAttribute("href", /^\/app\/analytics\/monthly-summary\?month=\d{4}-\d{2}$/);
    await expect(page.getByRole("link", { name: "Download Billed and collected as CSV" })).toHaveAttribute(
      "href",
      "/app/analytics/export/summary?preset=last_90_days",
    );

    await page.goto("/app");
    for (const figure of ["collected", "receivables", "card-success", "open-disputes"]) await expect(page.getByTestId(`figure-${figure}`)).toBeVisible();
    await expect(page.getByTestId("figure-receivables")).toContainText(/% over 90 days/);
    await page.getByTestId("figure-receivables").click();
    await expect(page).toHaveURL(/\/app\/analytics#section-receivables$/);
    // The page reads seven reports; on a busy machine that is seconds.
    await expect(page.getByTestId("section-receivables")).toBeVisible({ timeout: 60_000 });
  });

  test("an aging bucket opens the invoice list filtered to exactly its invoices, with a chip that removes the filter", async ({ page }) => {
    await page.goto("/app/analytics");
    // The oldest bucket with invoices in it: the demo's older invoices, which other specs (billing today) do not change.
    const buckets = page.getByTestId("aging-buckets").getByRole("link");
    let chosen: { href: string; count: number; amount: number } | undefined;
    for (const link of (await buckets.all()).toReversed()) {
      const text = await link.innerText();
      const count = Number(/(\d+) invoices?/.exec(text)?.[1] ?? 0);
      if (count > 0 && count <= 20) {
        chosen = { href: (await link.getAttribute("href"))!, count, amount: cents(/\$[\d,]+\.\d\d/.exec(text)![0]) };
        await link.click();
        break;
      }
    }
    expect(chosen, "a bucket with invoices").toBeDefined();
    await expect(page).toHaveURL(new RegExp(`${chosen!.href.replace(/[?+]/g, "\\$&")}$`));
    await expect(page.getByTestId("filter-chip")).toContainText("Age:");
    const rows = page.locator('[data-testid^="invoice-row-"]');
    await expect(rows).toHaveCount(chosen!.count);
    // Their balances add up to the bucket's amount.
    const balances = await rows.evaluateAll((elements) => elements.map((row) => row.querySelector("td:last-child")?.textContent ?? ""));
    expect(balances.map(cents).reduce((sum, value) => sum + value, 0)).toBe(chosen!.amount);
    await screenshot(page, "analytics-aging-drilldown-desktop");
    await page.getByRole("link", { name: /Remove the filter Age/ }).click();
    await expect(page).toHaveURL(/\/app\/invoices$/);
    await expect(page.getByTestId("filter-chip")).toHaveCount(0);
  });

  test("collections and refunds open the payments whose money moved in the period, with a chip that removes the filter", async ({ page }) => {
    await page.goto("/app/analytics");
    await page.getByTestId("figure-collections").getByTestId("figure-value").click();
    await expect(page).toHaveURL(/\/app\/payments\?paidFrom=(\d{4}-\d{2})-01&paidTo=\1-\d{2}$/);
    await expect(page.getByTestId("filter-chip")).toContainText("Paid:");
    await expect(page.getByRole("row").nth(1)).toBeVisible();
    // Each row says when its money came in (the day the figure counts it).
    await expect(page.getByTestId("payment-paid-at").first()).toHaveText(/^Paid \w{3} \d+, \d{4}/);
    await screenshot(page, "analytics-collections-drilldown", { phone: true });
    await page.getByRole("link", { name: /Remove the filter Paid/ }).click();
    await expect(page).toHaveURL(/\/app\/payments$/);

    await page.goto("/app/analytics");
    await page.getByTestId("figure-refunds").getByTestId("figure-value").click();
    await expect(page).toHaveURL(/\/app\/payments\?refundedFrom=(\d{4}-\d{2})-01&refundedTo=\1-\d{2}$/);
    await expect(page.getByTestId("filter-chip")).toContainText("Refund requested:");
    // The demo's refund is of a card payment made today.
    await expect(page.getByRole("row").nth(1)).toBeVisible();
    await screenshot(page, "analytics-refunds-drilldown-desktop");
  });

  test("changing the period changes the URL and the figures; a bad period names the field", async ({ page }) => {
    await page.goto("/app/analytics");
    const charges = page.getByTestId("figure-charges").getByTestId("figure-value");
    const thisMonth = await charges.innerText();
    await page.getByLabel("Period", { exact: true }).selectOption("last_90_days");
    await expect(page).toHaveURL(/\/app\/analytics\?preset=last_90_days$/);
    await expect(charges).not.toHaveText(thisMonth);
    expect(cents(await charges.innerText())).toBeGreaterThan(cents(thisMonth));

    await page.getByLabel("Granularity", { exact: true }).selectOption("month");
    await expect(page).toHaveURL(/preset=last_90_days&granularity=month$/);
    // The trend's table (closed, so out of the accessibility tree until opened) is by month now.
    await expect(
      page
        .getByTestId("chart-table")
        .first()
        .locator("th", { hasText: /^Month$/ }),
    ).toBeAttached();

    await page.getByLabel("Period", { exact: true }).selectOption("custom");
    await page.getByLabel("From", { exact: true }).fill("2026-01-01");
    await page.getByLabel("To", { exact: true }).fill("2025-12-01");
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(page).toHaveURL(/from=2026-01-01&to=2025-12-01/);
    const errors = page.getByTestId("period-errors");
    await expect(errors).toContainText("To: Must be on or after from");

    await page.goto("/app/analytics?granularity=hourly&from=2026-02-30&to=2026-03-01");
    await expect(page.getByTestId("period-errors")).toContainText("Granularity:");
    await expect(page.getByTestId("period-errors")).toContainText("From: Not a real date");
  });

  test("a figure's definition opens from the keyboard, with the focus visible", async ({ page }) => {
    await page.goto("/app/analytics");
    const trigger = page.getByTestId("figure-charges").getByRole("button", { name: "How Charges is computed" });
    await trigger.focus();
    await page.keyboard.press("Enter");
    const popover = page.getByRole("dialog", { name: "Charges: definition" });
    await expect(popover).toBeVisible();
    await expect(popover).toContainText("Σ invoice totals finalized");
    await page.keyboard.press("Escape");
    await expect(popover).toBeHidden();
    await expect(trigger).toBeFocused();
    expect(await trigger.evaluate((element) => element.matches(":focus-visible"))).toBe(true);
    // Tab order reaches the drill-down link right after the definition.
    await page.keyboard.press("Tab");
    await expect(page.getByTestId("figure-charges").getByTestId("figure-value")).toBeFocused();
  });
});

test.describe("a viewer", () => {
  test.use({ storageState: storageStatePath("viewer") });
  test("sees the analytics page read-only", async ({ page }) => {
    await page.goto("/app/analytics");
    await expect(page.getByRole("heading", { level: 1, name: "Analytics" })).toBeVisible();
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Analytics" })).toBeVisible();
    // Nothing to change here, only downloads.
    await expect(page.getByRole("link", { name: "Download Billed and collected as CSV" })).toBeVisible();
    await expect(page.locator("main form[method='post' i]")).toHaveCount(0);
  });
});

// A clinic of this test's own (e2e/create-clinic.ts), so the demo's other specs cannot move its AR.
test.describe("after a full flow", () => {
  type Clinic = { slug: string; adminEmail: string; password: string; apiKey: string };
  let clinic: Clinic;
  let api: APIRequestContext;
  let staff: BrowserContext;

  test.beforeAll(async ({ playwright, baseURL, browser }) => {
    const slug = `analytics-${Date.now().toString(36)}`;
    const { stdout } = await run(process.execPath, ["--import", "tsx", "e2e/create-clinic.ts", slug], { env: e2eScriptEnv() });
    clinic = JSON.parse(stdout.trim()) as Clinic;
    api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${clinic.apiKey}` } });
    staff = await browser.newContext({ baseURL, viewport: { width: 1280, height: 900 } });
    await signInThroughApi(staff.request, clinic.adminEmail, clinic.password);
  });
  test.afterAll(async () => {
    await api?.dispose();
    await staff?.close();
  });

  async function post(path: string, data?: unknown) {
    const response = await api.post(path, { data });
    expect(response.ok(), `${path}: ${response.status()} ${await response.text()}`).toBe(true);
    return response.json();
  }
  async function openInvoice(patientId: string, unitAmount: number): Promise<string> {
    const invoice = await post("/api/v1/invoices", { patientId, lines: [{ description: "Office visit", serviceCode: "99213", quantity: 1, unitAmount }] });
    await post(`/api/v1/invoices/${invoice.id}/finalize`);
    return invoice.id as string;
  }

  test("AR on the page equals the AR account in the hledger export and the open invoices' amount due", async ({ browser }) => {
    test.slow(); // A card payment on the pay page, a refund, then the page and the export.
    const patient = await post("/api/v1/patients", { firstName: "Ada", lastName: "Lovelace", email: "ada@example.test" });
    const partlyPaid = await openInvoice(patient.id, 20_000);
    const paidByCard = await openInvoice(patient.id, 15_000);
    const credited = await openInvoice(patient.id, 9_000);
    await openInvoice(patient.id, 4_500).then((id) => post(`/api/v1/invoices/${id}/void`, { reason: "Entered twice" }));
    await post("/api/v1/payments", { patientId: patient.id, invoiceId: partlyPaid, method: "cash", amount: 5_000 });
    await post(`/api/v1/invoices/${credited}/credit-notes`, { amount: 1_000, reason: "Courtesy adjustment" });

    // The patient pays one invoice by card on the pay page; staff then refund part of it.
    const link = await post(`/api/v1/invoices/${paidByCard}/payment-link`);
    const patientContext = await browser.newContext({ ...phone, storageState: { cookies: [], origins: [] } });
    const payPage = await patientContext.newPage();
    await payPage.goto(new URL(link.url).pathname);
    await payPage.getByRole("button", { name: "Continue to payment" }).click();
    await payPage.getByLabel("Card number").fill("4242 4242 4242 4242");
    await payPage.getByLabel("Expiration date").fill("12 / 34");
    await payPage.getByLabel("Security code").fill("123");
    await payPage.getByLabel("ZIP / Postal code").fill("97205");
    await payPage.getByRole("button", { name: "Pay $150.00" }).click();
    await expect(payPage.getByRole("heading", { name: "Payment received" })).toBeVisible();
    const paymentId = payPage.url().split("/receipt/")[1]!;
    await patientContext.close();
    await post(`/api/v1/payments/${paymentId}/refunds`, { amount: 4_000, reason: "requested_by_customer", mode: "credit_note" });

    // By hand: 200.00 − 50.00 cash + 90.00 − 10.00 credit note; the card-paid invoice owes nothing (the refund came with a credit note), the void nothing.
    const expected = 20_000 - 5_000 + 9_000 - 1_000;

    const page: Page = await staff.newPage();
    await page.goto("/app/analytics");
    const shown = cents(await page.getByTestId("figure-receivables").getByTestId("figure-value").innerText());
    await screenshot(page, "analytics-own-clinic", { phone: true });

    const journal = await api.get("/api/v1/ledger/export");
    expect(journal.ok()).toBe(true);
    const dir = await mkdtemp(join(tmpdir(), "carebill-analytics-"));
    let fromHledger: number;
    try {
      const file = join(dir, "books.journal");
      await writeFile(file, await journal.text());
      const { stdout } = await run("hledger", ["-f", file, "balance", "--strict", "--flat", "--no-total", "Receivable", "-O", "csv"]);
      const row = stdout
        .trim()
        .split("\n")
        .slice(1)
        .map((line) => line.split('","').map((cell) => cell.replace(/"/g, "")))
        .find(([account]) => /Receivable/i.test(account!));
      fromHledger = cents(row?.[1] ?? "0");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }

    const invoices = (await (await api.get("/api/v1/invoices?limit=100")).json()) as { data: { status: string; amountDue: number }[] };
    const openDue = invoices.data
      .filter((invoice) => invoice.status === "open" || invoice.status === "partially_paid")
      .reduce((sum, invoice) => sum + invoice.amountDue, 0);

    expect({ shown, fromHledger, openDue }).toEqual({ shown: expected, fromHledger: expected, openDue: expected });
    await page.close();
  });
});
