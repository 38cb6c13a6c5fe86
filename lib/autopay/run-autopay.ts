import Stripe from "stripe";
import type { Db, Tx } from "@/lib/db/client";
import { sql, sqlOf } from "@/lib/db/sql";
import { patientCardLink } from "@/lib/card-links/create-card-link";
import { addDays, toIsoDate } from "@/lib/invoices/dates";
import { minimumCardPayment } from "@/lib/money/card-minimum";
import { logger } from "@/lib/observability/logger";
import { getChargeableCard } from "@/lib/payments/get-chargeable-card";
import { syncPaymentIntent } from "@/lib/payments/sync-payment-intent";
import { createPaymentIntent } from "@/lib/stripe/create-payment-intent";
import type { IdempotencyKey } from "@/lib/stripe/idempotency-key";
import { autopayChargeKey } from "./autopay-charge-key";
import { chargeInstant } from "./charge-time";
import { declineKind } from "./decline-kind";
import { DEFAULT_AUTOPAY_SETTINGS, getAutopaySettings } from "./get-autopay-settings";
import { billMemberships, reconcileMemberships } from "./bill-memberships";
import { membershipPeriodSubject } from "./membership-period-subject";
import { completePlanIfSettled, patientLink, planInstallmentSubject, planOpenInvoices } from "./plan-installment-subject";
import { queueAutopayEmail } from "./queue-autopay-email";
import { nextPeriodOf } from "@/lib/memberships/membership-schedule";

/**
 * Which charges a run looks at: all, one organization's, one plan's (a plan's down payment goes out
 * when it is created) or one membership's (its first period when it starts today, a new card's charge).
 */
export type AutopayScope = { organizationId?: string; planId?: string; membershipId?: string };

export type AutopayRunSummary = {
  /** Membership periods invoiced (each with its attempt 1). */
  invoiced: number;
  scheduled: number;
  reminded: number;
  charged: number;
  succeeded: number;
  failed: number;
  canceled: number;
  resumed: number;
};

type Subject = typeof planInstallmentSubject;

/** The engine's view of a charge's subject: a plan installment or a membership period (the same shape). */
function subjectOf(charge: { subjectType: "plan_installment" | "membership_period" }): Subject {
  return charge.subjectType === "membership_period" ? membershipPeriodSubject : planInstallmentSubject;
}

/** A charge that a run claimed but whose outcome it never recorded (a crash, a timeout) is resumed, with the same key, this long after its claim. */
export const RESUME_AFTER_MS = 10 * 60_000;

const DEFAULT_CHARGE_HOUR = DEFAULT_AUTOPAY_SETTINGS.chargeHour;

/**
 * The autopay engine's one entry point, run by the pg-boss schedule every few minutes with
 * `new Date()` and by tests with any instant (one clock: nothing here reads the system time).
 * In order: closes plans and membership periods paid another way; invoices every membership period
 * whose start has come (the period, its finalized invoice and attempt 1 in one transaction) and ends
 * memberships set to end; writes the first attempt of every installment due by `now` (at the
 * clinic's local charge hour); emails reminders; resumes charges interrupted after their claim; then claims due
 * attempts one at a time (`FOR UPDATE SKIP LOCKED`, so concurrent runs never share one), decides
 * each amount at that moment (never more than is owed), commits the payment row and charges the
 * card off-session with the attempt's idempotency key, and records the outcome (dunning on
 * failure). Running it twice for one instant, or on two machines at once, charges once.
 */
