import type { Tx } from "@/lib/db/client";
import type { AfterLastFailure, DeclineKind } from "@/lib/db/generated/enums";
import { patientCardLink } from "@/lib/card-links/create-card-link";
import { lockInvoiceRow } from "@/lib/db/locks";
import { toIsoDate } from "@/lib/invoices/dates";
import { IN_FLIGHT_STATUSES } from "@/lib/payments/payment-status";
import { patientLink, type ChargePreparation } from "./plan-installment-subject";
import { queueAutopayEmail } from "./queue-autopay-email";

type ChargeRow = { id: string; organizationId: string; subjectId: string; attempt: number; amount: number | null; currency: string; paymentId: string | null };

/** What a period's invoice still owes beyond money already moving (an autopay attempt counts from the moment its row is committed). */
export async function periodInvoiceOwed(tx: Tx, invoiceId: string): Promise<{ owed: number; status: string }> {
  const invoice = await tx.invoice.findUniqueOrThrow({ where: { id: invoiceId }, select: { status: true, amountDue: true } });
  if (invoice.status !== "open" && invoice.status !== "partially_paid") return { owed: 0, status: invoice.status };
  const moving = await tx.payment.aggregate({
    where: { invoiceId, OR: [{ status: { in: [...IN_FLIGHT_STATUSES] } }, { source: "autopay", status: "requires_confirmation" }] },
    _sum: { amount: true },
  });
  return { owed: invoice.amountDue - (moving._sum.amount ?? 0), status: invoice.status };
}

/**
 * A period whose invoice was settled another way (the desk, the pay page, a credit note, the
 * patient's credit) is paid; one whose invoice was voided is canceled. Its pending charges are
 * canceled and, when no other period is failed, a past-due membership is active again and its
 * failed-charge items resolved. False when the invoice still owes (nothing changes).
 */
export async function settlePeriodIfClosed(tx: Tx, options: { periodId: string; now: Date }): Promise<boolean> {
  const period = await tx.membershipPeriod.findUniqueOrThrow({
    where: { id: options.periodId },
    select: { id: true, status: true, membershipId: true, invoice: { select: { status: true, amountDue: true } } },
  });
  if (period.status !== "open" && period.status !== "failed") return false;
  const { invoice } = period;
  const paid = invoice.status === "paid" || ((invoice.status === "open" || invoice.status === "partially_paid") && invoice.amountDue <= 0);
  const closed = invoice.status === "void" || invoice.status === "uncollectible";
  if (!paid && !closed) return false;
  await tx.membershipPeriod.update({ where: { id: period.id }, data: paid ? { status: "paid", paidAt: options.now } : { status: "canceled" } });
  await tx.autopayCharge.updateMany({
    where: { subjectType: "membership_period", subjectId: period.id, status: "scheduled" },
    data: { status: "canceled", cancelReason: paid ? "The period's invoice was paid." : "The period's invoice was closed.", completedAt: options.now },
  });
  await reviveIfCaughtUp(tx, { membershipId: period.membershipId, periodId: period.id, now: options.now });
  return true;
}

/** A past-due membership with no failed period left is active again; items about this period are resolved. */
async function reviveIfCaughtUp(tx: Tx, options: { membershipId: string; periodId: string; now: Date }): Promise<void> {
  await tx.attentionItem.updateMany({
    where: { membershipId: options.membershipId, subjectId: options.periodId, resolvedAt: null },
    data: { resolvedAt: options.now },
  });
  const failed = await tx.membershipPeriod.count({ where: { membershipId: options.membershipId, status: "failed" } });
  if (failed > 0) return;
  await tx.patientMembership.updateMany({ where: { id: options.membershipId, status: "past_due" }, data: { status: "active" } });
}

