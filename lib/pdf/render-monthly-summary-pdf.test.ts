import { describe, expect, it } from "vitest";
import { FIGURE_DEFINITIONS } from "@/lib/analytics/figure-definitions";
import { loadMonthlySummary } from "@/lib/analytics/monthly-summary";
import { formatChange, formatRate } from "@/lib/analytics/figure-format";
import { createInvoice } from "@/lib/invoices/create-invoice";
import { finalizeInvoice } from "@/lib/invoices/finalize-invoice";
import { todayIn } from "@/lib/invoices/dates";
import { formatMoney } from "@/lib/money/currency";
import { recordManualPayment } from "@/lib/payments/record-manual-payment";
import { createTestOrganization, createTestPatient, testActor } from "@/tests/factories";
import { setupTestDatabase } from "@/tests/test-database";
import { extractPdfText } from "./extract-pdf-text";
import { renderMonthlySummaryPdf } from "./render-monthly-summary-pdf";

const database = setupTestDatabase();
const actor = testActor();
const usd = (amount: number) => formatMoney(amount, "USD");

function previousMonthOf(month: string): string {
  const date = new Date(`${month}-01T00:00:00Z`);
  date.setUTCMonth(date.getUTCMonth() - 1);
  return date.toISOString().slice(0, 7);
}

describe("monthly summary PDF", () => {
  it("prints the month's figures beside the previous month's, as the page writes them, on one page", async () => {
    const org = await createTestOrganization(database.db);
    const organizationId = org.organizationId;
    await database.db.organization.update({ where: { id: organizationId }, data: { timezone: "America/New_York", name: "Sunrise Family Clinic" } });
    const patient = await createTestPatient(database.db, { organizationId, firstName: "Ana", lastName: "Lopez" });
    const now = new Date();
    const month = todayIn("America/New_York", now).slice(0, 7);
    const previous = previousMonthOf(month);
    const bill = async (lines: { description: string; serviceCode: string; unitAmount: number }[], finalizedAt?: Date) => {
      const draft = await createInvoice(database.db, {
        organizationId,
        actor,
        input: { patientId: patient.id, lines: lines.map((line) => ({ ...line, quantity: 1 })) },
      });
      return finalizeInvoice(database.db, { organizationId, invoiceId: draft.id, actor, ...(finalizedAt ? { now: finalizedAt } : {}) });
    };
    // Last month: one visit of $200.00. This month: $150.00 billed over two services, $60.00 of it paid in cash.
    await bill([{ description: "New patient visit", serviceCode: "99203", unitAmount: 20_000 }], new Date(`${previous}-15T15:00:00Z`));
    const current = await bill([
      { description: "Established patient visit", serviceCode: "99213", unitAmount: 12_500 },
      { description: "Venipuncture", serviceCode: "36415", unitAmount: 2_500 },
    ]);
    await recordManualPayment(database.db, {
      organizationId,
      actor,
      input: { patientId: patient.id, method: "cash", amount: 6_000, invoiceId: current.id, receivedOn: todayIn("America/New_York", now) },
    });

    const { filename, pdf } = await renderMonthlySummaryPdf(database.db, { organizationId, month, now });
    expect(filename).toBe(`monthly-summary-${month}.pdf`);
    const text = extractPdfText(pdf);
    expect(text.match(/\f/g) ?? []).toHaveLength(1); // one page
    const lineOf = (label: string) => text.split("\n").find((line) => line.trimStart().startsWith(label)) ?? "";

    const monthName = new Intl.DateTimeFormat("en-US", { month: "long", year: "numeric", timeZone: "UTC" }).format(new Date(`${month}-01T00:00:00Z`));
    expect(text).toContain("MONTHLY SUMMARY");
    expect(text).toContain("Sunrise Family Clinic");
    expect(text).toContain(`${monthName} to date`);
    // Same numbers as the loaders the page uses, formatted as the page formats them.
    expect(lineOf("Charges")).toMatch(new RegExp(`\\$150\\.00\\s+\\$200\\.00\\s+−25\\.0%`));
    expect(lineOf("Net charges")).toMatch(/\$150\.00\s+\$200\.00\s+−25\.0%/);
    expect(lineOf("Collections")).toMatch(/\$60\.00\s+\$0\.00\s+new/);
    expect(lineOf("Cash")).toMatch(/\$60\.00\s+\$0\.00\s+new/);
    expect(lineOf("Net collections")).toMatch(/\$60\.00\s+\$0\.00\s+new/);
    expect(lineOf("Gross collection")).toMatch(/40\.0%\s+0\.0%\s+\+40\.0 pts/);
    expect(text).toMatch(/Accounts receivable\s*\d*\s+2\s+\$290\.00/);
    const today = todayIn("America/New_York", now);
    const lastMonthsAge = Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${previous}-15T00:00:00Z`)) / 86_400_000);
    if (lastMonthsAge <= 30) expect(text).toMatch(/0–30 days\s+2\s+\$290\.00\n/);
    else {
      expect(text).toMatch(/0–30 days\s+1\s+\$90\.00\n/);
      expect(text).toMatch(new RegExp(`${lastMonthsAge <= 60 ? "31–60" : "61–90"} days\\s+1\\s+\\$200\\.00\\n`));
    }
    expect(text).toMatch(/99213 · Established patient visit\s+\$125\.00/);
    expect(text).toMatch(/36415 · Venipuncture\s+\$25\.00/);
    // The definitions, as the page's info popovers give them, are the footnotes.
    const raw = extractPdfText(pdf, "raw").replace(/\s+/g, " ");
    expect(raw).toContain(`${FIGURE_DEFINITIONS.grossCollectionRate.label}. ${FIGURE_DEFINITIONS.grossCollectionRate.definition}`);
    expect(raw).toContain(`${FIGURE_DEFINITIONS.charges.label}. ${FIGURE_DEFINITIONS.charges.definition}`);

    const summary = await loadMonthlySummary(database.db, { organizationId, month, now });
    expect(summary.current.summary.charges.current).toBe(15_000);
    expect(summary.previous.summary.charges.current).toBe(20_000);
    expect(lineOf("Charges")).toContain(`${usd(summary.current.summary.charges.current)}`);
    expect(text).toContain(formatRate(summary.current.summary.grossCollectionRate.current));
    expect(text).toContain(formatChange(15_000, 20_000, "amount"));
  });
});
