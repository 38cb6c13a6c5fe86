import type Stripe from "stripe";
import { z } from "zod";
import type { Db, Tx } from "@/lib/db/client";
import type { MembershipStatus } from "@/lib/db/generated/enums";
import type { InputJsonValue } from "@/lib/db/generated/internal/prismaNamespace";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { queueAutopayEmail } from "@/lib/autopay/queue-autopay-email";
import { resolveCardLink } from "@/lib/card-links/resolve-card-link";
import { sql, sqlOf } from "@/lib/db/sql";
import { AppError, isAppError } from "@/lib/errors";
import { addDays, fromIsoDate, todayIn, toIsoDate } from "@/lib/invoices/dates";
import { voidInvoice } from "@/lib/invoices/void-invoice";
import { formatMoney } from "@/lib/money/currency";
import { logger } from "@/lib/observability/logger";
import { getChargeableCard } from "@/lib/payments/get-chargeable-card";
import { requestRefund } from "@/lib/refunds/request-refund";
import { getMembershipOrThrow, listPatientLiveMemberships, refundablePeriodAmount } from "./get-membership";
import { LIVE_MEMBERSHIP_STATUSES, type MembershipSummary, type MembershipView } from "./memberships.types";

type Options = { organizationId: string; membershipId: string; actor: AuditActor; now: Date };

const STATE_WORDS: Record<MembershipStatus, string> = {
  active: "active",
  past_due: "past due",
  paused: "paused",
  canceled: "canceled",
  defaulted: "defaulted",
};

/** Locks the membership row (every change to a membership's state goes through here, the engine included) and checks its state. */
export async function lockMembership(tx: Tx, options: { organizationId: string; membershipId: string }, allowed: readonly MembershipStatus[], action: string) {
  const [row] = await sqlOf(tx).query<{ id: string }>(
    sql`SELECT id FROM patient_memberships WHERE id = ${options.membershipId}::uuid AND organization_id = ${options.organizationId}::uuid FOR UPDATE`,
  );
  if (!row) throw new AppError("NOT_FOUND", "That membership does not exist.");
  const membership = await tx.patientMembership.findUniqueOrThrow({
    where: { id: row.id },
    include: { membershipPlan: { select: { name: true, interval: true, currency: true } }, periods: { orderBy: { sequence: "desc" }, take: 1 } },
  });
  if (!allowed.includes(membership.status)) throw new AppError("CONFLICT", `This membership is ${STATE_WORDS[membership.status]}, so it cannot be ${action}.`);
  return membership;
}

async function audit(tx: Tx, options: Options, action: string, after: InputJsonValue, before?: InputJsonValue) {
  await recordAuditEvent(tx, {
    organizationId: options.organizationId,
    actor: options.actor,
    action,
    target: { type: "membership", id: options.membershipId },
    ...(before === undefined ? {} : { before }),
    after,
  });
}

async function timezoneOf(tx: Tx, organizationId: string): Promise<string> {
  return (await tx.organization.findUniqueOrThrow({ where: { id: organizationId }, select: { timezone: true } })).timezone;
}

/** Cancels the membership's charges that have not gone out (a charge already at Stripe finishes; its outcome is recorded as always). */
async function cancelPendingCharges(tx: Tx, options: { membershipId: string; now: Date; reason: string }): Promise<void> {
  const periods = await tx.membershipPeriod.findMany({ where: { membershipId: options.membershipId }, select: { id: true } });
  await tx.autopayCharge.updateMany({
    where: { subjectType: "membership_period", subjectId: { in: periods.map((period) => period.id) }, status: "scheduled" },
    data: { status: "canceled", cancelReason: options.reason, completedAt: options.now },
  });
}

export const ZCancelMembershipInput = z
  .strictObject({
    when: z.enum(["period_end", "now"], { error: "Choose at the end of the period or now." }),
    /** Minor units given back from the current period's payment (only with "now"); 0 or omitted refunds nothing. */
    refundAmount: z
      .number({ error: "Enter the refund in minor units." })
      .int("Enter a whole amount in minor units.")
      .min(0, "The refund cannot be negative.")
      .optional(),
  })
  .superRefine((input, context) => {
    if (input.when === "period_end" && input.refundAmount)
      context.addIssue({ code: "custom", path: ["refundAmount"], message: "A refund is only given when the membership ends now." });
  });