export async function runAutopay(db: Db, options: { now: Date; stripe?: Stripe } & AutopayScope): Promise<AutopayRunSummary> {
  const { now } = options;
  const summary: AutopayRunSummary = { invoiced: 0, scheduled: 0, reminded: 0, charged: 0, succeeded: 0, failed: 0, canceled: 0, resumed: 0 };
  // A run scoped to one plan leaves memberships alone, and one scoped to a membership leaves plans alone.
  const plans = !options.membershipId;
  const memberships = !options.planId;
  if (plans) await reconcilePlans(db, options);
  if (memberships) await reconcileMemberships(db, options);
  if (memberships) summary.invoiced = await billMemberships(db, options);
  await flagExpiringCards(db, options);
  if (plans) summary.scheduled = await scheduleDueCharges(db, options);
  if (plans) summary.reminded = await sendDueReminders(db, options);
  for (const chargeId of await findInterruptedCharges(db, options)) {
    summary.resumed++;
    await tally(summary, await chargeClaimed(db, { chargeId, now, stripe: options.stripe }));
  }
  for (;;) {
    const claimed = await claimDueCharge(db, options);
    if (!claimed) break;
    if (claimed.outcome !== "processing") {
      await tally(summary, claimed.outcome);
      continue;
    }
    summary.charged++;
    await tally(summary, await chargeClaimed(db, { chargeId: claimed.chargeId, now, stripe: options.stripe }));
  }
  return summary;
}

type ChargeOutcome = "succeeded" | "failed" | "canceled" | "processing";

async function tally(summary: AutopayRunSummary, outcome: ChargeOutcome): Promise<void> {
  if (outcome === "succeeded") summary.succeeded++;
  else if (outcome === "failed") summary.failed++;
  else if (outcome === "canceled") summary.canceled++;
}

/**
 * Plans react to money that reached their invoices another way (the pay page, the desk, a credit
 * note): a live plan that owes nothing is completed, and a past-due plan whose balance its
 * remaining installments cover again (the patient paid what failed) is active again.
 */
export async function reconcilePlans(db: Db, options: { now: Date } & AutopayScope): Promise<void> {
  const plans = await sqlOf(db).query<{ id: string; organizationId: string }>(sql`
    SELECT p.id, p.organization_id AS "organizationId" FROM payment_plans p
    WHERE p.status IN ('active', 'past_due', 'paused')
      AND (${options.organizationId ?? null}::uuid IS NULL OR p.organization_id = ${options.organizationId ?? null}::uuid)
      AND (${options.planId ?? null}::uuid IS NULL OR p.id = ${options.planId ?? null}::uuid)
      AND (p.status = 'past_due' OR NOT EXISTS (
        SELECT 1 FROM payment_plan_invoices ppi JOIN invoices i ON i.id = ppi.invoice_id
        WHERE ppi.plan_id = p.id AND i.status IN ('open', 'partially_paid') AND i.amount_due > 0))`);
  for (const plan of plans) {
    await db.$transaction(async (tx) => {
      if (await completePlanIfSettled(tx, { planId: plan.id, organizationId: plan.organizationId, now: options.now })) return;
      const current = await tx.paymentPlan.findUniqueOrThrow({ where: { id: plan.id }, select: { status: true } });
      if (current.status !== "past_due") return;
      const open = await planOpenInvoices(tx, { planId: plan.id, organizationId: plan.organizationId, lock: false });
      const owed = Math.max(
        open.reduce((sum, invoice) => sum + invoice.owed, 0),
        0,
      );
      const ahead = await tx.paymentPlanInstallment.findMany({
        where: { planId: plan.id, status: "scheduled" },
        select: { scheduledAmount: true, paidAmount: true },
      });
      const covered = ahead.reduce((sum, row) => sum + row.scheduledAmount - row.paidAmount, 0);
      if (owed > covered) return;
      await tx.paymentPlan.update({ where: { id: plan.id }, data: { status: "active" } });
      await tx.attentionItem.updateMany({
        where: { paymentPlanId: plan.id, resolvedAt: null, kind: { not: "card_expiring" } },
        data: { resolvedAt: options.now },
      });
    });
  }
}

/**
 * Opens a "card expiring" item for each live plan whose card (its own, else the patient's default)
 * expires before the plan's next pending installment, once per card (the open-item unique index),
 * and closes the items of cards no plan waits on any more.
 */
