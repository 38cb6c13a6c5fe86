import AxeBuilder from "@axe-core/playwright";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { createDemoApiKey, storageStatePath } from "./fixtures";

/**
 * Every page, checked by axe against WCAG 2.0/2.1 A and AA: staff pages as the demo clinic's
 * admin at desktop width, the sign-in and patient-facing pages signed out, the pay page also at
 * phone width. A new page is one more entry in STAFF_PAGES or PUBLIC_PAGES.
 */
const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/** Records of this spec's own, made through the API (so no page depends on the demo data's shape). */
type Fixture = {
  patientId: string;
  draftId: string;
  openId: string;
  paymentId: string;
  /** A coverage of the patient (with a payer of this spec's own), for the coverage history page. */
  coverageId: string;
  /** The payer of that coverage, for its fee schedule page. */
  payerId: string;
  /** An open invoice's current pay link, and one that a newer link replaced (a revoked link). */
  payPath: string;
  revokedPayPath: string;
};

/** A page to check: its path, from this spec's records or found on another page. */
type PageEntry = { name: string; path: (fixture: Fixture, page: Page) => string | Promise<string> };

const STAFF_PAGES: PageEntry[] = [
  { name: "dashboard", path: () => "/app" },
  { name: "account", path: () => "/app/account" },
  { name: "patients", path: () => "/app/patients" },
  { name: "patients search", path: () => "/app/patients?q=zzzz-nobody" },
  { name: "new patient", path: () => "/app/patients/new" },
  { name: "patient", path: (fixture) => `/app/patients/${fixture.patientId}` },
  { name: "edit patient", path: (fixture) => `/app/patients/${fixture.patientId}/edit` },
  { name: "invoices", path: () => "/app/invoices" },
  { name: "overdue invoices", path: () => "/app/invoices?status=overdue" },
  { name: "new invoice", path: () => "/app/invoices/new" },
  { name: "draft invoice", path: (fixture) => `/app/invoices/${fixture.draftId}` },
  { name: "edit draft invoice", path: (fixture) => `/app/invoices/${fixture.draftId}/edit` },
  { name: "open invoice", path: (fixture) => `/app/invoices/${fixture.openId}` },
  { name: "invoices searched by patient", path: (fixture) => `/app/invoices?patient=${fixture.patientId}&sort=total&dir=asc` },
  { name: "payments", path: () => "/app/payments" },
  { name: "refunded payments", path: () => "/app/payments?status=refunded" },
  { name: "end of day", path: () => "/app/payments/end-of-day" },
  { name: "credit notes", path: () => "/app/credit-notes" },
  { name: "record payment", path: () => "/app/payments/new" },
  { name: "payment", path: (fixture) => `/app/payments/${fixture.paymentId}` },
  { name: "disputes", path: () => "/app/disputes" },
  { name: "claims", path: () => "/app/claims" },
  { name: "claims, filtered", path: () => "/app/claims?tab=rejected&age=31-60&amountMin=100" },
  { name: "charges pending a claim", path: () => "/app/claims?tab=pending" },
  { name: "record a visit", path: (fixture) => `/app/patients/${fixture.patientId}/visits/new` },
  { name: "claim not found", path: () => "/app/claims/00000000-0000-4000-8000-000000000000" },
  { name: "remittances", path: () => "/app/claims/remittances" },
  { name: "remittances, unmatched claims", path: () => "/app/claims/remittances?status=unmatched" },
  { name: "underpaid lines", path: () => "/app/claims/underpaid" },
  { name: "denials", path: () => "/app/claims/denials" },
  { name: "unmatched claim payments", path: () => "/app/claims/unmatched" },
  { name: "memberships", path: () => "/app/memberships" },
  { name: "canceled memberships", path: () => "/app/memberships?status=canceled" },
  { name: "enroll in a membership", path: (fixture) => `/app/memberships/new?patientId=${fixture.patientId}` },
  { name: "analytics", path: () => "/app/analytics" },
  { name: "analytics, last 90 days by week", path: () => "/app/analytics?preset=last_90_days&granularity=week" },
  { name: "analytics, a bad period", path: () => "/app/analytics?from=2026-02-01&to=2026-01-01" },
  { name: "invoices of an aging bucket", path: () => "/app/invoices?age=0-30" },
  { name: "mailbox", path: () => "/app/mailbox" },
  { name: "email", path: (_fixture, page) => newestEmailPath(page) },
  { name: "settings", path: () => "/app/settings" },
  { name: "users", path: () => "/app/settings/users" },
  { name: "API keys", path: () => "/app/settings/api-keys" },
  { name: "audit log", path: () => "/app/settings/audit-log" },
  { name: "ledger export", path: () => "/app/settings/ledger-export" },
  { name: "alert settings", path: () => "/app/settings/alerts" },
  { name: "autopay settings", path: () => "/app/settings/autopay" },
  { name: "alert history", path: () => "/app/settings/alerts/history" },
  { name: "membership plans", path: () => "/app/settings/membership-plans" },
  { name: "practice settings", path: () => "/app/settings/practice" },
  { name: "payers", path: () => "/app/settings/payers" },
  { name: "payer fee schedule", path: (fixture) => `/app/settings/payers/${fixture.payerId}/fee-schedule` },
  { name: "clearinghouse settings", path: () => "/app/settings/clearinghouse" },
  { name: "coverage history", path: (fixture) => `/app/patients/${fixture.patientId}/coverages/${fixture.coverageId}` },
  { name: "staff page not found", path: () => "/app/invoices/00000000-0000-4000-8000-000000000000" },
  { name: "select organization", path: () => "/select-organization" },
];