export type TCancelMembershipInput = z.input<typeof ZCancelMembershipInput>;

/**
 * Cancels a membership. At the period's end: nothing more is invoiced, and the engine ends it when
 * the current period ends (staff may undo that until then). Now: it ends at once; its pending
 * charges are canceled, an unpaid period invoice is voided (its journal reversed) and its period
 * canceled, and the refund staff chose (at most what the current period's payment can give back)
 * goes through the ordinary refund code (its credit note and journal) after the cancellation commits.
 */
export async function cancelMembership(db: Db, options: Options & { input: TCancelMembershipInput; stripe?: Stripe }): Promise<MembershipView> {
  const input = ZCancelMembershipInput.parse(options.input);
  const refundAmount = input.refundAmount ?? 0;
  const outcome = await db.$transaction(async (tx) => {
    if (input.when === "period_end") {
      const membership = await lockMembership(tx, options, ["active", "past_due", "paused"], "canceled");
      if (membership.cancelAtPeriodEnd) return { unpaid: [], refundFrom: null };
      await tx.patientMembership.update({ where: { id: membership.id }, data: { cancelAtPeriodEnd: true, cancelRequestedBy: "staff_on_behalf" } });
      await audit(tx, options, "membership.cancel_scheduled", { cancelAtPeriodEnd: true, endsOn: toIsoDate(membership.periods[0]?.periodEnd ?? null) });
      const lastDay = membership.periods[0]
        ? addDays(toIsoDate(membership.periods[0].periodEnd)!, -1)
        : todayIn(await timezoneOf(tx, options.organizationId), options.now);
      await queueAutopayEmail(tx, {
        organizationId: options.organizationId,
        patientId: membership.patientId,
        invoiceId: null,
        email: { kind: "membership_canceled", lastDay, endedNow: false },
      });
      return { unpaid: [], refundFrom: null };
    }
    const membership = await lockMembership(tx, options, ["active", "past_due", "paused", "defaulted"], "canceled");
    const current = membership.periods[0] ?? null;
    const refundable = current && current.status === "paid" && membership.status !== "defaulted" ? await refundablePeriodAmount(tx, current) : 0;
    if (refundAmount > refundable) {
      throw new AppError("VALIDATION_FAILED", "The refund is more than can be given back.", {
        fields: {
          refundAmount: [
            refundable > 0
              ? `Refund at most ${formatMoney(refundable, membership.membershipPlan.currency)}.`
              : "Nothing of the current period can be refunded.",
          ],
        },
      });
    }
    await tx.patientMembership.update({
      where: { id: membership.id },
      data: { status: "canceled", canceledAt: options.now, cancelAtPeriodEnd: false, cancelRequestedBy: "staff_on_behalf" },
    });
    await cancelPendingCharges(tx, { membershipId: membership.id, now: options.now, reason: "The membership was canceled." });
    await tx.attentionItem.updateMany({ where: { membershipId: membership.id, resolvedAt: null }, data: { resolvedAt: options.now } });
    const unpaid = await tx.membershipPeriod.findMany({
      where: { membershipId: membership.id, status: { in: ["open", "failed"] }, invoice: { amountPaid: 0 } },
      select: { id: true, invoiceId: true },
    });
    await queueAutopayEmail(tx, {
      organizationId: options.organizationId,
      patientId: membership.patientId,
      invoiceId: null,
      email: {
        kind: "membership_canceled",
        lastDay: todayIn(await timezoneOf(tx, options.organizationId), options.now),
        endedNow: true,
      },
    });
    await audit(
      tx,
      options,
      "membership.canceled",
      { status: "canceled", refundAmount, voidedPeriods: unpaid.map((period) => period.id) },
      { status: membership.status },
    );
    return { unpaid, refundFrom: refundAmount > 0 ? current : null };
  });
  for (const period of outcome.unpaid) {
    try {
      await voidInvoice(db, {
        organizationId: options.organizationId,
        invoiceId: period.invoiceId,
        actor: options.actor,
        input: { reason: "Membership canceled" },
        stripe: options.stripe,
        now: options.now,
      });
      await db.membershipPeriod.updateMany({ where: { id: period.id, status: { in: ["open", "failed"] } }, data: { status: "canceled" } });
    } catch (error) {
      // A payment came in meanwhile (or is at Stripe): the invoice stays, its period is settled by that payment.
      if (!isAppError(error) || error.code !== "CONFLICT") throw error;
      logger.info({ invoiceId: period.invoiceId, reason: error.message }, "membership period invoice not voided at cancel");
    }
  }
  if (outcome.refundFrom) await refundPeriod(db, { ...options, invoiceId: outcome.refundFrom.invoiceId, amount: refundAmount });
  return getMembershipOrThrow(db, { organizationId: options.organizationId, membershipId: options.membershipId, now: options.now });
}

