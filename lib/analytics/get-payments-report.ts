import type { Db, Tx } from "@/lib/db/client";
import { sql, sqlOf } from "@/lib/db/sql";
import { declineReason } from "@/lib/payments/decline-reasons";
import { daysBetween, periodBuckets } from "./analytics-period";
import type { AnalyticsPeriod, PaymentsReport } from "./analytics.types";
import { ratio } from "./ledger-figures";
import { CURRENT, PREVIOUS, bucketTag } from "./report-ranges";

/**
 * A card PaymentIntent the patient or staff submitted at least once: card attempts from the pay
 * page, the front desk or a saved card that got past waiting for a card (declined, authenticating, processing,
 * authorized or paid), by the clinic day they were created. Those never submitted (abandoned on
 * the pay page, canceled unused) are not attempts.
 */
export const CARD_ATTEMPT_SQL = sql`p.method_type = 'card' AND p.source IN ('pay_page', 'desk_card', 'saved_card')
  AND (p.status IN ('requires_action', 'processing', 'requires_capture', 'succeeded', 'failed')
       OR p.failed_at IS NOT NULL OR p.action_required_at IS NOT NULL OR p.authorized_at IS NOT NULL OR p.succeeded_at IS NOT NULL)`;
/** Succeeded (eventually): paid, or authorized (the card said yes; capturing is the clinic's step). */
export const SUCCEEDED_SQL = sql`(p.succeeded_at IS NOT NULL OR p.authorized_at IS NOT NULL OR p.status IN ('succeeded', 'requires_capture'))`;

/** Card payment success: attempts, successes (eventually and at the first try), 3-D Secure share and decline reasons, from the payments table. */
export async function getPaymentsReport(db: Db | Tx, options: { organizationId: string; period: AnalyticsPeriod }): Promise<PaymentsReport> {
  const { period } = options;
  const runner = sqlOf(db);
  // One pass over the index (payments_card_attempts_idx, index-only) for both periods, one range
  // per clinic day (the day's bounds computed once, not per payment; a plain aggregate per day, no
  // hashing or sorting of payments): counts and decline codes by day, then summed per period, per
  // bucket and (current period) per decline code.
  const grouped = await runner.query<{
    byDay: boolean;
    tag: string | null;
    decline: string | null;
    attempted: number;
    succeeded: number;
    firstAttempt: number;
    failed: number;
    authenticated: number;
  }>(sql`
    WITH grouped AS (
      SELECT g.day, c.attempted, c.succeeded, c.first_attempt, c.failed, c.authenticated, c.declines
      FROM (SELECT ${period.previous.from}::date + i AS day FROM generate_series(0, ${daysBetween(period.previous.from, period.to)}::int) AS i) AS g
      CROSS JOIN LATERAL (
        SELECT COUNT(*)::int AS attempted,
               COUNT(*) FILTER (WHERE ${SUCCEEDED_SQL})::int AS succeeded,
               COUNT(*) FILTER (WHERE ${SUCCEEDED_SQL} AND p.failed_at IS NULL)::int AS first_attempt,
               COUNT(*) FILTER (WHERE NOT ${SUCCEEDED_SQL} AND p.failed_at IS NOT NULL)::int AS failed,
               COUNT(*) FILTER (WHERE p.action_required_at IS NOT NULL)::int AS authenticated,
               array_agg(COALESCE(p.failure_code, '')) FILTER (WHERE p.failed_at IS NOT NULL) AS declines
        FROM payments p
        WHERE p.organization_id = ${options.organizationId}::uuid AND p.method_type = 'card'
          AND p.created_at >= (g.day::timestamp AT TIME ZONE ${period.timezone})
          AND p.created_at < ((g.day + 1)::timestamp AT TIME ZONE ${period.timezone})
          AND p.currency = ${period.currency} AND ${CARD_ATTEMPT_SQL}
      ) AS c
    )
    SELECT true AS "byDay", tags.tag, NULL AS decline, SUM(d.attempted)::int AS attempted, SUM(d.succeeded)::int AS succeeded,
           SUM(d.first_attempt)::int AS "firstAttempt", SUM(d.failed)::int AS failed, SUM(d.authenticated)::int AS authenticated
    FROM grouped d
    CROSS JOIN LATERAL (VALUES
      (CASE WHEN d.day BETWEEN ${period.from}::date AND ${period.to}::date THEN ${CURRENT} END),
      (CASE WHEN d.day BETWEEN ${period.previous.from}::date AND ${period.previous.to}::date THEN ${PREVIOUS} END),
      (CASE WHEN d.day BETWEEN ${period.from}::date AND ${period.to}::date
            THEN 'bucket:' || GREATEST(date_trunc(${period.granularity}, d.day::timestamp)::date, ${period.from}::date)::text END)
    ) AS tags(tag)
    WHERE tags.tag IS NOT NULL
    GROUP BY tags.tag
    UNION ALL
    SELECT false, NULL, x.decline, COUNT(*)::int, 0, 0, 0, 0
    FROM grouped d
    CROSS JOIN LATERAL unnest(d.declines) AS x(decline)
    WHERE d.day BETWEEN ${period.from}::date AND ${period.to}::date
    GROUP BY x.decline`);
  const rows = grouped.filter((row) => row.byDay);
  const declines = grouped
    .filter((row) => !row.byDay)
    .map((row) => ({ code: row.decline ?? "", count: row.attempted }))
    .sort((a, b) => b.count - a.count || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
    .slice(0, 5);
  const read = (tag: string) => rows.find((row) => row.tag === tag) ?? { attempted: 0, succeeded: 0, firstAttempt: 0, failed: 0, authenticated: 0 };
  const current = read(CURRENT);
  const previous = read(PREVIOUS);
  return {
    period,
    attempted: { current: current.attempted, previous: previous.attempted },
    succeeded: { current: current.succeeded, previous: previous.succeeded },
    succeededFirstAttempt: { current: current.firstAttempt, previous: previous.firstAttempt },
    successRate: { current: ratio(current.succeeded, current.attempted), previous: ratio(previous.succeeded, previous.attempted) },
    firstAttemptSuccessRate: { current: ratio(current.firstAttempt, current.attempted), previous: ratio(previous.firstAttempt, previous.attempted) },
    threeDSecureShare: ratio(current.authenticated, current.attempted),
    declineReasons: declines.map((row) => ({ code: row.code || "unknown", label: declineReason(row.code), count: row.count })),
    series: periodBuckets(period, period.granularity).map((bucket) => {
      const totals = read(bucketTag(bucket));
      return { start: bucket.from, end: bucket.to, attempted: totals.attempted, succeeded: totals.succeeded, failed: totals.failed };
    }),
  };
}