export async function flagExpiringCards(db: Db, options: { now: Date } & AutopayScope): Promise<void> {
  await sqlOf(db).write(
    sql`
    INSERT INTO attention_items (organization_id, kind, patient_id, payment_plan_id, subject_id, message)
    SELECT p.organization_id, 'card_expiring', p.patient_id, p.id, card.id,
           'The card on file (' || card.brand || ' ' || card.last4 || ') expires ' || lpad(card.exp_month::text, 2, '0') || '/' || card.exp_year
             || ', before the plan''s next installment on ' || to_char(next.due_date, 'YYYY-MM-DD') || '.'
    FROM payment_plans p
    JOIN LATERAL (SELECT min(i.due_date) AS due_date FROM payment_plan_installments i WHERE i.plan_id = p.id AND i.status = 'scheduled') next ON next.due_date IS NOT NULL
    JOIN LATERAL (
      SELECT c.id, c.brand, c.last4, c.exp_month, c.exp_year FROM saved_payment_methods c
      WHERE c.patient_id = p.patient_id AND c.removed_at IS NULL AND c.consent_id IS NOT NULL
        AND (c.id = p.saved_payment_method_id OR (p.saved_payment_method_id IS NULL AND c.is_default))
      LIMIT 1) card ON true
    WHERE p.status IN ('active', 'past_due', 'paused')
      AND (${options.organizationId ?? null}::uuid IS NULL OR p.organization_id = ${options.organizationId ?? null}::uuid)
      AND (${options.planId ?? null}::uuid IS NULL OR p.id = ${options.planId ?? null}::uuid)
      -- A card is good through the last day of its expiry month.
      AND make_date(card.exp_year, card.exp_month, 1) + interval '1 month' <= next.due_date
    ON CONFLICT DO NOTHING`,
    { joins: ["attention_items"] },
  );
  // Memberships: the card charged at the next period's start (one not set to end, not paused), in one read; the anchor rule is in TypeScript.
  const memberships = await sqlOf(db).query<{
    id: string;
    organizationId: string;
    patientId: string;
    startDate: Date;
    resumedOn: Date | null;
    interval: "monthly" | "yearly";
    lastSequence: number;
    cardId: string;
    cardLabel: string;
    cardGoodUntil: Date;
  }>(sql`
    SELECT m.id, m.organization_id AS "organizationId", m.patient_id AS "patientId", m.start_date AS "startDate", m.resumed_on AS "resumedOn",
           mp.interval, COALESCE((SELECT max(p.sequence) FROM membership_periods p WHERE p.membership_id = m.id), 0)::int AS "lastSequence",
           card.id AS "cardId", card.brand || ' ' || card.last4 || ') expires ' || lpad(card.exp_month::text, 2, '0') || '/' || card.exp_year AS "cardLabel",
           -- A card is good through the last day of its expiry month.
           (make_date(card.exp_year, card.exp_month, 1) + interval '1 month')::date AS "cardGoodUntil"
    FROM patient_memberships m
    JOIN membership_plans mp ON mp.id = m.membership_plan_id
    JOIN LATERAL (
      SELECT c.id, c.brand, c.last4, c.exp_month, c.exp_year FROM saved_payment_methods c
      WHERE c.patient_id = m.patient_id AND c.removed_at IS NULL AND c.consent_id IS NOT NULL
        AND (c.id = m.saved_payment_method_id OR (m.saved_payment_method_id IS NULL AND c.is_default))
      LIMIT 1) card ON true
    WHERE m.status IN ('active', 'past_due') AND NOT m.cancel_at_period_end
      AND (${options.organizationId ?? null}::uuid IS NULL OR m.organization_id = ${options.organizationId ?? null}::uuid)
      AND (${options.membershipId ?? null}::uuid IS NULL OR m.id = ${options.membershipId ?? null}::uuid)`);
  const expiring = memberships
    .map((row) => ({
      ...row,
      next: nextPeriodOf({ startDate: toIsoDate(row.startDate)!, interval: row.interval, resumedOn: toIsoDate(row.resumedOn) }, row.lastSequence).start,
    }))
    .filter((row) => toIsoDate(row.cardGoodUntil)! <= row.next);
  if (expiring.length > 0) {
    await db.attentionItem.createMany({
      data: expiring.map((row) => ({
        organizationId: row.organizationId,
        kind: "card_expiring" as const,
        patientId: row.patientId,
        membershipId: row.id,
        subjectId: row.cardId,
        message: `The card on file (${row.cardLabel}, before the membership's next charge on ${row.next}.`,
      })),
      skipDuplicates: true,
    });
  }
  await sqlOf(db).write(
    sql`
    UPDATE attention_items a SET resolved_at = ${options.now}::timestamptz
    WHERE a.kind = 'card_expiring' AND a.resolved_at IS NULL
      AND (${options.organizationId ?? null}::uuid IS NULL OR a.organization_id = ${options.organizationId ?? null}::uuid)
      AND NOT EXISTS (
        SELECT 1 FROM payment_plans p
        WHERE p.id = a.payment_plan_id AND p.status IN ('active', 'past_due', 'paused')
          AND (p.saved_payment_method_id = a.subject_id OR (p.saved_payment_method_id IS NULL AND EXISTS (
            SELECT 1 FROM saved_payment_methods c WHERE c.id = a.subject_id AND c.is_default AND c.removed_at IS NULL))))
      AND NOT EXISTS (
        SELECT 1 FROM patient_memberships m
        WHERE m.id = a.membership_id AND m.status IN ('active', 'past_due') AND NOT m.cancel_at_period_end
          AND (m.saved_payment_method_id = a.subject_id OR (m.saved_payment_method_id IS NULL AND EXISTS (
            SELECT 1 FROM saved_payment_methods c WHERE c.id = a.subject_id AND c.is_default AND c.removed_at IS NULL))))`,
    { joins: ["attention_items"] },
  );
}