const PUBLIC_PAGES: PageEntry[] = [
  { name: "sign in", path: () => "/login" },
  { name: "invalid invitation", path: () => "/invite/not-a-real-invitation-token" },
  { name: "pay page", path: (fixture) => fixture.payPath },
  { name: "invalid pay link", path: (fixture) => `${fixture.payPath.slice(0, -3)}${fixture.payPath.endsWith("AAA") ? "BBB" : "AAA"}` },
  { name: "replaced pay link", path: (fixture) => fixture.revokedPayPath },
  { name: "page not found", path: () => "/no-such-page" },
];

/** The violations axe finds on the page, one readable line per rule with the elements it flagged. */
async function axeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  return results.violations.map(
    (violation) => `${violation.id} (${violation.impact ?? "?"}): ${violation.help} → ${violation.nodes.map((node) => node.target.join(" ")).join(" | ")}`,
  );
}

async function expectNoViolations(page: Page, path: string) {
  const response = await page.goto(path);
  expect(response, `no response for ${path}`).not.toBeNull();
  await expect(page.locator("h1").first()).toBeVisible();
  await page.waitForLoadState("networkidle");
  const violations = await axeViolations(page);
  expect(violations, `axe found WCAG 2.1 AA violations on ${path}:\n${violations.join("\n")}`).toEqual([]);
}

let api: APIRequestContext | undefined;
let fixturePromise: Promise<Fixture> | undefined;

test.afterAll(async () => {
  await api?.dispose();
});

