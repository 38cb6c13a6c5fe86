import type { Tx } from "@/lib/db/client";
import { AUTOMATIC_ACTOR } from "@/lib/audit/record-audit-event";
import { lockInvoiceRow } from "@/lib/db/locks";
import type { AfterLastFailure, DeclineKind } from "@/lib/db/generated/enums";
import { toIsoDate } from "@/lib/invoices/dates";
import { patientCardLink } from "@/lib/card-links/create-card-link";
import { createPaymentLink } from "@/lib/payment-links/create-payment-link";
import { getCurrentPaymentLink } from "@/lib/payment-links/get-current-payment-link";
import { IN_FLIGHT_STATUSES } from "@/lib/payments/payment-status";
import { queueAutopayEmail } from "./queue-autopay-email";

/** What the engine charges for one attempt, decided under the invoices' locks at charge time. */
export type ChargePreparation =
  | { kind: "charge"; amount: number; currency: string; invoiceId: string; patientId: string; savedPaymentMethodId: string | null }
  | { kind: "nothing_owed" }
  | { kind: "not_chargeable"; reason: string };

type ChargeRow = { id: string; organizationId: string; subjectId: string; attempt: number; amount: number | null; currency: string; paymentId: string | null };

/** A plan's invoices that still owe, oldest first, with what each owes beyond money already moving. */
export async function planOpenInvoices(tx: Tx, options: { planId: string; organizationId: string; lock: boolean }) {
  const links = await tx.paymentPlanInvoice.findMany({
    where: { planId: options.planId, organizationId: options.organizationId },
    select: { invoiceId: true },
    orderBy: { invoiceId: "asc" },
  });
  // The lock order of lib/db/locks.ts: several invoices in ascending id order.
  if (options.lock) for (const link of links) await lockInvoiceRow(tx, { id: link.invoiceId, organizationId: options.organizationId });
  const invoices = await tx.invoice.findMany({
    where: { id: { in: links.map((link) => link.invoiceId) }, status: { in: ["open", "partially_paid"] } },
    select: { id: true, number: true, currency: true, amountDue: true, finalizedAt: true, dueDate: true },
  });
  const moving = await tx.payment.groupBy({
    by: ["invoiceId"],
    where: {
      invoiceId: { in: invoices.map((invoice) => invoice.id) },
      // An autopay attempt is money moving from the moment its row is committed (before Stripe is called).
      OR: [{ status: { in: [...IN_FLIGHT_STATUSES] } }, { source: "autopay", status: "requires_confirmation" }],
    },
    _sum: { amount: true },
  });
  const inFlight = new Map(moving.map((row) => [row.invoiceId, row._sum.amount ?? 0]));
  const time = (date: Date | null) => date?.getTime() ?? Number.MAX_SAFE_INTEGER;
  return invoices
    .map((invoice) => ({ ...invoice, owed: invoice.amountDue - (inFlight.get(invoice.id) ?? 0) }))
    .sort((a, b) => time(a.finalizedAt) - time(b.finalizedAt) || time(a.dueDate) - time(b.dueDate) || (a.number ?? "").localeCompare(b.number ?? ""));
}

/** The link a patient uses to pay: the oldest open invoice's pay page (the card link, lib/card-links, changes the card). */
export async function patientLink(tx: Tx, options: { organizationId: string; invoiceId: string | null; now: Date }): Promise<string | null> {
  if (!options.invoiceId) return null;
  const current = await getCurrentPaymentLink(tx, { organizationId: options.organizationId, invoiceId: options.invoiceId, now: options.now });
  if (current) return current.url;
  return (await createPaymentLink(tx, { organizationId: options.organizationId, invoiceId: options.invoiceId, actor: AUTOMATIC_ACTOR, now: options.now })).url;
}

/**
 * A plan that owes nothing any more (its invoices paid by its charges, at the desk, by a credit
 * note or on the pay page) is completed: its remaining installments and pending charges are canceled.
 */
export async function completePlanIfSettled(tx: Tx, options: { planId: string; organizationId: string; now: Date }): Promise<boolean> {
  const plan = await tx.paymentPlan.findFirstOrThrow({ where: { id: options.planId, organizationId: options.organizationId }, select: { status: true } });
  if (plan.status !== "active" && plan.status !== "past_due" && plan.status !== "paused") return false;
  const open = await planOpenInvoices(tx, { ...options, lock: false });
  if (open.some((invoice) => invoice.amountDue > 0)) return false;
  await tx.paymentPlan.update({ where: { id: options.planId }, data: { status: "completed", completedAt: options.now } });
  const remaining = await tx.paymentPlanInstallment.findMany({ where: { planId: options.planId, status: "scheduled" }, select: { id: true } });
  await tx.paymentPlanInstallment.updateMany({ where: { planId: options.planId, status: "scheduled" }, data: { status: "canceled" } });
  await tx.autopayCharge.updateMany({
    where: { subjectType: "plan_installment", subjectId: { in: remaining.map((row) => row.id) }, status: "scheduled" },
    data: { status: "canceled", cancelReason: "The plan is paid off.", completedAt: options.now },
  });
  await tx.attentionItem.updateMany({ where: { paymentPlanId: options.planId, resolvedAt: null }, data: { resolvedAt: options.now } });
  return true;
}

