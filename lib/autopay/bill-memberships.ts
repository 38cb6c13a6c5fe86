import { randomUUID } from "node:crypto";
import type { Db } from "@/lib/db/client";
import { AUTOMATIC_ACTOR, recordAuditEvent } from "@/lib/audit/record-audit-event";
import { pgTransaction, sql, sqlOf, type Sql } from "@/lib/db/sql";
import { formatCalendarDate } from "@/lib/dates/format-date";
import { createInvoiceIn } from "@/lib/invoices/create-invoice";
import { addDays, fromIsoDate, toIsoDate } from "@/lib/invoices/dates";
import { finalizeInvoiceIn } from "@/lib/invoices/finalize-invoice";
import { nextPeriodOf } from "@/lib/memberships/membership-schedule";
import { logger } from "@/lib/observability/logger";
import { autopayChargeKey } from "./autopay-charge-key";
import { chargeInstant } from "./charge-time";
import { DEFAULT_AUTOPAY_SETTINGS } from "./get-autopay-settings";
import { settlePeriodIfClosed } from "./membership-period-subject";

type Scope = { now: Date; organizationId?: string; membershipId?: string };

/** A membership as the engine reads it under its row lock. */
type MembershipState = {
  id: string;
  organizationId: string;
  patientId: string;
  status: "active" | "past_due" | "paused" | "canceled" | "defaulted";
  startDate: Date;
  resumedOn: Date | null;
  cancelAtPeriodEnd: boolean;
  planName: string;
  amount: number;
  currency: string;
  interval: "monthly" | "yearly";
  timezone: string;
  chargeHour: number;
  lastSequence: number;
  createdAt: Date;
  /** The clinic's date the patient was enrolled on. */
  enrolledOn: Date;
};

const MEMBERSHIP_STATE = sql`m.id, m.organization_id AS "organizationId", m.patient_id AS "patientId", m.status, m.start_date AS "startDate",
  m.resumed_on AS "resumedOn", m.cancel_at_period_end AS "cancelAtPeriodEnd", mp.name AS "planName", mp.amount, mp.currency, mp.interval,
  o.timezone, COALESCE(s.charge_hour, ${DEFAULT_AUTOPAY_SETTINGS.chargeHour}::int) AS "chargeHour",
  COALESCE((SELECT max(p.sequence) FROM membership_periods p WHERE p.membership_id = m.id), 0)::int AS "lastSequence",
  m.created_at AS "createdAt", (m.created_at AT TIME ZONE o.timezone)::date AS "enrolledOn"`;

const MEMBERSHIP_FROM = sql`patient_memberships m
  JOIN membership_plans mp ON mp.id = m.membership_plan_id
  JOIN organizations o ON o.id = m.organization_id
  LEFT JOIN autopay_settings s ON s.organization_id = m.organization_id`;

/**
 * The next period of a membership and the instant it is invoiced and charged: its start at the
 * clinic's local charge hour; a first period starting the day the patient is enrolled, as they are
 * enrolled (whatever the hour: the patient is at the desk).
 */
function nextPeriod(state: MembershipState) {
  const period = nextPeriodOf({ startDate: toIsoDate(state.startDate)!, interval: state.interval, resumedOn: toIsoDate(state.resumedOn) }, state.lastSequence);
  const atChargeHour = chargeInstant(period.start, { timezone: state.timezone, chargeHour: state.chargeHour });
  const startsAtEnrollment = period.sequence === 1 && period.start === toIsoDate(state.enrolledOn);
  return { ...period, chargeAt: startsAtEnrollment && state.createdAt < atChargeHour ? state.createdAt : atChargeHour };
}

/**
 * Each live membership whose next period's start has come (at the clinic's local charge hour):
 * one that was set to end at its period's end is canceled (nothing invoiced); a paused one waits
 * (that period is skipped when it resumes later); otherwise the period is invoiced and its first
 * charge attempt written, in one transaction (createMembershipPeriod). Catches up period by period
 * if runs were missed. Returns the number of periods invoiced.
 */
export async function billMemberships(db: Db, options: Scope): Promise<number> {
  const candidates = await sqlOf(db).query<MembershipState>(sql`
    SELECT ${MEMBERSHIP_STATE} FROM ${MEMBERSHIP_FROM}
    -- A paused membership only matters here when it is set to end (it ends at its period's end; nothing is invoiced while paused).
    WHERE (m.status IN ('active', 'past_due') OR (m.status = 'paused' AND m.cancel_at_period_end))
      AND (${options.organizationId ?? null}::uuid IS NULL OR m.organization_id = ${options.organizationId ?? null}::uuid)
      AND (${options.membershipId ?? null}::uuid IS NULL OR m.id = ${options.membershipId ?? null}::uuid)`);
  let invoiced = 0;
  for (const candidate of candidates) {
    // Bounded catch-up: a membership missed for years still stops (the next run goes on).
    for (let step = 0; step < 36; step++) {
      if (nextPeriod(candidate).chargeAt > options.now) break;
      let outcome: Awaited<ReturnType<typeof advanceMembership>>;
      try {
        outcome = await advanceMembership(db, { membershipId: candidate.id, now: options.now });
      } catch (error) {
        // One membership that cannot be invoiced (e.g. its patient was archived) must not stop the others; the next run tries again.
        logger.error({ err: error, membershipId: candidate.id }, "membership period not invoiced");
        break;
      }
      if (outcome !== "invoiced") break;
      invoiced++;
      candidate.lastSequence++;
    }
  }
  return invoiced;
}