/** The engine's view of a membership period (the shape of planInstallmentSubject). */
export const membershipPeriodSubject = {
  /** Under the period invoice's lock: what its invoice still owes now (never more, never money already moving). */
  async prepare(tx: Tx, charge: ChargeRow): Promise<ChargePreparation> {
    const period = await tx.membershipPeriod.findFirstOrThrow({
      where: { id: charge.subjectId, organizationId: charge.organizationId },
      include: { membership: { select: { id: true, status: true, patientId: true, savedPaymentMethodId: true } } },
    });
    if (period.status !== "open") return { kind: "not_chargeable", reason: `The period is ${period.status}.` };
    if (period.membership.status !== "active" && period.membership.status !== "past_due")
      return { kind: "not_chargeable", reason: `The membership is ${period.membership.status}.` };
    await lockInvoiceRow(tx, { id: period.invoiceId, organizationId: charge.organizationId });
    const { owed } = await periodInvoiceOwed(tx, period.invoiceId);
    if (owed <= 0) return { kind: "nothing_owed" };
    return {
      kind: "charge",
      amount: owed,
      currency: charge.currency,
      invoiceId: period.invoiceId,
      patientId: period.membership.patientId,
      savedPaymentMethodId: period.membership.savedPaymentMethodId,
    };
  },

  /** Dunning's retry days count from the period's start. */
  async dueDate(tx: Tx, charge: ChargeRow): Promise<string> {
    const period = await tx.membershipPeriod.findUniqueOrThrow({ where: { id: charge.subjectId }, select: { periodStart: true } });
    return toIsoDate(period.periodStart)!;
  },

  /** Nothing owed: the invoice was paid (or closed) elsewhere; money still moving settles it when it lands (the next run). */
  async nothingOwed(tx: Tx, charge: ChargeRow, now: Date): Promise<void> {
    await settlePeriodIfClosed(tx, { periodId: charge.subjectId, now });
  },

  async succeeded(tx: Tx, charge: ChargeRow, _payment: { amountReceived: number }, now: Date): Promise<void> {
    if (await settlePeriodIfClosed(tx, { periodId: charge.subjectId, now })) return;
    // Paid in part (the card covered less than the invoice owes, e.g. a refund reopened it): the period stays open for the next attempt or the desk.
  },

  /**
   * A failed attempt, as for installments: the patient is emailed each time (the retry date, or
   * the card link when none follows); after the last attempt (or at once for a hard decline or
   * authentication) the period fails, the membership becomes past_due or defaulted per the
   * organization's setting (defaulted: nothing more is invoiced), and staff get an item.
   */
  async failed(
    tx: Tx,
    charge: ChargeRow,
    outcome: { kind: DeclineKind; final: boolean; retryOn: string | null; afterLastFailure: AfterLastFailure; now: Date },
  ): Promise<void> {
    const period = await tx.membershipPeriod.findUniqueOrThrow({
      where: { id: charge.subjectId },
      include: { membership: { select: { id: true, patientId: true, membershipPlan: { select: { name: true } } } } },
    });
    const { membership } = period;
    const link = await patientLink(tx, { organizationId: charge.organizationId, invoiceId: period.invoiceId, now: outcome.now });
    const cardLink = await patientCardLink(tx, { organizationId: charge.organizationId, patientId: membership.patientId, now: outcome.now });
    await queueAutopayEmail(tx, {
      organizationId: charge.organizationId,
      patientId: membership.patientId,
      invoiceId: period.invoiceId,
      email: {
        kind: "autopay_failed",
        amount: charge.amount ?? period.amount,
        currency: charge.currency,
        link,
        cardLink,
        willRetryOn: outcome.final ? null : outcome.retryOn,
      },
    });
    if (!outcome.final) return;
    await tx.membershipPeriod.updateMany({ where: { id: period.id, status: "open" }, data: { status: "failed" } });
    await tx.patientMembership.updateMany({
      where: { id: membership.id, status: { in: ["active", "past_due"] } },
      data: outcome.afterLastFailure === "defaulted" ? { status: "defaulted", defaultedAt: outcome.now } : { status: "past_due" },
    });
    const what = `The ${membership.membershipPlan.name} membership charge for the period starting ${toIsoDate(period.periodStart)}`;
    const message =
      outcome.kind === "authentication_required"
        ? `${what} needs the patient to confirm the payment with their bank; they were emailed a link.`
        : outcome.kind === "hard"
          ? `${what} was declined and cannot be retried on this card; the patient was emailed a link.`
          : `${what} was declined ${charge.attempt} times; the patient was emailed a link.`;
    await tx.attentionItem.createMany({
      data: [
        {
          organizationId: charge.organizationId,
          kind: outcome.kind === "authentication_required" ? "authentication_required" : "autopay_failed",
          patientId: membership.patientId,
          membershipId: membership.id,
          subjectId: period.id,
          message,
        },
      ],
      skipDuplicates: true,
    });
  },
};