/** The engine's view of a plan installment (membershipPeriodSubject has the same shape). */
export const planInstallmentSubject = {
  /** Under the plan invoices' locks: what to charge now, never more than they still owe. */
  async prepare(tx: Tx, charge: ChargeRow): Promise<ChargePreparation> {
    const installment = await tx.paymentPlanInstallment.findFirstOrThrow({
      where: { id: charge.subjectId, organizationId: charge.organizationId },
      include: { plan: { select: { id: true, status: true, patientId: true, currency: true, savedPaymentMethodId: true } } },
    });
    if (installment.status !== "scheduled") return { kind: "not_chargeable", reason: `The installment is ${installment.status}.` };
    if (installment.plan.status !== "active" && installment.plan.status !== "past_due")
      return { kind: "not_chargeable", reason: `The plan is ${installment.plan.status}.` };
    const open = await planOpenInvoices(tx, { planId: installment.plan.id, organizationId: charge.organizationId, lock: true });
    const owed = Math.max(
      open.reduce((sum, invoice) => sum + invoice.owed, 0),
      0,
    );
    const amount = Math.min(installment.scheduledAmount - installment.paidAmount, owed);
    const first = open.find((invoice) => invoice.owed > 0);
    if (amount <= 0 || !first) return { kind: "nothing_owed" };
    return {
      kind: "charge",
      amount,
      currency: installment.plan.currency,
      invoiceId: first.id,
      patientId: installment.plan.patientId,
      savedPaymentMethodId: installment.plan.savedPaymentMethodId,
    };
  },

  /** The due date dunning retries count from. */
  async dueDate(tx: Tx, charge: ChargeRow): Promise<string> {
    const installment = await tx.paymentPlanInstallment.findUniqueOrThrow({ where: { id: charge.subjectId }, select: { dueDate: true } });
    return toIsoDate(installment.dueDate)!;
  },

  async nothingOwed(tx: Tx, charge: ChargeRow, now: Date): Promise<void> {
    const installment = await tx.paymentPlanInstallment.update({ where: { id: charge.subjectId }, data: { status: "canceled" }, select: { planId: true } });
    await completePlanIfSettled(tx, { planId: installment.planId, organizationId: charge.organizationId, now });
  },

  async succeeded(tx: Tx, charge: ChargeRow, payment: { amountReceived: number }, now: Date): Promise<void> {
    const installment = await tx.paymentPlanInstallment.update({
      where: { id: charge.subjectId },
      data: { status: "paid", paidAmount: { increment: payment.amountReceived }, paidAt: now },
      select: { planId: true },
    });
    // A plan that fell behind is back on track once a charge goes through again.
    await tx.paymentPlan.updateMany({ where: { id: installment.planId, status: "past_due" }, data: { status: "active" } });
    await tx.attentionItem.updateMany({
      where: { paymentPlanId: installment.planId, subjectId: charge.subjectId, resolvedAt: null },
      data: { resolvedAt: now },
    });
    await completePlanIfSettled(tx, { planId: installment.planId, organizationId: charge.organizationId, now });
  },

  /**
   * A failed attempt: the patient is emailed each time (with the retry date, or with the link when
   * none follows). After the last attempt (or at once for a hard decline or authentication) the
   * installment fails, the plan becomes past_due or defaulted per the organization's setting, and
   * staff get a "Needs attention" item.
   */
  async failed(
    tx: Tx,
    charge: ChargeRow,
    outcome: { kind: DeclineKind; final: boolean; retryOn: string | null; afterLastFailure: AfterLastFailure; now: Date },
  ): Promise<void> {
    const installment = await tx.paymentPlanInstallment.findUniqueOrThrow({
      where: { id: charge.subjectId },
      include: { plan: { select: { id: true, patientId: true, currency: true } } },
    });
    const plan = installment.plan;
    const open = await planOpenInvoices(tx, { planId: plan.id, organizationId: charge.organizationId, lock: false });
    const invoiceId = open[0]?.id ?? null;
    const link = await patientLink(tx, { organizationId: charge.organizationId, invoiceId, now: outcome.now });
    const cardLink = await patientCardLink(tx, { organizationId: charge.organizationId, patientId: plan.patientId, now: outcome.now });
    const amount = charge.amount ?? installment.scheduledAmount - installment.paidAmount;
    await queueAutopayEmail(tx, {
      organizationId: charge.organizationId,
      patientId: plan.patientId,
      invoiceId,
      email: { kind: "autopay_failed", amount, currency: plan.currency, link, cardLink, willRetryOn: outcome.final ? null : outcome.retryOn },
    });
    if (!outcome.final) return;
    await tx.paymentPlanInstallment.update({ where: { id: installment.id }, data: { status: "failed" } });
    await tx.paymentPlan.updateMany({
      where: { id: plan.id, status: { in: ["active", "past_due"] } },
      data: outcome.afterLastFailure === "defaulted" ? { status: "defaulted", defaultedAt: outcome.now } : { status: "past_due" },
    });
    const attentionKind = outcome.kind === "authentication_required" ? "authentication_required" : "autopay_failed";
    const message =
      outcome.kind === "authentication_required"
        ? `Installment ${installment.sequence} needs the patient to confirm the payment with their bank; they were emailed a link.`
        : outcome.kind === "hard"
          ? `Installment ${installment.sequence} was declined and cannot be retried on this card; the patient was emailed a link.`
          : `Installment ${installment.sequence} was declined ${charge.attempt} times; the patient was emailed a link.`;
    await tx.attentionItem.createMany({
      data: [
        { organizationId: charge.organizationId, kind: attentionKind, patientId: plan.patientId, paymentPlanId: plan.id, subjectId: installment.id, message },
      ],
      skipDuplicates: true,
    });
  },
};
