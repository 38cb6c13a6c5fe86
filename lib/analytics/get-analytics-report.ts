// TEMPORARY stand-in for analytics-ledger's loader (same signature); removed before merging that branch.
import type { Db } from "@/lib/db/client";
import { AGING_BUCKETS, COLLECTION_CHANNELS, type AnalyticsReports, type ReportName } from "./analytics.types";
import { periodBuckets, resolveAnalyticsPeriod, type TAnalyticsQuery } from "./analytics-period";
import { todayIn } from "@/lib/invoices/dates";

export async function getAnalyticsReport<R extends ReportName>(
  db: Db,
  options: { organizationId: string; report: R; query: TAnalyticsQuery; now?: Date },
): Promise<AnalyticsReports[R]> {
  const organization = await db.organization.findUniqueOrThrow({ where: { id: options.organizationId }, select: { timezone: true, currency: true } });
  const period = resolveAnalyticsPeriod(options.query, organization, options.now);
  const c = { current: 0, previous: 0 };
  const r = { current: null, previous: null };
  const buckets = periodBuckets(period, period.granularity).map((b) => ({ start: b.from, end: b.to }));
  const all: AnalyticsReports = {
    summary: {
      period,
      charges: c,
      discounts: c,
      creditNotes: c,
      writeOffs: c,
      netCharges: c,
      collections: c,
      refunds: c,
      netCollections: c,
      creditApplied: c,
      processingFees: c,
      disputeLosses: c,
      disputeFees: c,
      grossCollectionRate: r,
      netCollectionRate: r,
      receivables: { amount: 0, openInvoices: 0, over90Amount: 0, over90Percent: null, daysInAR: null },
      series: buckets.map((b) => ({ ...b, charges: 0, netCharges: 0, collections: 0, refunds: 0, netCollections: 0 })),
    },
    aging: {
      asOf: todayIn(organization.timezone, options.now),
      currency: organization.currency,
      buckets: AGING_BUCKETS.map((key) => ({ key, count: 0, amount: 0 })),
      total: { count: 0, amount: 0 },
      over90Amount: 0,
      over90Percent: null,
    },
    collections: {
      period,
      collections: c,
      refunds: c,
      netCollections: c,
      creditApplied: c,
      processingFees: c,
      byChannel: COLLECTION_CHANNELS.map((channel) => ({ channel, count: 0, amount: 0 })),
      series: buckets.map(
        (b) =>
          ({
            ...b,
            collections: 0,
            refunds: 0,
            netCollections: 0,
            ...Object.fromEntries(COLLECTION_CHANNELS.map((k) => [k, 0])),
          }) as AnalyticsReports["collections"]["series"][number],
      ),
    },
    payments: {
      period,
      attempted: c,
      succeeded: c,
      succeededFirstAttempt: c,
      successRate: r,
      firstAttemptSuccessRate: r,
      threeDSecureShare: null,
      declineReasons: [],
      series: buckets.map((b) => ({ ...b, attempted: 0, succeeded: 0, failed: 0 })),
    },
    refunds: { period, count: c, amount: c, failed: { count: 0, amount: 0 }, series: buckets.map((b) => ({ ...b, count: 0, amount: 0 })) },
    disputes: {
      period,
      opened: { count: c, amount: c },
      won: { count: 0, amount: 0 },
      lost: { count: 0, amount: 0 },
      winRate: null,
      losses: c,
      fees: c,
      open: [],
    },
    services: { period, byNetCharges: [], byCollections: [] },
  };
  return all[options.report];
}
