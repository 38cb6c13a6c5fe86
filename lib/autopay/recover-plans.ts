import type { Tx } from "@/lib/db/client";
import { AUTOMATIC_ACTOR, recordAuditEvent } from "@/lib/audit/record-audit-event";
import { getChargeableCard } from "@/lib/payments/get-chargeable-card";
import { autopayChargeKey } from "./autopay-charge-key";
import { planOpenInvoices } from "./plan-installment-subject";

/**
 * A card just saved for a patient (through the card link or at the desk) takes over the plans
 * that wait on a card: the patient's active or past-due plans with a finally failed installment
 * (hard decline, authentication required, no card, retries exhausted) or without a usable card.
 * On each, in the card setup's transaction: the new card becomes the plan's card, the pending
 * retries of its overdue installments are canceled, each overdue installment gets a new attempt
 * due `now` (the next attempt number, so its own Stripe idempotency key), and the plan's
 * "Needs attention" items about failed charges are resolved. The caller runs the engine for the
 * returned plans once this commits (`runAutopay({ planId })`); the engine decides each amount
 * under the invoices' locks (never more than is owed) exactly as for any attempt. Called once per
 * saved card (the setup's first application), so it never writes the attempts twice.
 */
export async function recoverPlansWithNewCard(tx: Tx, options: { organizationId: string; patientId: string; cardId: string; now: Date }): Promise<string[]> {
  const card = await getChargeableCard(tx, { organizationId: options.organizationId, patientId: options.patientId, savedPaymentMethodId: options.cardId });
  if (!card) return [];
  const plans = await tx.paymentPlan.findMany({
    where: { organizationId: options.organizationId, patientId: options.patientId, status: { in: ["active", "past_due"] } },
    select: {
      id: true,
      status: true,
      currency: true,
      savedPaymentMethodId: true,
      installments: { select: { id: true, status: true, scheduledAmount: true, paidAmount: true } },
    },
    orderBy: { createdAt: "asc" },
  });
  const recovered: string[] = [];
  for (const plan of plans) {
    // A failed installment on an active plan was caught up since (reconcilePlans): nothing to charge for it.
    const hasFailed = plan.status === "past_due" && plan.installments.some((installment) => installment.status === "failed");
    if (!hasFailed && plan.savedPaymentMethodId === options.cardId) continue;
    if (!hasFailed && (await hasUsableCard(tx, { ...options, savedPaymentMethodId: plan.savedPaymentMethodId }))) continue;
    await tx.paymentPlan.update({ where: { id: plan.id }, data: { savedPaymentMethodId: options.cardId } });
    const live = plan.installments.filter((installment) => installment.status === "failed" || installment.status === "scheduled").map((row) => row.id);
    const charges = await tx.autopayCharge.findMany({
      where: { subjectType: "plan_installment", subjectId: { in: live } },
      select: { subjectId: true, attempt: true, status: true },
    });
    const bySubject = new Map<string, typeof charges>();
    for (const charge of charges) bySubject.set(charge.subjectId, [...(bySubject.get(charge.subjectId) ?? []), charge]);
    // Overdue: a failed installment, or one whose charge failed and waits on a retry. Never one whose charge is being made.
    let overdue = plan.installments.filter((installment) => {
      const own = bySubject.get(installment.id) ?? [];
      if (own.some((charge) => charge.status === "processing" || charge.status === "succeeded")) return false;
      return (
        (installment.status === "failed" && hasFailed) ||
        (installment.status === "scheduled" && own.some((charge) => charge.status === "failed") && own.some((charge) => charge.status === "scheduled"))
      );
    });
    // Behind at all? What the invoices owe beyond what the installments still ahead cover (paid meanwhile on the pay page or at the desk: nothing).
    const owed = (await planOpenInvoices(tx, { planId: plan.id, organizationId: options.organizationId, lock: false })).reduce(
      (sum, invoice) => sum + Math.max(invoice.owed, 0),
      0,
    );
    const ahead = plan.installments
      .filter((installment) => installment.status === "scheduled" && !overdue.includes(installment))
      .reduce((sum, installment) => sum + installment.scheduledAmount - installment.paidAmount, 0);
    if (owed <= ahead) overdue = [];
    for (const installment of overdue) {
      await tx.autopayCharge.updateMany({
        where: { subjectType: "plan_installment", subjectId: installment.id, status: "scheduled" },
        data: { status: "canceled", cancelReason: "Charged at once to the card the patient added.", completedAt: options.now },
      });
      await tx.paymentPlanInstallment.update({ where: { id: installment.id }, data: { status: "scheduled" } });
      const attempt = Math.max(0, ...(bySubject.get(installment.id) ?? []).map((charge) => charge.attempt)) + 1;
      await tx.autopayCharge.createMany({
        data: [
          {
            organizationId: options.organizationId,
            patientId: options.patientId,
            subjectType: "plan_installment",
            subjectId: installment.id,
            attempt,
            scheduledFor: options.now,
            currency: plan.currency,
            idempotencyKey: autopayChargeKey("plan_installment", installment.id, attempt),
          },
        ],
        skipDuplicates: true,
      });
    }
    await tx.attentionItem.updateMany({
      where: { paymentPlanId: plan.id, resolvedAt: null, kind: { in: ["autopay_failed", "authentication_required"] } },
      data: { resolvedAt: options.now },
    });
    await recordAuditEvent(tx, {
      organizationId: options.organizationId,
      actor: AUTOMATIC_ACTOR,
      action: "payment_plan.card_added",
      target: { type: "payment_plan", id: plan.id },
      before: { cardId: plan.savedPaymentMethodId },
      after: { cardId: options.cardId, card: `${card.brand} ${card.last4}`, chargedNow: overdue.map((installment) => installment.id) },
    });
    if (overdue.length > 0) recovered.push(plan.id);
  }
  return recovered;
}