/**
 * The SQL instant a plan installment is charged: its due date at the clinic's local charge hour;
 * the down payment (sequence 0, due the day the plan is made) as the plan is made, whatever the hour.
 */
const INSTALLMENT_CHARGE_AT = sql`(CASE WHEN i.sequence = 0 AND i.due_date = (p.created_at AT TIME ZONE o.timezone)::date THEN p.created_at
  ELSE ((i.due_date::timestamp + make_interval(hours => COALESCE(s.charge_hour, ${DEFAULT_CHARGE_HOUR}::int))) AT TIME ZONE o.timezone) END)`;

/** Writes attempt 1 of every installment of a live plan whose charge time has come (once: the subject and attempt are unique). */
export async function scheduleDueCharges(db: Db, options: { now: Date } & AutopayScope): Promise<number> {
  const due = await sqlOf(db).query<{ id: string; organizationId: string; patientId: string; currency: string; scheduledFor: Date }>(sql`
    SELECT i.id, i.organization_id AS "organizationId", p.patient_id AS "patientId", p.currency, ${INSTALLMENT_CHARGE_AT} AS "scheduledFor"
    FROM payment_plan_installments i
    JOIN payment_plans p ON p.id = i.plan_id
    JOIN organizations o ON o.id = i.organization_id
    LEFT JOIN autopay_settings s ON s.organization_id = i.organization_id
    WHERE i.status = 'scheduled' AND p.status IN ('active', 'past_due')
      AND ${INSTALLMENT_CHARGE_AT} <= ${options.now}::timestamptz
      AND (${options.organizationId ?? null}::uuid IS NULL OR i.organization_id = ${options.organizationId ?? null}::uuid)
      AND (${options.planId ?? null}::uuid IS NULL OR i.plan_id = ${options.planId ?? null}::uuid)
      AND NOT EXISTS (SELECT 1 FROM autopay_charges c WHERE c.subject_type = 'plan_installment' AND c.subject_id = i.id)`);
  if (due.length === 0) return 0;
  const created = await db.autopayCharge.createMany({
    data: due.map((row) => ({
      organizationId: row.organizationId,
      patientId: row.patientId,
      subjectType: "plan_installment" as const,
      subjectId: row.id,
      attempt: 1,
      scheduledFor: row.scheduledFor,
      currency: row.currency,
      idempotencyKey: autopayChargeKey("plan_installment", row.id, 1),
    })),
    skipDuplicates: true,
  });
  return created.count;
}

