import type { Db, Tx } from "@/lib/db/client";
import { periodBuckets } from "./analytics-period";
import type { AnalyticsPeriod, RefundsReport } from "./analytics.types";
import { ledgerTotals } from "./ledger-figures";
import { loadLedgerFacts } from "./load-ledger-facts";
import { CURRENT, PREVIOUS, bucketTag } from "./report-ranges";

/**
 * Refunds of a period: `count` the refunds requested, `amount` the money returned (requested less
 * failed: the summary's refunds), `failed` the refunds that failed in the period.
 */
export async function getRefundsReport(db: Db | Tx, options: { organizationId: string; period: AnalyticsPeriod }): Promise<RefundsReport> {
  const { period } = options;
  const facts = await loadLedgerFacts(db, { organizationId: options.organizationId, period, series: true, figures: ["refunds"], seriesChannels: false });
  const current = ledgerTotals(facts, CURRENT);
  const previous = ledgerTotals(facts, PREVIOUS);
  return {
    period,
    count: { current: current.refundsRequested.count, previous: previous.refundsRequested.count },
    amount: { current: current.refunds, previous: previous.refunds },
    failed: current.refundsFailed,
    series: periodBuckets(period, period.granularity).map((bucket) => {
      const totals = ledgerTotals(facts, bucketTag(bucket));
      return { start: bucket.from, end: bucket.to, count: totals.refundsRequested.count, amount: totals.refunds };
    }),
  };
}
