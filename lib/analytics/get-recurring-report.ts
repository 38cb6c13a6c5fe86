import type { Db, Tx } from "@/lib/db/client";
import { sql, sqlOf, type Int8, type SqlFragment } from "@/lib/db/sql";
import type { AnalyticsPeriod, Compared, RecurringReport } from "./analytics.types";
import { todayIn } from "@/lib/invoices/dates";
import { ratio } from "./ledger-figures";
import { CURRENT, PREVIOUS } from "./report-ranges";

/** Plan statuses still collecting: what "active plans" counts. */
export const LIVE_PLAN_STATUSES = ["active", "past_due", "paused"] as const;

/**
 * When a plan ended: the first of completed, defaulted and canceled (a defaulted plan canceled later
 * ended when it defaulted, and counts once, as defaulted). NULL while it is still collecting.
 */
export const PLAN_ENDED_AT_SQL = sql`LEAST(p.completed_at, p.defaulted_at, p.canceled_at)`;
/** How it ended (see PLAN_ENDED_AT_SQL); ties go to defaulted, then completed. */
export const PLAN_OUTCOME_SQL = sql`CASE WHEN p.defaulted_at = ${PLAN_ENDED_AT_SQL} THEN 'defaulted' WHEN p.completed_at = ${PLAN_ENDED_AT_SQL} THEN 'completed' ELSE 'canceled' END`;

/** Membership statuses billed now: what "active members" and MRR count (paused memberships are not billed). */
export const BILLED_MEMBERSHIP_STATUSES = ["active", "past_due"] as const;

/** When a membership ended (the first of canceled and defaulted), for memberships whose status says they ended; else NULL. */
export const MEMBERSHIP_ENDED_AT_SQL = sql`CASE WHEN m.status IN ('canceled', 'defaulted') THEN LEAST(m.canceled_at, m.defaulted_at) END`;
/** How it ended first; ties go to defaulted. */
export const MEMBERSHIP_OUTCOME_SQL = sql`CASE WHEN m.defaulted_at = LEAST(m.canceled_at, m.defaulted_at) THEN 'defaulted' ELSE 'canceled' END`;
/** A membership's price per month, minor units: a yearly plan's price ÷ 12 rounded down (integer division of a positive amount). */
export const MONTHLY_PRICE_SQL = sql`CASE WHEN mp.interval = 'yearly' THEN mp.amount / 12 ELSE mp.amount END`;

/** A later attempt on the same subject (an installment or membership period) that succeeded: the subject was recovered. */
export const RECOVERED_LATER_SQL = sql`EXISTS (
  SELECT 1 FROM autopay_charges l
  WHERE l.organization_id = c.organization_id AND l.subject_type = c.subject_type AND l.subject_id = c.subject_id
    AND l.attempt > c.attempt AND l.status = 'succeeded')`;

/** 'current' / 'previous' for an instant in the period's or the previous period's clinic days, else NULL. */
function periodTag(column: SqlFragment, period: AnalyticsPeriod): SqlFragment {
  const start = (date: string) => sql`(${date}::date::timestamp AT TIME ZONE ${period.timezone})`;
  const end = (date: string) => sql`((${date}::date + 1)::timestamp AT TIME ZONE ${period.timezone})`;
  return sql`CASE WHEN ${column} >= ${start(period.from)} AND ${column} < ${end(period.to)} THEN ${CURRENT}
                  WHEN ${column} >= ${start(period.previous.from)} AND ${column} < ${end(period.previous.to)} THEN ${PREVIOUS} END`;
}

/** The previous period's first instant to the period's last (what both periods' statements read). */
function bothPeriods(column: SqlFragment, period: AnalyticsPeriod): SqlFragment {
  return sql`${column} >= (${period.previous.from}::date::timestamp AT TIME ZONE ${period.timezone})
         AND ${column} < ((${period.to}::date + 1)::timestamp AT TIME ZONE ${period.timezone})`;
}

/**
 * Plans, memberships and autopay for a period: plans collecting now and what their invoices owe,
 * plans ended in the period and the default rate, the autopay engine's charge attempts (success at
 * the first attempt, eventually, per attempt, and recovery of failed first attempts), members and
 * MRR now, and membership churn; period figures also for the previous period, all in the
 * organization's currency and time zone.
 */
