import { z } from "zod";
import type { Db, Tx } from "@/lib/db/client";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { chargeInstant } from "@/lib/autopay/charge-time";
import { getAutopaySettings } from "@/lib/autopay/get-autopay-settings";
import { sql, sqlOf } from "@/lib/db/sql";
import type { PaymentPlanStatus } from "@/lib/db/generated/enums";
import { AppError } from "@/lib/errors";
import { fromIsoDate, toIsoDate, todayIn } from "@/lib/invoices/dates";
import { getChargeableCard } from "@/lib/payments/get-chargeable-card";
import type { InputJsonValue } from "@/lib/db/generated/internal/prismaNamespace";
import { ZCalendarDate } from "@/lib/validation/fields";
import { installmentDueDate } from "./plan-schedule";

type Options = { organizationId: string; planId: string; actor: AuditActor; now: Date };

const STATE_WORDS: Record<PaymentPlanStatus, string> = {
  active: "active",
  past_due: "past due",
  paused: "paused",
  completed: "completed",
  canceled: "canceled",
  defaulted: "defaulted",
};

/** Locks the plan row (every change to a plan's state goes through here) and checks its state. */
async function lockPlan(tx: Tx, options: Options, allowed: readonly PaymentPlanStatus[], action: string) {
  const [row] = await sqlOf(tx).query<{ id: string }>(
    sql`SELECT id FROM payment_plans WHERE id = ${options.planId}::uuid AND organization_id = ${options.organizationId}::uuid FOR UPDATE`,
  );
  if (!row) throw new AppError("NOT_FOUND", "That payment plan does not exist.");
  const plan = await tx.paymentPlan.findUniqueOrThrow({ where: { id: row.id } });
  if (!allowed.includes(plan.status)) throw new AppError("CONFLICT", `This plan is ${STATE_WORDS[plan.status]}, so it cannot be ${action}.`);
  return plan;
}

async function audit(tx: Tx, options: Options, action: string, after: InputJsonValue) {
  await recordAuditEvent(tx, {
    organizationId: options.organizationId,
    actor: options.actor,
    action,
    target: { type: "payment_plan", id: options.planId },
    after,
  });
}

/** Stops charging (pending attempts wait, no new ones are written) until resumed. */
export async function pausePaymentPlan(db: Db, options: Options) {
  return db.$transaction(async (tx) => {
    await lockPlan(tx, options, ["active", "past_due"], "paused");
    await tx.paymentPlan.update({ where: { id: options.planId }, data: { status: "paused", pausedAt: options.now } });
    await audit(tx, options, "payment_plan.paused", { status: "paused" });
  });
}

/** Charges again from the next run: installments that came due while paused are charged then (reschedule them first to move them). */
export async function resumePaymentPlan(db: Db, options: Options) {
  return db.$transaction(async (tx) => {
    await lockPlan(tx, options, ["paused"], "resumed");
    const failed = await tx.paymentPlanInstallment.count({ where: { planId: options.planId, status: "failed" } });
    const status = failed > 0 ? "past_due" : "active";
    await tx.paymentPlan.update({ where: { id: options.planId }, data: { status } });
    await audit(tx, options, "payment_plan.resumed", { status });
  });
}

/** Ends the plan: nothing more is charged (a charge already at Stripe finishes), the invoices keep their balance for ordinary statements. */
export async function cancelPaymentPlan(db: Db, options: Options) {
  return db.$transaction(async (tx) => {
    await lockPlan(tx, options, ["active", "past_due", "paused", "defaulted"], "canceled");
    await tx.paymentPlan.update({ where: { id: options.planId }, data: { status: "canceled", canceledAt: options.now } });
    const pending = await tx.paymentPlanInstallment.findMany({ where: { planId: options.planId, status: "scheduled" }, select: { id: true } });
    await tx.paymentPlanInstallment.updateMany({ where: { planId: options.planId, status: "scheduled" }, data: { status: "canceled" } });
    await tx.autopayCharge.updateMany({
      where: { subjectType: "plan_installment", subjectId: { in: pending.map((row) => row.id) }, status: "scheduled" },
      data: { status: "canceled", cancelReason: "The plan was canceled.", completedAt: options.now },
    });
    await tx.attentionItem.updateMany({ where: { paymentPlanId: options.planId, resolvedAt: null }, data: { resolvedAt: options.now } });
    await audit(tx, options, "payment_plan.canceled", { status: "canceled" });
  });
}