/** Emails the reminder of each upcoming installment once, `reminder_days_before` days before its charge time (not for the down payment). */
export async function sendDueReminders(db: Db, options: { now: Date } & AutopayScope): Promise<number> {
  const due = await sqlOf(db).query<{
    id: string;
    planId: string;
    organizationId: string;
    patientId: string;
    currency: string;
    dueDate: Date;
    scheduledAmount: number;
    paidAmount: number;
  }>(sql`
    SELECT i.id, i.plan_id AS "planId", i.organization_id AS "organizationId", p.patient_id AS "patientId", p.currency, i.due_date AS "dueDate",
           i.scheduled_amount AS "scheduledAmount", i.paid_amount AS "paidAmount"
    FROM payment_plan_installments i
    JOIN payment_plans p ON p.id = i.plan_id
    JOIN organizations o ON o.id = i.organization_id
    LEFT JOIN autopay_settings s ON s.organization_id = i.organization_id
    WHERE i.status = 'scheduled' AND i.sequence > 0 AND i.reminder_sent_at IS NULL AND p.status = 'active' AND p.reminder_days_before > 0
      AND ${INSTALLMENT_CHARGE_AT} - make_interval(days => p.reminder_days_before) <= ${options.now}::timestamptz
      AND ${INSTALLMENT_CHARGE_AT} > ${options.now}::timestamptz
      AND (${options.organizationId ?? null}::uuid IS NULL OR i.organization_id = ${options.organizationId ?? null}::uuid)
      AND (${options.planId ?? null}::uuid IS NULL OR i.plan_id = ${options.planId ?? null}::uuid)`);
  let sent = 0;
  for (const row of due) {
    await db.$transaction(async (tx) => {
      // Claim the reminder: a concurrent run finds it sent and writes nothing.
      const claimed = await tx.paymentPlanInstallment.updateMany({ where: { id: row.id, reminderSentAt: null }, data: { reminderSentAt: options.now } });
      if (claimed.count === 0) return;
      const open = await planOpenInvoices(tx, { planId: row.planId, organizationId: row.organizationId, lock: false });
      const owed = Math.max(
        open.reduce((sum, invoice) => sum + invoice.owed, 0),
        0,
      );
      const amount = Math.min(row.scheduledAmount - row.paidAmount, owed);
      if (amount <= 0) return;
      const link = await patientLink(tx, { organizationId: row.organizationId, invoiceId: open[0]?.id ?? null, now: options.now });
      const cardLink = await patientCardLink(tx, { organizationId: row.organizationId, patientId: row.patientId, now: options.now });
      if (
        await queueAutopayEmail(tx, {
          organizationId: row.organizationId,
          patientId: row.patientId,
          invoiceId: open[0]?.id ?? null,
          email: { kind: "autopay_reminder", amount, currency: row.currency, dueDate: toIsoDate(row.dueDate)!, link, cardLink },
        })
      )
        sent++;
    });
  }
  return sent;
}

