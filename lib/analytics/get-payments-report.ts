import type { Db, Tx } from "@/lib/db/client";
import { sql, sqlOf } from "@/lib/db/sql";
import { declineReason } from "@/lib/payments/decline-reasons";
import { periodBuckets } from "./analytics-period";
import type { AnalyticsPeriod, PaymentsReport } from "./analytics.types";
import { ratio } from "./ledger-figures";
import { CURRENT, PREVIOUS, bucketTag } from "./report-ranges";

/**
 * A card PaymentIntent the patient or staff submitted at least once: card attempts from the pay
 * page or a saved card that got past waiting for a card (declined, authenticating, processing,
 * authorized or paid), by the clinic day they were created. Those never submitted (abandoned on
 * the pay page, canceled unused) are not attempts.
 */
export const CARD_ATTEMPT_SQL = sql`p.method_type = 'card' AND p.source IN ('pay_page', 'saved_card')
  AND (p.status IN ('requires_action', 'processing', 'requires_capture', 'succeeded', 'failed')
       OR p.failed_at IS NOT NULL OR p.action_required_at IS NOT NULL OR p.authorized_at IS NOT NULL OR p.succeeded_at IS NOT NULL)`;
/** Succeeded (eventually): paid, or authorized (the card said yes; capturing is the clinic's step). */
const SUCCEEDED_SQL = sql`(p.succeeded_at IS NOT NULL OR p.authorized_at IS NOT NULL OR p.status IN ('succeeded', 'requires_capture'))`;

/** Card payment success: attempts, successes (eventually and at the first try), 3-D Secure share and decline reasons, from the payments table. */
export async function getPaymentsReport(db: Db | Tx, options: { organizationId: string; period: AnalyticsPeriod }): Promise<PaymentsReport> {
  const { period } = options;
  const runner = sqlOf(db);
  const rows = await runner.query<{ tag: string; attempted: number; succeeded: number; firstAttempt: number; failed: number; authenticated: number }>(sql`
    WITH days AS (
      SELECT (p.created_at AT TIME ZONE ${period.timezone})::date AS day,
             COUNT(*)::int AS attempted,
             COUNT(*) FILTER (WHERE ${SUCCEEDED_SQL})::int AS succeeded,
             COUNT(*) FILTER (WHERE ${SUCCEEDED_SQL} AND p.failed_at IS NULL)::int AS first_attempt,
             COUNT(*) FILTER (WHERE NOT ${SUCCEEDED_SQL} AND p.failed_at IS NOT NULL)::int AS failed,
             COUNT(*) FILTER (WHERE p.action_required_at IS NOT NULL)::int AS authenticated
      FROM payments p
      WHERE p.organization_id = ${options.organizationId}::uuid AND p.method_type = 'card'
        AND p.created_at >= (${period.previous.from}::date::timestamp AT TIME ZONE ${period.timezone})
        AND p.created_at < ((${period.to}::date + 1)::timestamp AT TIME ZONE ${period.timezone})
        AND p.currency = ${period.currency} AND ${CARD_ATTEMPT_SQL}
      GROUP BY 1
    )
    SELECT tags.tag, SUM(d.attempted)::int AS attempted, SUM(d.succeeded)::int AS succeeded, SUM(d.first_attempt)::int AS "firstAttempt",
           SUM(d.failed)::int AS failed, SUM(d.authenticated)::int AS authenticated
    FROM days d
    CROSS JOIN LATERAL (VALUES
      (CASE WHEN d.day BETWEEN ${period.from}::date AND ${period.to}::date THEN ${CURRENT} END),
      (CASE WHEN d.day BETWEEN ${period.previous.from}::date AND ${period.previous.to}::date THEN ${PREVIOUS} END),
      (CASE WHEN d.day BETWEEN ${period.from}::date AND ${period.to}::date
            THEN 'bucket:' || GREATEST(date_trunc(${period.granularity}, d.day)::date, ${period.from}::date)::text END)
    ) AS tags(tag)
    WHERE tags.tag IS NOT NULL
    GROUP BY tags.tag`);
  const declines = await runner.query<{ code: string; count: number }>(sql`
    SELECT COALESCE(p.failure_code, '') AS code, COUNT(*)::int AS count
    FROM payments p
    WHERE p.organization_id = ${options.organizationId}::uuid AND p.currency = ${period.currency} AND ${CARD_ATTEMPT_SQL} AND p.failed_at IS NOT NULL
      AND p.created_at >= (${period.from}::date::timestamp AT TIME ZONE ${period.timezone})
      AND p.created_at < ((${period.to}::date + 1)::timestamp AT TIME ZONE ${period.timezone})
      AND p.currency = ${period.currency} AND ${CARD_ATTEMPT_SQL} AND p.failed_at IS NOT NULL
    GROUP BY 1
    ORDER BY 2 DESC, 1 ASC
    LIMIT 5`);
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