/** Refunds `amount` of a period invoice's card payments, newest first, through the ordinary refund code (a credit note keeps the invoice settled). */
async function refundPeriod(db: Db, options: Options & { invoiceId: string; amount: number; stripe?: Stripe }): Promise<void> {
  const payments = await db.payment.findMany({
    where: { invoiceId: options.invoiceId, status: "succeeded", stripePaymentIntentId: { not: null } },
    select: { id: true, amountReceived: true, amountRefunded: true },
    orderBy: { createdAt: "desc" },
  });
  let left = options.amount;
  for (const payment of payments) {
    if (left <= 0) break;
    const amount = Math.min(left, payment.amountReceived - payment.amountRefunded);
    if (amount <= 0) continue;
    await requestRefund(db, {
      organizationId: options.organizationId,
      paymentId: payment.id,
      actor: options.actor,
      input: { amount, reason: "requested_by_customer", mode: "credit_note" },
      stripe: options.stripe,
    });
    left -= amount;
  }
}

/** Keeps a membership that was set to end at its period's end (staff changed their mind before it ended). */
export async function undoCancelAtPeriodEnd(db: Db, options: Options): Promise<MembershipView> {
  await db.$transaction(async (tx) => {
    const membership = await lockMembership(tx, options, ["active", "past_due", "paused"], "kept");
    if (!membership.cancelAtPeriodEnd) throw new AppError("CONFLICT", "This membership is not set to end.");
    await tx.patientMembership.update({ where: { id: membership.id }, data: { cancelAtPeriodEnd: false, cancelRequestedBy: null } });
    await audit(tx, options, "membership.cancel_undone", { cancelAtPeriodEnd: false }, { cancelRequestedBy: membership.cancelRequestedBy });
  });
  return getMembershipOrThrow(db, { organizationId: options.organizationId, membershipId: options.membershipId, now: options.now });
}

/** Pauses billing: no period starts while paused (a period already invoiced keeps its invoice; its pending retries wait). */
export async function pauseMembership(db: Db, options: Options): Promise<MembershipView> {
  await db.$transaction(async (tx) => {
    const membership = await lockMembership(tx, options, ["active", "past_due"], "paused");
    await tx.patientMembership.update({ where: { id: membership.id }, data: { status: "paused", pausedAt: options.now } });
    await audit(tx, options, "membership.paused", { status: "paused" }, { status: membership.status });
  });
  return getMembershipOrThrow(db, { organizationId: options.organizationId, membershipId: options.membershipId, now: options.now });
}

/**
 * Resumes billing at the first period start on or after today (the clinic's date): periods that
 * started while paused are never invoiced; the anchor day never moves. Past due again if a period failed.
 */
export async function resumeMembership(db: Db, options: Options): Promise<MembershipView> {
  await db.$transaction(async (tx) => {
    const membership = await lockMembership(tx, options, ["paused"], "resumed");
    const failed = await tx.membershipPeriod.count({ where: { membershipId: membership.id, status: "failed" } });
    const status = failed > 0 ? "past_due" : "active";
    const resumedOn = todayIn(await timezoneOf(tx, options.organizationId), options.now);
    await tx.patientMembership.update({ where: { id: membership.id }, data: { status, resumedOn: fromIsoDate(resumedOn) } });
    await audit(tx, options, "membership.resumed", { status, resumedOn });
  });
  return getMembershipOrThrow(db, { organizationId: options.organizationId, membershipId: options.membershipId, now: options.now });
}

