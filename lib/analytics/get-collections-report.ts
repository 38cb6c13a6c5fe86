import type { Db, Tx } from "@/lib/db/client";
import { periodBuckets } from "./analytics-period";
import { COLLECTION_CHANNELS, type AnalyticsPeriod, type CollectionChannel, type CollectionsReport } from "./analytics.types";
import { ledgerTotals } from "./ledger-figures";
import { loadLedgerFacts } from "./load-ledger-facts";
import { CURRENT, PREVIOUS, bucketTag } from "./report-ranges";

/** Money received in a period by channel (card by where it started, front desk by method), refunds, fees and credit applied. */
export async function getCollectionsReport(db: Db | Tx, options: { organizationId: string; period: AnalyticsPeriod }): Promise<CollectionsReport> {
  const { period } = options;
  const facts = await loadLedgerFacts(db, {
    organizationId: options.organizationId,
    period,
    series: true,
    figures: ["collections", "refunds", "creditApplied", "processingFees"],
  });
  const current = ledgerTotals(facts, CURRENT);
  const previous = ledgerTotals(facts, PREVIOUS);
  const pair = (figure: "collections" | "refunds" | "netCollections" | "creditApplied" | "processingFees") => ({
    current: current[figure],
    previous: previous[figure],
  });
  return {
    period,
    collections: pair("collections"),
    refunds: pair("refunds"),
    netCollections: pair("netCollections"),
    creditApplied: pair("creditApplied"),
    processingFees: pair("processingFees"),
    byChannel: COLLECTION_CHANNELS.map((channel) => ({ channel, ...current.byChannel[channel] })),
    series: periodBuckets(period, period.granularity).map((bucket) => {
      const totals = ledgerTotals(facts, bucketTag(bucket));
      const channels = Object.fromEntries(COLLECTION_CHANNELS.map((channel) => [channel, totals.byChannel[channel].amount])) as Record<
        CollectionChannel,
        number
      >;
      return {
        start: bucket.from,
        end: bucket.to,
        collections: totals.collections,
        refunds: totals.refunds,
        netCollections: totals.netCollections,
        ...channels,
      };
    }),
  };
}