/** The demo clinic's REST API, with a key of this worker's own. */
async function demoApi(playwright: { request: { newContext: (options: object) => Promise<APIRequestContext> } }, baseURL?: string) {
  api ??= await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${await createDemoApiKey(`axe-${Date.now()}`)}` } });
  return api;
}

async function post(request: APIRequestContext, path: string, data?: unknown) {
  const response = await request.post(path, { data });
  expect(response.ok(), `${path}: ${response.status()} ${await response.text()}`).toBe(true);
  return response.json();
}

const LINES = [{ description: "Office visit, established patient", serviceCode: "99213", quantity: 1, unitAmount: 13_500 }];

/** A finalized invoice for the patient; `link`: also a pay link (its path). */
async function openInvoice(request: APIRequestContext, patientId: string) {
  const invoice = await post(request, "/api/v1/invoices", { patientId, lines: LINES });
  await post(request, `/api/v1/invoices/${invoice.id}/finalize`);
  return invoice.id as string;
}

const linkPath = async (request: APIRequestContext, invoiceId: string) =>
  new URL((await post(request, `/api/v1/invoices/${invoiceId}/payment-link`)).url).pathname;

/** Made once per worker through the REST API as the demo clinic. */
function fixture(request: APIRequestContext): Promise<Fixture> {
  fixturePromise ??= (async () => {
    const stamp = Date.now().toString(36);
    const patient = await post(request, "/api/v1/patients", {
      firstName: "Avery",
      lastName: `Axe${stamp}`,
      email: `avery.axe${stamp}@example.test`,
      phone: "(503) 555-0199",
    });
    const draft = await post(request, "/api/v1/invoices", { patientId: patient.id, lines: LINES });
    const openId = await openInvoice(request, patient.id);
    const revokedPayPath = await linkPath(request, openId);
    await post(request, `/api/v1/invoices/${openId}/send`); // an email in the mailbox, and a new link that replaces the first
    const payPath = await linkPath(request, openId);
    const paidId = await openInvoice(request, patient.id);
    const payment = await post(request, "/api/v1/payments", { patientId: patient.id, invoiceId: paidId, method: "cash", amount: 13_500 });
    // The patient page then shows a coverage with benefits (the Insurance section's meters).
    const payer = await post(request, "/api/v1/payers", { name: `Axe Health ${stamp}`, payerId: `AXE${stamp}`.toUpperCase(), claimFilingIndicator: "CI" });
    const coverage = await post(request, `/api/v1/patients/${patient.id}/coverages`, {
      payerId: payer.id,
      priority: 1,
      memberId: `AXE${stamp}`,
      effectiveFrom: "2026-01-01",
    });
    const benefits = await request.put(`/api/v1/coverages/${coverage.id}/benefits`, {
      data: { copays: [{ visitType: "office", amount: 2500 }], coinsuranceBasisPoints: 2000, deductibleIndividual: 150_000, deductibleIndividualMet: 50_000 },
    });
    expect(benefits.ok(), await benefits.text()).toBe(true);
    return { patientId: patient.id, draftId: draft.id, openId, paymentId: payment.id, coverageId: coverage.id, payerId: payer.id, payPath, revokedPayPath };
  })();
  return fixturePromise;
}

/** The newest email's page in the mailbox (the invoice this spec sent, or any other). */
async function newestEmailPath(page: Page): Promise<string> {
  await page.goto("/app/mailbox");
  const href = await page.locator('a[href^="/app/mailbox/"]').first().getAttribute("href");
  expect(href).toBeTruthy();
  return href!;
}

test.describe("staff pages (admin, desktop)", () => {
  test.use({ storageState: storageStatePath("admin") });
  for (const entry of STAFF_PAGES) {
    test(`${entry.name} has no WCAG 2.1 AA violations`, async ({ page, playwright, baseURL }) => {
      const data = await fixture(await demoApi(playwright, baseURL));
      await expectNoViolations(page, await entry.path(data, page));
    });
  }
});

test.describe("signed-out and patient pages (desktop)", () => {
  for (const entry of PUBLIC_PAGES) {
    test(`${entry.name} has no WCAG 2.1 AA violations`, async ({ page, playwright, baseURL }) => {
      const data = await fixture(await demoApi(playwright, baseURL));
      await expectNoViolations(page, await entry.path(data, page));
    });
  }

  test("the pay page's card form, the receipt and the paid invoice's pay page have no violations", async ({ page, playwright, baseURL }) => {
    test.slow(); // A card payment through the emulator.
    const request = await demoApi(playwright, baseURL);
    const data = await fixture(request);
    const payPath = await linkPath(request, await openInvoice(request, data.patientId));
    await page.goto(payPath);
    await page.getByRole("button", { name: "Continue to payment" }).click();
    await expect(page.getByLabel("Card number")).toBeVisible();
    const formViolations = await axeViolations(page);
    expect(formViolations, `axe found violations on the card form:\n${formViolations.join("\n")}`).toEqual([]);
    await page.getByLabel("Card number").fill("4242 4242 4242 4242");
    await page.getByLabel("Expiration date").fill("12 / 34");
    await page.getByLabel("Security code").fill("123");
    await page.getByLabel("ZIP / Postal code").fill("97205");
    await page.getByRole("button", { name: /^Pay \$/ }).click();
    await expect(page.getByRole("heading", { name: "Payment received" })).toBeVisible();
    const receipt = new URL(page.url()).pathname;
    await expectNoViolations(page, receipt);
    await expectNoViolations(page, payPath);
  });
});

test.describe("the pay page on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  test("the pay page at phone width has no WCAG 2.1 AA violations", async ({ page, playwright, baseURL }) => {
    const data = await fixture(await demoApi(playwright, baseURL));
    await expectNoViolations(page, data.payPath);
  });
});