export async function getRecurringReport(db: Db | Tx, options: { organizationId: string; period: AnalyticsPeriod; now: Date }): Promise<RecurringReport> {
  const { period, organizationId } = options;
  const today = todayIn(period.timezone, options.now);
  const runner = sqlOf(db);
  const [live] = await runner.query<{ active: number; pastDue: number; paused: number; outstanding: Int8 }>(sql`
    SELECT COUNT(*)::int AS active,
           COUNT(*) FILTER (WHERE p.status = 'past_due')::int AS "pastDue",
           COUNT(*) FILTER (WHERE p.status = 'paused')::int AS paused,
           (SELECT COALESCE(SUM(i.amount_due), 0)::bigint
            FROM invoices i
            WHERE i.organization_id = ${organizationId}::uuid AND i.status IN ('open', 'partially_paid')
              AND i.id IN (SELECT ppi.invoice_id FROM payment_plan_invoices ppi JOIN payment_plans lp ON lp.id = ppi.plan_id
                           WHERE lp.organization_id = ${organizationId}::uuid AND lp.currency = ${period.currency}
                             AND lp.status::text = ANY(${[...LIVE_PLAN_STATUSES]}::text[]))) AS outstanding
    FROM payment_plans p
    WHERE p.organization_id = ${organizationId}::uuid AND p.currency = ${period.currency} AND p.status::text = ANY(${[...LIVE_PLAN_STATUSES]}::text[])`);
  const ends = await runner.query<{ tag: string; outcome: "completed" | "defaulted" | "canceled"; count: number }>(sql`
    SELECT ${periodTag(PLAN_ENDED_AT_SQL, period)} AS tag, ${PLAN_OUTCOME_SQL} AS outcome, COUNT(*)::int AS count
    FROM payment_plans p
    WHERE p.organization_id = ${organizationId}::uuid AND p.currency = ${period.currency} AND ${bothPeriods(PLAN_ENDED_AT_SQL, period)}
    GROUP BY 1, 2`);
  const charges = await runner.query<{
    tag: string;
    attempts: number;
    succeeded: number;
    firstAttempts: number;
    firstAttemptsSucceeded: number;
    firstAttemptsFailed: number;
    recovered: number;
  }>(sql`
    SELECT ${periodTag(sql`c.completed_at`, period)} AS tag,
           COUNT(*)::int AS attempts,
           COUNT(*) FILTER (WHERE c.status = 'succeeded')::int AS succeeded,
           COUNT(*) FILTER (WHERE c.attempt = 1)::int AS "firstAttempts",
           COUNT(*) FILTER (WHERE c.attempt = 1 AND c.status = 'succeeded')::int AS "firstAttemptsSucceeded",
           COUNT(*) FILTER (WHERE c.attempt = 1 AND c.status = 'failed')::int AS "firstAttemptsFailed",
           COUNT(*) FILTER (WHERE c.attempt = 1 AND c.status = 'failed' AND ${RECOVERED_LATER_SQL})::int AS recovered
    FROM autopay_charges c
    WHERE c.organization_id = ${organizationId}::uuid AND c.currency = ${period.currency} AND c.status IN ('succeeded', 'failed')
      AND ${bothPeriods(sql`c.completed_at`, period)}
    GROUP BY 1`);

  const [members] = await runner.query<{ activeMembers: number; activeMemberships: number; pastDue: number; paused: number; mrr: Int8 }>(sql`
    SELECT COUNT(DISTINCT m.patient_id) FILTER (WHERE m.status::text = ANY(${[...BILLED_MEMBERSHIP_STATUSES]}::text[]))::int AS "activeMembers",
           COUNT(*) FILTER (WHERE m.status::text = ANY(${[...BILLED_MEMBERSHIP_STATUSES]}::text[]))::int AS "activeMemberships",
           COUNT(*) FILTER (WHERE m.status = 'past_due')::int AS "pastDue",
           COUNT(*) FILTER (WHERE m.status = 'paused')::int AS paused,
           COALESCE(SUM(${MONTHLY_PRICE_SQL}) FILTER (WHERE m.status::text = ANY(${[...BILLED_MEMBERSHIP_STATUSES]}::text[])), 0)::bigint AS mrr
    FROM patient_memberships m JOIN membership_plans mp ON mp.id = m.membership_plan_id
    WHERE m.organization_id = ${organizationId}::uuid AND mp.currency = ${period.currency}
      AND m.status IN ('active', 'past_due', 'paused') AND m.start_date <= ${today}::date`);
  // Per period: the memberships live at its first instant (started by its first day, not ended before), and those that ended in it.
  const churn = await runner.query<{ tag: string; activeAtStart: number; canceled: number; defaulted: number }>(sql`
    SELECT t.tag,
           COUNT(*) FILTER (WHERE m.start_date <= t.first_day AND (${MEMBERSHIP_ENDED_AT_SQL} IS NULL OR ${MEMBERSHIP_ENDED_AT_SQL} >= t.starts))::int AS "activeAtStart",
           COUNT(*) FILTER (WHERE ${MEMBERSHIP_ENDED_AT_SQL} >= t.starts AND ${MEMBERSHIP_ENDED_AT_SQL} < t.ends AND ${MEMBERSHIP_OUTCOME_SQL} = 'canceled')::int AS canceled,
           COUNT(*) FILTER (WHERE ${MEMBERSHIP_ENDED_AT_SQL} >= t.starts AND ${MEMBERSHIP_ENDED_AT_SQL} < t.ends AND ${MEMBERSHIP_OUTCOME_SQL} = 'defaulted')::int AS defaulted
    FROM (VALUES
      (${CURRENT}, ${period.from}::date, (${period.from}::date::timestamp AT TIME ZONE ${period.timezone}), ((${period.to}::date + 1)::timestamp AT TIME ZONE ${period.timezone})),
      (${PREVIOUS}, ${period.previous.from}::date, (${period.previous.from}::date::timestamp AT TIME ZONE ${period.timezone}), ((${period.previous.to}::date + 1)::timestamp AT TIME ZONE ${period.timezone}))
    ) AS t(tag, first_day, starts, ends)
    CROSS JOIN patient_memberships m JOIN membership_plans mp ON mp.id = m.membership_plan_id
    WHERE m.organization_id = ${organizationId}::uuid AND mp.currency = ${period.currency}
    GROUP BY t.tag`);

  const endsOf = (outcome: "completed" | "defaulted" | "canceled"): Compared => ({
    current: ends.find((row) => row.tag === CURRENT && row.outcome === outcome)?.count ?? 0,
    previous: ends.find((row) => row.tag === PREVIOUS && row.outcome === outcome)?.count ?? 0,
  });
  const planEnds = { completed: endsOf("completed"), defaulted: endsOf("defaulted"), canceled: endsOf("canceled") };
  const ended = (tag: "current" | "previous") => planEnds.completed[tag] + planEnds.defaulted[tag] + planEnds.canceled[tag];

  const empty = { attempts: 0, succeeded: 0, firstAttempts: 0, firstAttemptsSucceeded: 0, firstAttemptsFailed: 0, recovered: 0 };
  const current = charges.find((row) => row.tag === CURRENT) ?? empty;
  const previous = charges.find((row) => row.tag === PREVIOUS) ?? empty;
  const compared = (pick: (row: typeof empty) => number): Compared => ({ current: pick(current), previous: pick(previous) });
  const autopay = {
    attempts: compared((row) => row.attempts),
    succeeded: compared((row) => row.succeeded),
    firstAttempts: compared((row) => row.firstAttempts),
    firstAttemptsSucceeded: compared((row) => row.firstAttemptsSucceeded),
    eventuallyPaid: compared((row) => row.firstAttemptsSucceeded + row.recovered),
    firstAttemptsFailed: compared((row) => row.firstAttemptsFailed),
    recovered: compared((row) => row.recovered),
  };
  const churnOf = (figure: "activeAtStart" | "canceled" | "defaulted"): Compared => ({
    current: churn.find((row) => row.tag === CURRENT)?.[figure] ?? 0,
    previous: churn.find((row) => row.tag === PREVIOUS)?.[figure] ?? 0,
  });
  const rate = (numerator: Compared, denominator: Compared) => ({
    current: ratio(numerator.current, denominator.current),
    previous: ratio(numerator.previous, denominator.previous),
  });

  return {
    period,
    plans: { active: live?.active ?? 0, pastDue: live?.pastDue ?? 0, paused: live?.paused ?? 0, outstanding: Number(live?.outstanding ?? 0) },
    planEnds,
    planDefaultRate: rate(planEnds.defaulted, { current: ended("current"), previous: ended("previous") }),
    autopay,
    autopaySuccessRate: rate(autopay.succeeded, autopay.attempts),
    autopayFirstAttemptSuccessRate: rate(autopay.firstAttemptsSucceeded, autopay.firstAttempts),
    autopayEventualSuccessRate: rate(autopay.eventuallyPaid, autopay.firstAttempts),
    autopayRecoveryRate: rate(autopay.recovered, autopay.firstAttemptsFailed),
    memberships: {
      activeMembers: members?.activeMembers ?? 0,
      activeMemberships: members?.activeMemberships ?? 0,
      pastDue: members?.pastDue ?? 0,
      paused: members?.paused ?? 0,
      mrr: Number(members?.mrr ?? 0),
      activeAtStart: churnOf("activeAtStart"),
      canceled: churnOf("canceled"),
      defaulted: churnOf("defaulted"),
    },
    membershipChurnRate: rate(
      { current: churnOf("canceled").current + churnOf("defaulted").current, previous: churnOf("canceled").previous + churnOf("defaulted").previous },
      churnOf("activeAtStart"),
    ),
  };
}