/** Charges claimed more than RESUME_AFTER_MS ago whose outcome was never recorded. */
async function findInterruptedCharges(db: Db, options: { now: Date } & AutopayScope): Promise<string[]> {
  const rows = await db.autopayCharge.findMany({
    where: {
      status: "processing",
      claimedAt: { lt: new Date(options.now.getTime() - RESUME_AFTER_MS) },
      ...(options.organizationId ? { organizationId: options.organizationId } : {}),
    },
    select: { id: true, subjectId: true },
    orderBy: { claimedAt: "asc" },
  });
  if (!options.planId && !options.membershipId) return rows.map((row) => row.id);
  const subjects = options.planId
    ? await db.paymentPlanInstallment.findMany({ where: { planId: options.planId, id: { in: rows.map((row) => row.subjectId) } }, select: { id: true } })
    : await db.membershipPeriod.findMany({ where: { membershipId: options.membershipId, id: { in: rows.map((row) => row.subjectId) } }, select: { id: true } });
  const ids = new Set(subjects.map((row) => row.id));
  return rows.filter((row) => ids.has(row.subjectId)).map((row) => row.id);
}

type Claimed = { chargeId: string; outcome: ChargeOutcome };

/**
 * Claims one due attempt (skipping rows another run holds) and, in the same transaction, decides
 * it: nothing owed → canceled; no card with consent → failed (no Stripe call, ever); otherwise
 * the payment row is written and the attempt becomes `processing` with its amount, card and
 * consent. Committed before Stripe is called. Null when nothing is due.
 */
export async function claimDueCharge(db: Db, options: { now: Date } & AutopayScope): Promise<Claimed | null> {
  const claimed = await db.$transaction(async (tx) => {
    const [row] = await sqlOf(tx).query<{ id: string }>(sql`
      SELECT c.id FROM autopay_charges c
      WHERE c.status = 'scheduled' AND c.scheduled_for <= ${options.now}::timestamptz
        AND (${options.organizationId ?? null}::uuid IS NULL OR c.organization_id = ${options.organizationId ?? null}::uuid)
        -- Each subject with its own liveness check (a paused plan or membership keeps its attempts waiting).
        AND ((c.subject_type = 'plan_installment' AND ${options.membershipId ?? null}::uuid IS NULL AND EXISTS (
          SELECT 1 FROM payment_plan_installments i JOIN payment_plans p ON p.id = i.plan_id
          WHERE i.id = c.subject_id AND p.status IN ('active', 'past_due', 'canceled', 'completed', 'defaulted')
            AND (${options.planId ?? null}::uuid IS NULL OR p.id = ${options.planId ?? null}::uuid)))
          OR (c.subject_type = 'membership_period' AND ${options.planId ?? null}::uuid IS NULL AND EXISTS (
          SELECT 1 FROM membership_periods mp JOIN patient_memberships m ON m.id = mp.membership_id
          WHERE mp.id = c.subject_id AND m.status IN ('active', 'past_due', 'canceled', 'defaulted')
            AND (${options.membershipId ?? null}::uuid IS NULL OR m.id = ${options.membershipId ?? null}::uuid))))
      ORDER BY c.scheduled_for, c.id
      LIMIT 1
      FOR UPDATE OF c SKIP LOCKED`);
    if (!row) return null;
    const charge = await tx.autopayCharge.findUniqueOrThrow({ where: { id: row.id } });
    const subject = subjectOf(charge);
    const prepared = await subject.prepare(tx, charge);
    if (prepared.kind === "not_chargeable") {
      await tx.autopayCharge.update({ where: { id: charge.id }, data: { status: "canceled", cancelReason: prepared.reason, completedAt: options.now } });
      return { chargeId: charge.id, outcome: "canceled" as const };
    }
    if (prepared.kind === "nothing_owed") {
      await tx.autopayCharge.update({
        where: { id: charge.id },
        data: { status: "canceled", cancelReason: "Nothing was owed any more.", completedAt: options.now },
      });
      await subject.nothingOwed(tx, charge, options.now);
      return { chargeId: charge.id, outcome: "canceled" as const };
    }
    const card = await getChargeableCard(tx, {
      organizationId: charge.organizationId,
      patientId: prepared.patientId,
      savedPaymentMethodId: prepared.savedPaymentMethodId,
    });
    const patient = await tx.patient.findUniqueOrThrow({ where: { id: prepared.patientId }, select: { stripeCustomerId: true } });
    const refusal =
      !card || !patient.stripeCustomerId ? "no_card_on_file" : prepared.amount < minimumCardPayment(prepared.currency) ? "amount_too_small" : null;
    if (refusal) {
      await tx.autopayCharge.update({
        where: { id: charge.id },
        data: { status: "failed", amount: prepared.amount, declineCode: refusal, declineKind: "hard", completedAt: options.now, claimedAt: options.now },
      });
      await dun(tx, { ...charge, amount: prepared.amount }, { code: refusal, now: options.now });
      return { chargeId: charge.id, outcome: "failed" as const };
    }
    const payment = await tx.payment.create({
      data: {
        organizationId: charge.organizationId,
        invoiceId: prepared.invoiceId,
        patientId: prepared.patientId,
        source: "autopay",
        methodType: "card",
        status: "requires_confirmation",
        currency: prepared.currency,
        amount: prepared.amount,
        cardBrand: card!.brand,
        cardLast4: card!.last4,
      },
    });
    await tx.autopayCharge.update({
      where: { id: charge.id },
      data: {
        status: "processing",
        amount: prepared.amount,
        savedPaymentMethodId: card!.id,
        consentId: card!.consentId,
        paymentId: payment.id,
        claimedAt: options.now,
      },
    });
    return { chargeId: charge.id, outcome: "processing" as const };
  });
  return claimed;
}