export const ZChangeMembershipCardInput = z.strictObject({ savedPaymentMethodId: z.uuid("Choose one of the patient's cards.") });
export type TChangeMembershipCardInput = z.input<typeof ZChangeMembershipCardInput>;

/** Charges another of the patient's cards on file (saved with their consent) from the next attempt on. */
export async function changeMembershipCard(db: Db, options: Omit<Options, "now"> & { now?: Date; input: TChangeMembershipCardInput }): Promise<MembershipView> {
  const input = ZChangeMembershipCardInput.parse(options.input);
  await db.$transaction(async (tx) => {
    const membership = await lockMembership(tx, options, ["active", "past_due", "paused"], "changed");
    const card = await getChargeableCard(tx, {
      organizationId: options.organizationId,
      patientId: membership.patientId,
      savedPaymentMethodId: input.savedPaymentMethodId,
    });
    if (!card) {
      throw new AppError("VALIDATION_FAILED", "That card cannot be charged for this membership.", {
        fields: { savedPaymentMethodId: ["Choose a card on file for this patient, saved with their consent."] },
      });
    }
    await tx.patientMembership.update({ where: { id: membership.id }, data: { savedPaymentMethodId: card.id } });
    await audit(
      tx,
      { ...options, now: options.now ?? new Date() },
      "membership.card_changed",
      { card: `${card.brand} ${card.last4}` },
      { cardId: membership.savedPaymentMethodId },
    );
  });
  return getMembershipOrThrow(db, { organizationId: options.organizationId, membershipId: options.membershipId, now: options.now });
}

/**
 * The patient cancels from their signed card link: only a live membership of the patient the link
 * names (anything else is not found), effective at the current period's end; audited with the
 * patient as the actor and confirmed by a neutral email. Asking twice changes nothing more.
 */
export async function cancelMembershipFromCardLink(
  db: Db,
  options: { token: string; membershipId: string; ip: string | null; userAgent: string | null; now: Date },
): Promise<MembershipSummary> {
  const link = await resolveCardLink(db, options.token, options.now);
  if (!link.ok) throw new AppError("NOT_FOUND", "This link no longer works. Please contact the clinic.");
  const actor: AuditActor = { userId: null, label: "patient (card link)", ip: options.ip, requestId: null };
  await db.$transaction(async (tx) => {
    const owned = await tx.patientMembership.findFirst({
      where: { id: options.membershipId, organizationId: link.organizationId, patientId: link.patientId },
      select: { id: true },
    });
    if (!owned) throw new AppError("NOT_FOUND", "That membership does not exist.");
    const membership = await lockMembership(tx, { organizationId: link.organizationId, membershipId: owned.id }, LIVE_MEMBERSHIP_STATUSES, "canceled");
    if (membership.cancelAtPeriodEnd) return;
    await tx.patientMembership.update({ where: { id: membership.id }, data: { cancelAtPeriodEnd: true, cancelRequestedBy: "patient_online" } });
    const current = membership.periods[0] ?? null;
    const lastDay = current ? addDays(toIsoDate(current.periodEnd)!, -1) : todayIn(await timezoneOf(tx, link.organizationId), options.now);
    await recordAuditEvent(tx, {
      organizationId: link.organizationId,
      actor,
      action: "membership.cancel_scheduled",
      target: { type: "membership", id: membership.id },
      after: { cancelAtPeriodEnd: true, cancelRequestedBy: "patient_online", cardLinkId: link.linkId, userAgent: options.userAgent?.slice(0, 300) ?? null },
    });
    await queueAutopayEmail(tx, {
      organizationId: link.organizationId,
      patientId: link.patientId,
      invoiceId: null,
      email: { kind: "membership_canceled", lastDay, endedNow: false },
    });
  });
  const [summary] = (await listPatientLiveMemberships(db, { organizationId: link.organizationId, patientId: link.patientId })).filter(
    (membership) => membership.id === options.membershipId,
  );
  if (!summary) throw new AppError("NOT_FOUND", "That membership does not exist.");
  return summary;
}