/** Whether a plan has a card the engine may charge other than the new one: its own, else (none named) the patient's default. */
async function hasUsableCard(
  tx: Tx,
  options: { organizationId: string; patientId: string; cardId: string; savedPaymentMethodId: string | null },
): Promise<boolean> {
  const usable = await getChargeableCard(tx, {
    organizationId: options.organizationId,
    patientId: options.patientId,
    savedPaymentMethodId: options.savedPaymentMethodId,
  });
  return usable !== null && usable.id !== options.cardId;
}

/**
 * The same for memberships: a new card takes over the patient's active or past-due memberships
 * that wait on a card (a period failed finally, a period whose charge failed and waits on a retry,
 * or no usable card). In the card setup's transaction the membership's card becomes the new one,
 * the pending retries of its overdue periods are canceled, each gets attempt n+1 due now (a failed
 * period is open again), and its failed-charge items are resolved. The caller runs the engine for
 * the returned memberships after the commit (`runAutopay({ membershipId })`); the amount is what
 * each period's invoice still owes then (nothing when it was paid meanwhile). A defaulted membership is not revived.
 */
export async function recoverMembershipsWithNewCard(
  tx: Tx,
  options: { organizationId: string; patientId: string; cardId: string; now: Date },
): Promise<string[]> {
  const card = await getChargeableCard(tx, { organizationId: options.organizationId, patientId: options.patientId, savedPaymentMethodId: options.cardId });
  if (!card) return [];
  const memberships = await tx.patientMembership.findMany({
    where: { organizationId: options.organizationId, patientId: options.patientId, status: { in: ["active", "past_due"] } },
    select: { id: true, savedPaymentMethodId: true, periods: { where: { status: { in: ["open", "failed"] } }, select: { id: true, status: true } } },
    orderBy: { createdAt: "asc" },
  });
  const recovered: string[] = [];
  for (const membership of memberships) {
    const charges = await tx.autopayCharge.findMany({
      where: { subjectType: "membership_period", subjectId: { in: membership.periods.map((period) => period.id) } },
      select: { subjectId: true, attempt: true, status: true, currency: true },
    });
    const own = (periodId: string) => charges.filter((charge) => charge.subjectId === periodId);
    const overdue = membership.periods.filter((period) => {
      const attempts = own(period.id);
      if (attempts.some((charge) => charge.status === "processing" || charge.status === "succeeded")) return false;
      return period.status === "failed" || (attempts.some((charge) => charge.status === "failed") && attempts.some((charge) => charge.status === "scheduled"));
    });
    // Nothing overdue and a working card: left alone.
    if (
      overdue.length === 0 &&
      (membership.savedPaymentMethodId === options.cardId || (await hasUsableCard(tx, { ...options, savedPaymentMethodId: membership.savedPaymentMethodId })))
    )
      continue;
    await tx.patientMembership.update({ where: { id: membership.id }, data: { savedPaymentMethodId: options.cardId } });
    for (const period of overdue) {
      await tx.autopayCharge.updateMany({
        where: { subjectType: "membership_period", subjectId: period.id, status: "scheduled" },
        data: { status: "canceled", cancelReason: "Charged at once to the card the patient added.", completedAt: options.now },
      });
      await tx.membershipPeriod.update({ where: { id: period.id }, data: { status: "open" } });
      const attempts = own(period.id);
      const attempt = Math.max(0, ...attempts.map((charge) => charge.attempt)) + 1;
      await tx.autopayCharge.createMany({
        data: [
          {
            organizationId: options.organizationId,
            patientId: options.patientId,
            subjectType: "membership_period",
            subjectId: period.id,
            attempt,
            scheduledFor: options.now,
            currency: attempts[0]!.currency,
            idempotencyKey: autopayChargeKey("membership_period", period.id, attempt),
          },
        ],
        skipDuplicates: true,
      });
    }
    await tx.attentionItem.updateMany({
      where: { membershipId: membership.id, resolvedAt: null, kind: { in: ["autopay_failed", "authentication_required"] } },
      data: { resolvedAt: options.now },
    });
    await recordAuditEvent(tx, {
      organizationId: options.organizationId,
      actor: AUTOMATIC_ACTOR,
      action: "membership.card_added",
      target: { type: "membership", id: membership.id },
      before: { cardId: membership.savedPaymentMethodId },
      after: { cardId: options.cardId, card: `${card.brand} ${card.last4}`, chargedNow: overdue.map((period) => period.id) },
    });
    if (overdue.length > 0) recovered.push(membership.id);
  }
  return recovered;
}
