import type { Db, Tx } from "@/lib/db/client";
import { periodBuckets } from "./analytics-period";
import type { AnalyticsPeriod, SummaryReport } from "./analytics.types";
import { loadAging } from "./get-aging-report";
import { ledgerTotals, ratio, type LedgerFigure, type LedgerTotals } from "./ledger-figures";
import { loadLedgerFacts, receivableOf } from "./load-ledger-facts";
import { CURRENT, LAST_90_DAYS, PREVIOUS, bucketTag, last90Days } from "./report-ranges";

const COMPARED_FIGURES = [
  "charges",
  "discounts",
  "creditNotes",
  "writeOffs",
  "netCharges",
  "collections",
  "refunds",
  "netCollections",
  "creditApplied",
  "processingFees",
  "disputeLosses",
  "disputeFees",
] as const satisfies readonly (keyof LedgerTotals)[];

/** The ledger figures the summary reads (the compared ones and what they are made of). */
export const SUMMARY_FIGURES = [
  "charges",
  "discounts",
  "creditNotes",
  "writeOffs",
  "collections",
  "refunds",
  "creditApplied",
  "processingFees",
  "disputeLosses",
  "disputeFees",
] as const satisfies readonly LedgerFigure[];

/** What the summary's series charts: charges, net charges, collections, refunds, net collections. */
const SUMMARY_SERIES_FIGURES = ["charges", "creditNotes", "collections", "refunds"] as const satisfies readonly LedgerFigure[];

function netCollectionRate(totals: LedgerTotals): number | null {
  return ratio(totals.collections - totals.refunds, totals.charges - totals.creditNotes - totals.writeOffs);
}

/**
 * The clinic's money for a period against the previous one (figure-definitions.ts), with the
 * receivable now (the AR account's balance) and its days in A/R.
 */
export async function getSummaryReport(db: Db | Tx, options: { organizationId: string; period: AnalyticsPeriod; now?: Date }): Promise<SummaryReport> {
  const { period } = options;
  const now = options.now ?? new Date();
  const facts = await loadLedgerFacts(db, {
    organizationId: options.organizationId,
    period,
    series: true,
    last90: last90Days(period.timezone, now),
    figures: SUMMARY_FIGURES,
    seriesFigures: SUMMARY_SERIES_FIGURES,
    seriesChannels: false,
  });
  const current = ledgerTotals(facts, CURRENT);
  const previous = ledgerTotals(facts, PREVIOUS);
  const last90 = ledgerTotals(facts, LAST_90_DAYS);
  const aging = await loadAging(db, { organizationId: options.organizationId, timezone: period.timezone, currency: period.currency, now });
  const receivable = receivableOf(facts);
  const compared = Object.fromEntries(COMPARED_FIGURES.map((figure) => [figure, { current: current[figure], previous: previous[figure] }])) as Pick<
    SummaryReport,
    (typeof COMPARED_FIGURES)[number]
  >;
  return {
    period,
    ...compared,
    grossCollectionRate: { current: ratio(current.collections, current.charges), previous: ratio(previous.collections, previous.charges) },
    netCollectionRate: { current: netCollectionRate(current), previous: netCollectionRate(previous) },
    receivables: {
      amount: receivable,
      openInvoices: aging.total.count,
      over90Amount: aging.over90Amount,
      over90Percent: aging.over90Percent,
      daysInAR: last90.netCharges > 0 ? receivable / (last90.netCharges / 90) : null,
    },
    series: periodBuckets(period, period.granularity).map((bucket) => {
      const totals = ledgerTotals(facts, bucketTag(bucket));
      return {
        start: bucket.from,
        end: bucket.to,
        charges: totals.charges,
        netCharges: totals.netCharges,
        collections: totals.collections,
        refunds: totals.refunds,
        netCollections: totals.netCollections,
      };
    }),
  };
}