/**
 * Charges a claimed attempt at Stripe (off-session, its own idempotency key: a repeat after a
 * crash gets the first PaymentIntent back), applies the intent with the convergent payment code
 * (the webhook may get there first: same result), then records the attempt's outcome.
 */
export async function chargeClaimed(db: Db, options: { chargeId: string; now: Date; stripe?: Stripe }): Promise<ChargeOutcome> {
  const charge = await db.autopayCharge.findUniqueOrThrow({
    where: { id: options.chargeId },
    include: { payment: true, card: { select: { stripePaymentMethodId: true } }, patient: { select: { stripeCustomerId: true } } },
  });
  if (charge.status !== "processing" || !charge.payment || !charge.card || !charge.patient.stripeCustomerId) return "processing";
  const payment = charge.payment;
  let paymentIntentId = payment.stripePaymentIntentId;
  // The attempt's payment was closed before it reached Stripe (the janitor closes attempts never
  // sent within an hour): no Stripe call; the outcome is recorded as a decline and dunning retries.
  if (!paymentIntentId && payment.status !== "requires_confirmation") return recordChargeOutcome(db, { chargeId: charge.id, now: options.now });
  if (!paymentIntentId) {
    try {
      const paymentIntent = await createPaymentIntent(
        {
          metadata: { organizationId: charge.organizationId, invoiceId: payment.invoiceId!, paymentId: payment.id },
          amount: payment.amount,
          currency: payment.currency.toLowerCase(),
          customerId: charge.patient.stripeCustomerId,
          offSessionPaymentMethodId: charge.card.stripePaymentMethodId,
        },
        options.stripe,
        { idempotencyKey: charge.idempotencyKey as IdempotencyKey },
      );
      paymentIntentId = paymentIntent.id;
    } catch (error) {
      const intent = error instanceof Stripe.errors.StripeCardError ? (error.raw as { payment_intent?: { id?: string } }).payment_intent : undefined;
      if (!intent?.id) {
        // Stripe unreachable or busy with the same key: the attempt stays claimed and a later run resumes it with the same key.
        logger.warn({ err: error, autopayChargeId: charge.id }, "autopay charge not sent; a later run resumes it");
        return "processing";
      }
      paymentIntentId = intent.id;
    }
    await db.payment.updateMany({ where: { id: payment.id, stripePaymentIntentId: null }, data: { stripePaymentIntentId: paymentIntentId } });
  }
  await syncPaymentIntent(db, paymentIntentId, options.stripe);
  return recordChargeOutcome(db, { chargeId: charge.id, now: options.now });
}