/**
 * One step of a membership under its row lock (SKIP LOCKED: a concurrent run doing the same step
 * is left to it): the state is read again, and if its next period is due it is ended, or the period
 * is invoiced. The period row (unique per membership and sequence), its finalized invoice (our
 * numbering, its journal) and attempt 1 (unique per subject and attempt, its own idempotency key)
 * commit together or not at all.
 */
async function advanceMembership(db: Db, options: { membershipId: string; now: Date }): Promise<"invoiced" | "ended" | "nothing"> {
  return pgTransaction(db, async (runner) => {
    const [state] = await runner.query<MembershipState>(sql`
      SELECT ${MEMBERSHIP_STATE} FROM ${MEMBERSHIP_FROM}
      WHERE m.id = ${options.membershipId}::uuid
      FOR UPDATE OF m SKIP LOCKED`);
    if (!state || (state.status !== "active" && state.status !== "past_due" && state.status !== "paused")) return "nothing";
    const period = nextPeriod(state);
    if (period.chargeAt > options.now) return "nothing";
    if (state.cancelAtPeriodEnd) {
      await runner.write(sql`UPDATE patient_memberships SET status = 'canceled', canceled_at = ${options.now}::timestamptz, updated_at = now()
        WHERE id = ${state.id}::uuid`);
      await runner.write(sql`UPDATE attention_items SET resolved_at = ${options.now}::timestamptz
        WHERE membership_id = ${state.id}::uuid AND resolved_at IS NULL AND kind = 'card_expiring'`);
      await recordAuditEvent(runner, {
        organizationId: state.organizationId,
        actor: AUTOMATIC_ACTOR,
        action: "membership.ended",
        target: { type: "membership", id: state.id },
        after: { status: "canceled", endedOn: period.start },
      });
      return "ended";
    }
    if (state.status === "paused") return "nothing";
    await createMembershipPeriod(runner, state, period, options.now);
    return "invoiced";
  });
}

/** The period's invoice ("<plan> membership, <first day> – <last day>"), finalized; the period; its first charge attempt. */
async function createMembershipPeriod(
  runner: Sql,
  state: MembershipState,
  period: { sequence: number; start: string; end: string; chargeAt: Date },
  now: Date,
): Promise<void> {
  const lastDay = addDays(period.end, -1);
  const description = `${state.planName} membership, ${formatCalendarDate(period.start)} – ${formatCalendarDate(lastDay)}`;
  const { invoice } = await createInvoiceIn(runner, {
    organizationId: state.organizationId,
    actor: AUTOMATIC_ACTOR,
    input: { patientId: state.patientId, currency: state.currency, lines: [{ description, quantity: 1, unitAmount: state.amount }] },
    now,
  });
  await finalizeInvoiceIn(runner, { organizationId: state.organizationId, invoiceId: invoice.id, actor: AUTOMATIC_ACTOR, now });
  const periodId = randomUUID();
  await runner.write(sql`INSERT INTO membership_periods (id, organization_id, membership_id, sequence, period_start, period_end, amount, invoice_id, status, created_at, updated_at)
    VALUES (${periodId}::uuid, ${state.organizationId}::uuid, ${state.id}::uuid, ${period.sequence}::int, ${fromIsoDate(period.start)}::date,
            ${fromIsoDate(period.end)}::date, ${state.amount}::int, ${invoice.id}::uuid, 'open', ${now}::timestamptz, ${now}::timestamptz)`);
  await runner.write(sql`INSERT INTO autopay_charges (organization_id, patient_id, subject_type, subject_id, attempt, scheduled_for, currency, idempotency_key)
    VALUES (${state.organizationId}::uuid, ${state.patientId}::uuid, 'membership_period', ${periodId}::uuid, 1, ${period.chargeAt}::timestamptz,
            ${state.currency}, ${autopayChargeKey("membership_period", periodId, 1)})`);
  await recordAuditEvent(runner, {
    organizationId: state.organizationId,
    actor: AUTOMATIC_ACTOR,
    action: "membership.period_invoiced",
    target: { type: "membership", id: state.id },
    after: { periodId, sequence: period.sequence, periodStart: period.start, periodEnd: period.end, invoiceId: invoice.id, amount: state.amount },
  });
}

/**
 * Periods react to their invoice being settled another way (the desk, the pay page, a credit note,
 * credit applied at finalize) or voided: paid or canceled, their pending charges canceled, and a
 * past-due membership with nothing failed any more is active again.
 */
export async function reconcileMemberships(db: Db, options: Scope): Promise<void> {
  const periods = await sqlOf(db).query<{ id: string }>(sql`
    SELECT p.id FROM membership_periods p JOIN invoices i ON i.id = p.invoice_id
    WHERE p.status IN ('open', 'failed')
      AND (i.status IN ('paid', 'void', 'uncollectible') OR (i.status IN ('open', 'partially_paid') AND i.amount_due <= 0))
      AND (${options.organizationId ?? null}::uuid IS NULL OR p.organization_id = ${options.organizationId ?? null}::uuid)
      AND (${options.membershipId ?? null}::uuid IS NULL OR p.membership_id = ${options.membershipId ?? null}::uuid)`);
  for (const period of periods) {
    await db.$transaction(async (tx) => {
      const [locked] = await sqlOf(tx).query<{ id: string }>(sql`SELECT id FROM membership_periods WHERE id = ${period.id}::uuid FOR UPDATE SKIP LOCKED`);
      if (locked) await settlePeriodIfClosed(tx, { periodId: period.id, now: options.now });
    });
  }
}
