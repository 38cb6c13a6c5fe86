import { sql, type SqlFragment } from "@/lib/db/sql";

/** Claim statuses that owe nothing to analytics: not yet sent (draft, ready) or settled for good (closed). */
export const NOT_SUBMITTED = ["draft", "ready"] as const;
/** Claims whose insurance balance counts as receivable now: sent, and not closed. */
export const OPEN_CLAIM_STATUSES = ["submitted", "accepted", "rejected", "paid", "partially_paid", "denied"] as const;

/**
 * What each claim `c` matching `where` contributes to the insurance figures (docs/remittances.md
 * "Insurance in analytics"), by clinic days in `timezone`: one row per claim that contributes
 * anything, with the columns of claim_report_facts. The one definition the rollups are built from
 * and the reports' live part is computed with; insurance-figures.ts's direct queries say the same
 * thing over a whole clinic (insurance-rollups.test.ts compares them).
 *
 * - cohort: sent (past ready) with a `submitted_at`: its clinic day, total charge, and whether its
 *   first adjudication denied it (its first remittance_posted event went to denied, and it has a
 *   claim payment that could deny it: posted or reversed, not a reversal, paying 0 or CLP02 4);
 * - A/R: open (OPEN_CLAIM_STATUSES) with an insurance balance ≠ 0: the clinic day of its submission
 *   (or creation) and the balance;
 * - days to pay: its first claim payment still standing (posted, paying more than 0, first by
 *   posted_at then id): the clinic day posted and the clinic days since its submission (or creation).
 */
export function claimFactsSql(options: { timezone: string; where: SqlFragment }): SqlFragment {
  const { timezone } = options;
  const sent = sql`c.status <> ALL(${NOT_SUBMITTED}::"ClaimStatus"[])`;
  const open = sql`(c.status = ANY(${OPEN_CLAIM_STATUSES}::"ClaimStatus"[]) AND c.insurance_balance <> 0)`;
  const submittedDay = sql`(COALESCE(c.submitted_at, c.created_at) AT TIME ZONE ${timezone})::date`;
  return sql`
    SELECT facts.* FROM (
      SELECT c.id AS claim_id, c.organization_id, c.payer_id,
             CASE WHEN ${sent} AND c.submitted_at IS NOT NULL THEN (c.submitted_at AT TIME ZONE ${timezone})::date END AS cohort_day,
             c.total_charge AS charge,
             (${sent}
               AND EXISTS (
                 SELECT 1 FROM remittance_claims rc
                 WHERE rc.claim_id = c.id AND rc.organization_id = c.organization_id AND rc.status IN ('posted', 'reversed')
                   AND rc.status_code <> '22' AND (rc.paid_amount = 0 OR rc.status_code = '4'))
               AND (SELECT e.to_status FROM claim_events e
                    WHERE e.claim_id = c.id AND e.kind = 'remittance_posted'
                    ORDER BY e.created_at, e.id
                    LIMIT 1) = 'denied') IS TRUE AS first_denied,
             CASE WHEN ${open} THEN ${submittedDay} END AS ar_day,
             CASE WHEN ${open} THEN c.insurance_balance ELSE 0 END AS open_balance,
             (first_paid.posted_at AT TIME ZONE ${timezone})::date AS paid_day,
             (first_paid.posted_at AT TIME ZONE ${timezone})::date - ${submittedDay} AS days_to_pay
      FROM claims c
      LEFT JOIN LATERAL (
        SELECT rc.posted_at FROM remittance_claims rc
        WHERE rc.claim_id = c.id AND rc.organization_id = c.organization_id AND rc.status = 'posted' AND rc.paid_amount > 0 AND rc.posted_at IS NOT NULL
        ORDER BY rc.posted_at, rc.id
        LIMIT 1
      ) first_paid ON true
      WHERE ${options.where}
    ) facts
    WHERE facts.cohort_day IS NOT NULL OR facts.ar_day IS NOT NULL OR facts.paid_day IS NOT NULL`;
}

/**
 * The rows of claim_daily_totals that facts (a relation with claim_report_facts' columns, aliased
 * `f`) add up to, each multiplied by `sign`: per fact, its cohort day's submitted (and denied) count
 * and charge, and its A/R day's open count and balance. Columns: payer_id, day, submitted,
 * submitted_charge, denied, denied_charge, open_claims, open_balance.
 */
export function dailyContributionsSql(facts: SqlFragment, sign: 1 | -1 = 1): SqlFragment {
  return sql`
    SELECT f.payer_id, f.cohort_day AS day, ${sign}::int AS submitted, ${sign}::int * f.charge::bigint AS submitted_charge,
           CASE WHEN f.first_denied THEN ${sign}::int ELSE 0 END AS denied,
           CASE WHEN f.first_denied THEN ${sign}::int * f.charge::bigint ELSE 0 END AS denied_charge,
           0 AS open_claims, 0::bigint AS open_balance
    FROM ${facts} f WHERE f.cohort_day IS NOT NULL
    UNION ALL
    SELECT f.payer_id, f.ar_day, 0, 0::bigint, 0, 0::bigint, ${sign}::int, ${sign}::int * f.open_balance::bigint
    FROM ${facts} f WHERE f.ar_day IS NOT NULL`;
}

/** The rows of claim_days_to_pay that facts (aliased `f`) add up to, times `sign`: payer_id, day, days_to_pay, claims. */
export function daysToPayContributionsSql(facts: SqlFragment, sign: 1 | -1 = 1): SqlFragment {
  return sql`SELECT f.payer_id, f.paid_day AS day, f.days_to_pay, ${sign}::int AS claims FROM ${facts} f WHERE f.paid_day IS NOT NULL`;
}