async function findPendingInstallment(tx: Tx, options: Options & { installmentId: string }) {
  const installment = await tx.paymentPlanInstallment.findFirst({
    where: { id: options.installmentId, planId: options.planId, organizationId: options.organizationId },
  });
  if (!installment) throw new AppError("NOT_FOUND", "That installment is not part of this plan.");
  if (installment.status !== "scheduled") throw new AppError("CONFLICT", `That installment is ${installment.status}, so it cannot be changed.`);
  const processing = await tx.autopayCharge.count({ where: { subjectType: "plan_installment", subjectId: installment.id, status: "processing" } });
  if (processing > 0) throw new AppError("CONFLICT", "That installment is being charged right now.");
  return installment;
}

/** Skips one installment: it is not charged, and its amount moves to a new installment after the last one (the plan's total never changes). */
export async function skipInstallment(db: Db, options: Options & { installmentId: string }) {
  return db.$transaction(async (tx) => {
    const plan = await lockPlan(tx, options, ["active", "past_due", "paused"], "changed");
    const installment = await findPendingInstallment(tx, options);
    if (installment.sequence === 0) throw new AppError("CONFLICT", "The down payment cannot be skipped.");
    await tx.paymentPlanInstallment.update({ where: { id: installment.id }, data: { status: "skipped" } });
    await tx.autopayCharge.updateMany({
      where: { subjectType: "plan_installment", subjectId: installment.id, status: "scheduled" },
      data: { status: "canceled", cancelReason: "Staff skipped this installment.", completedAt: options.now },
    });
    const last = await tx.paymentPlanInstallment.findFirstOrThrow({ where: { planId: plan.id }, orderBy: { sequence: "desc" } });
    const dueDate = installmentDueDate(toIsoDate(plan.startDate)!, plan.frequency, last.sequence);
    const added = await tx.paymentPlanInstallment.create({
      data: {
        organizationId: options.organizationId,
        planId: plan.id,
        sequence: last.sequence + 1,
        dueDate: fromIsoDate(dueDate),
        scheduledAmount: installment.scheduledAmount - installment.paidAmount,
      },
    });
    await audit(tx, options, "payment_plan.installment_skipped", { installmentId: installment.id, movedTo: { installmentId: added.id, dueDate } });
    return { addedInstallmentId: added.id, dueDate };
  });
}

export const ZRescheduleInstallmentInput = z.strictObject({ dueDate: ZCalendarDate });

/** Moves one pending installment (or its pending retry) to another day, not in the past. */
export async function rescheduleInstallment(db: Db, options: Options & { installmentId: string; input: z.input<typeof ZRescheduleInstallmentInput> }) {
  const input = ZRescheduleInstallmentInput.parse(options.input);
  return db.$transaction(async (tx) => {
    await lockPlan(tx, options, ["active", "past_due", "paused"], "changed");
    const installment = await findPendingInstallment(tx, options);
    const settings = await getAutopaySettings(tx, options.organizationId);
    if (input.dueDate < todayIn(settings.timezone, options.now)) {
      throw new AppError("VALIDATION_FAILED", "The new date cannot be in the past.", { fields: { dueDate: ["Choose today or a later day."] } });
    }
    await tx.paymentPlanInstallment.update({ where: { id: installment.id }, data: { dueDate: fromIsoDate(input.dueDate), reminderSentAt: null } });
    await tx.autopayCharge.updateMany({
      where: { subjectType: "plan_installment", subjectId: installment.id, status: "scheduled" },
      data: { scheduledFor: chargeInstant(input.dueDate, settings) },
    });
    await audit(tx, options, "payment_plan.installment_rescheduled", {
      installmentId: installment.id,
      from: toIsoDate(installment.dueDate),
      to: input.dueDate,
    });
  });
}

export const ZChangePlanCardInput = z.strictObject({ savedPaymentMethodId: z.uuid("Choose one of the patient's cards.") });

/** Charges another of the patient's cards on file (one saved with their consent) from the next attempt on. */
export async function changePlanCard(db: Db, options: Options & { input: z.input<typeof ZChangePlanCardInput> }) {
  const input = ZChangePlanCardInput.parse(options.input);
  return db.$transaction(async (tx) => {
    const plan = await lockPlan(tx, options, ["active", "past_due", "paused"], "changed");
    const card = await getChargeableCard(tx, {
      organizationId: options.organizationId,
      patientId: plan.patientId,
      savedPaymentMethodId: input.savedPaymentMethodId,
    });
    if (!card) {
      throw new AppError("VALIDATION_FAILED", "That card cannot be charged for this plan.", {
        fields: { savedPaymentMethodId: ["Choose a card on file for this patient, saved with their consent."] },
      });
    }
    await tx.paymentPlan.update({ where: { id: plan.id }, data: { savedPaymentMethodId: card.id } });
    await audit(tx, options, "payment_plan.card_changed", { card: `${card.brand} ${card.last4}` });
  });
}