/**
 * Records what happened to a processing attempt from its payment row (which the convergent
 * payment code keeps in line with Stripe): success → the subject is paid; a decline → dunning.
 * Safe to call any number of times: it only moves a `processing` attempt, under its row lock.
 */
export async function recordChargeOutcome(db: Db, options: { chargeId: string; now: Date }): Promise<ChargeOutcome> {
  return db.$transaction(async (tx) => {
    const [locked] = await sqlOf(tx).query<{ id: string }>(sql`SELECT id FROM autopay_charges WHERE id = ${options.chargeId}::uuid FOR UPDATE`);
    if (!locked) return "processing";
    const charge = await tx.autopayCharge.findUniqueOrThrow({ where: { id: options.chargeId }, include: { payment: true } });
    if (charge.status !== "processing" || !charge.payment) return charge.status === "scheduled" ? "processing" : (charge.status as ChargeOutcome);
    const payment = charge.payment;
    if (payment.status === "succeeded") {
      await tx.autopayCharge.update({ where: { id: charge.id }, data: { status: "succeeded", completedAt: options.now } });
      await subjectOf(charge).succeeded(tx, charge, payment, options.now);
      return "succeeded";
    }
    const declined = payment.status === "failed" || payment.status === "canceled" || payment.status === "requires_payment_method";
    if (!declined && !(payment.status === "requires_action")) return "processing";
    const neverSent = payment.status === "canceled" && !payment.stripePaymentIntentId;
    const code = payment.failureCode ?? (payment.status === "requires_action" ? "authentication_required" : neverSent ? "not_sent" : "card_declined");
    await tx.autopayCharge.update({
      where: { id: charge.id },
      data: { status: "failed", declineCode: code, declineKind: declineKind(code), failureMessage: payment.failureMessage, completedAt: options.now },
    });
    await dun(tx, charge, { code, now: options.now });
    return "failed";
  });
}

/** After a failed attempt: the next soft-decline retry (per the organization's days after the due date), or the end of the dunning. */
async function dun(
  tx: Tx,
  charge: {
    id: string;
    organizationId: string;
    patientId: string;
    subjectType: "plan_installment" | "membership_period";
    subjectId: string;
    attempt: number;
    amount: number | null;
    currency: string;
    paymentId: string | null;
  },
  failure: { code: string; now: Date },
): Promise<void> {
  const settings = await getAutopaySettings(tx, charge.organizationId);
  const kind = declineKind(failure.code);
  const subject = subjectOf(charge);
  let retryOn: string | null = null;
  if (kind === "soft" && charge.attempt <= settings.retryDays.length) {
    const dueDate = await subject.dueDate(tx, charge);
    retryOn = addDays(dueDate, settings.retryDays[charge.attempt - 1]!);
    await tx.autopayCharge.createMany({
      data: [
        {
          organizationId: charge.organizationId,
          patientId: charge.patientId,
          subjectType: charge.subjectType,
          subjectId: charge.subjectId,
          attempt: charge.attempt + 1,
          scheduledFor: chargeInstant(retryOn, settings),
          currency: charge.currency,
          idempotencyKey: autopayChargeKey(charge.subjectType, charge.subjectId, charge.attempt + 1),
        },
      ],
      skipDuplicates: true,
    });
  }
  await subject.failed(tx, charge, { kind, final: retryOn === null, retryOn, afterLastFailure: settings.afterLastFailure, now: failure.now });
}
