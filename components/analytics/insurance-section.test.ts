import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { AGING_BUCKETS, type InsuranceReport } from "@/lib/analytics/analytics.types";
import { InsuranceSection } from "./insurance-section";

const period = {
  from: "2026-11-07",
  to: "2026-12-06",
  granularity: "day",
  previous: { from: "2026-10-08", to: "2026-11-06" },
  timezone: "America/New_York",
  currency: "USD",
} as const;
const buckets = (amounts: Partial<Record<(typeof AGING_BUCKETS)[number], number>>) =>
  AGING_BUCKETS.map((key) => ({ key, count: amounts[key] ? 1 : 0, amount: amounts[key] ?? 0 }));

const report: InsuranceReport = {
  period,
  hasClaims: true,
  receivables: {
    asOf: "2026-12-06",
    buckets: buckets({ "0-30": 20_000, "31-60": 17_500 }),
    total: { count: 3, amount: 37_500 },
    over90Amount: 0,
    over90Percent: 0,
    byPayer: [
      { payerId: "payer-a", payerName: "EXAMPLE HEALTH PLAN", total: { count: 2, amount: 35_000 }, buckets: buckets({ "0-30": 17_500, "31-60": 17_500 }) },
      { payerId: "payer-b", payerName: "SECOND PLAN", total: { count: 1, amount: 2_500 }, buckets: buckets({ "0-30": 2_500 }) },
    ],
  },
  daysToPay: {
    overall: { claims: 2, averageDays: 8.5, medianDays: 8.5 },
    byPayer: [{ payerId: "payer-a", payerName: "EXAMPLE HEALTH PLAN", claims: 1, averageDays: 12, medianDays: 12 }],
  },
  denials: {
    submitted: { count: { current: 4, previous: 0 }, amount: { current: 70_000, previous: 0 } },
    initiallyDenied: { count: { current: 1, previous: 0 }, amount: { current: 17_500, previous: 0 } },
    denialRate: { current: 0.25, previous: null },
    denialRateByAmount: { current: 0.25, previous: null },
    byPayer: [
      {
        payerId: "payer-b",
        payerName: "SECOND PLAN",
        submitted: { count: 1, amount: 17_500 },
        initiallyDenied: { count: 1, amount: 17_500 },
        denialRate: 1,
        denialRateByAmount: 1,
      },
    ],
  },
  claimCharges: { current: 70_000, previous: 0 },
  insurerPaid: { current: 12_840, previous: 0 },
  contractualAdjustments: { current: 14_200, previous: 0 },
  patientCollections: { current: 9_460, previous: 0 },
  insurerShare: { current: 12_840 / 22_300, previous: null },
  netCollectionRate: { current: 22_300 / 65_800, previous: null },
};

const render = (value: InsuranceReport) =>
  renderToStaticMarkup(createElement(InsuranceSection, { report: value, csvHref: "/app/analytics/export/insurance", previousLabel: "the previous period" }));

describe("InsuranceSection", () => {
  it("shows the figures, the A/R by payer and age with a total row, and one row per payer with its days to pay and denial rate", () => {
    const html = render(report);
    expect(html).toContain('data-testid="section-insurance"');
    expect(html).toContain("$375.00");
    expect(html).toContain("$128.40");
    expect(html).toContain("33.9%"); // 22,300 ÷ 65,800
    expect(html).toContain("25.0%");
    expect(html).toContain("8.5 days");
    const arTable = html.slice(html.indexOf('data-testid="insurance-ar-by-payer"'), html.indexOf('data-testid="insurance-by-payer"'));
    expect(arTable.match(/<tr/g)).toHaveLength(4); // header, two payers, all payers
    expect(arTable).toContain('href="/app/claims?payer=payer-a"');
    const byPayer = html.slice(html.indexOf('data-testid="insurance-by-payer"'));
    expect(byPayer).toContain("12.0 days");
    expect(byPayer).toContain("100.0%");
    expect(byPayer.match(/<tr/g)).toHaveLength(3); // header, payer a (paid), payer b (denied)
    expect(html).not.toContain('data-testid="insurance-empty"');
  });

  it("shows the empty state, with no figures, when the clinic has sent no claim", () => {
    const html = render({ ...report, hasClaims: false });
    expect(html).toContain('data-testid="insurance-empty"');
    expect(html).not.toContain("figure-insurer-paid");
  });
});
