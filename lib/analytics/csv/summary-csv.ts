import { csvAmount, csvFromPages } from "@/lib/csv/csv";
import type { Db } from "@/lib/db/client";
import { periodBuckets } from "../analytics-period";
import { ledgerTotals, ratio } from "../ledger-figures";
import { SUMMARY_FIGURES } from "../get-summary-report";
import { loadLedgerFacts } from "../load-ledger-facts";
import { bucketTag } from "../report-ranges";
import { csvRate, type ReportCsvOptions } from "./report-csv";

const BUCKETS_PER_QUERY = 100;

/**
 * The summary as CSV: one row per bucket of the period (day, week or month, clipped to the period)
 * with every period figure, read by the same ledger rules as the report (ledgerTotals). Receivables
 * are a figure of now, not of a bucket, and are in the aging CSV.
 */
export async function* summaryCsv(db: Db, options: ReportCsvOptions): AsyncGenerator<string> {
  const { period, organizationId } = options;
  const buckets = periodBuckets(period, period.granularity);
  const money = (amount: number) => csvAmount(amount, period.currency);
  yield* csvFromPages({
    header: [
      "bucket_start",
      "bucket_end",
      "currency",
      "charges",
      "discounts",
      "credit_notes",
      "write_offs",
      "net_charges",
      "collections",
      "refunds",
      "net_collections",
      "credit_applied",
      "processing_fees",
      "dispute_losses",
      "dispute_fees",
      "gross_collection_rate",
      "net_collection_rate",
    ],
    batch: BUCKETS_PER_QUERY,
    page: async (cursor, limit) => {
      const start = cursor ? Number(cursor) : 0;
      const slice = buckets.slice(start, start + limit);
      // These buckets as a period of their own (its series is these buckets); its "previous" is itself, so nothing more is read.
      const range = { from: slice[0]!.from, to: slice.at(-1)!.to };
      const facts = await loadLedgerFacts(db, { organizationId, period: { ...period, ...range, previous: range }, series: true, figures: SUMMARY_FIGURES });
      return {
        data: slice.map((bucket) => ({ bucket, totals: ledgerTotals(facts, bucketTag(bucket)) })),
        nextCursor: start + limit < buckets.length ? String(start + limit) : null,
      };
    },
    row: ({ bucket, totals }) => [
      bucket.from,
      bucket.to,
      period.currency,
      money(totals.charges),
      money(totals.discounts),
      money(totals.creditNotes),
      money(totals.writeOffs),
      money(totals.netCharges),
      money(totals.collections),
      money(totals.refunds),
      money(totals.netCollections),
      money(totals.creditApplied),
      money(totals.processingFees),
      money(totals.disputeLosses),
      money(totals.disputeFees),
      csvRate(ratio(totals.collections, totals.charges)),
      csvRate(ratio(totals.collections - totals.refunds, totals.charges - totals.creditNotes - totals.writeOffs)),
    ],
  });
}
