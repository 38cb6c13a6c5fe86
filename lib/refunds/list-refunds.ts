import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { getRefundableAmounts, type RefundableAmounts } from "./request-refund";
import { toRefundView, type RefundView } from "./refunds.types";
import { patientPayment } from "@/lib/payments/payment-owner";

async function getPaymentOrThrow(db: Db, options: { organizationId: string; paymentId: string }) {
  const payment = await db.payment.findFirst({ where: { id: options.paymentId, organizationId: options.organizationId } });
  if (!payment) throw new AppError("NOT_FOUND", "That payment does not exist.");
  return payment;
}

/** A payment's refunds, newest first. 404 for another organization's payment. */
export async function listRefunds(db: Db, options: { organizationId: string; paymentId: string }): Promise<RefundView[]> {
  await getPaymentOrThrow(db, options);
  const refunds = await db.refund.findMany({
    where: { paymentId: options.paymentId, organizationId: options.organizationId },
    include: { creditNote: { select: { id: true, number: true } } },
    orderBy: { createdAt: "desc" },
  });
  return refunds.map(toRefundView);
}

export type PaymentRefunds = {
  payment: { id: string; source: string; currency: string; amountReceived: number; amountRefunded: number; cardLabel: string | null };
  /** Null for a prepayment (it paid no invoice: only its credit can be refunded). */
  invoice: { id: string; number: string | null; status: string } | null;
  /** Why this payment cannot be refunded through Carebill, or null when it can. */
  blockedReason: string | null;
  amounts: RefundableAmounts;
  refunds: RefundView[];
  /** Pending refunds that have had no answer from Stripe for a while: Stripe was probably unreachable; staff may send them again. */
  unsentRefundIds: string[];
};

/** How long a booked refund may wait for Stripe's answer before staff are offered to send it again. */
const UNSENT_AFTER_MS = 30_000;

function cardLabel(payment: { cardBrand: string | null; cardLast4: string | null }): string | null {
  if (!payment.cardLast4) return null;
  const brand = (payment.cardBrand ?? "card").replace(/^\w/, (letter) => letter.toUpperCase());
  return `${brand} •••• ${payment.cardLast4}`;
}

/** What the payment page's refunds panel shows: what can be refunded (as of now), and the refunds. */
export async function getPaymentRefunds(db: Db, options: { organizationId: string; paymentId: string }): Promise<PaymentRefunds> {
  const payment = patientPayment(await getPaymentOrThrow(db, options));
  const [invoice, credit, refunds] = await Promise.all([
    payment.invoiceId
      ? db.invoice.findUniqueOrThrow({ where: { id: payment.invoiceId }, select: { id: true, number: true, status: true, amountDue: true, amountPaid: true } })
      : null,
    db.patientCreditBalance.findUnique({
      where: { patientId_currency: { patientId: payment.patientId, currency: payment.currency } },
      select: { balance: true },
    }),
    listRefunds(db, options),
  ]);
  const amounts = await getRefundableAmounts(db, { payment, invoice, creditBalance: credit?.balance ?? 0 });
  let blockedReason: string | null = null;
  if (payment.source === "manual")
    blockedReason = payment.prepayment
      ? "A prepayment recorded by hand is given back from the patient's credit (Refund credit on the patient's page), or voided while its credit is unspent."
      : "Payments recorded by hand are not refunded here: void the manual payment and return the money the way it was received.";
  else if (payment.status !== "succeeded" || !payment.stripePaymentIntentId) blockedReason = "Only completed card payments can be refunded.";
  else if (payment.disputed) blockedReason = "This payment has an open dispute; Stripe does not allow refunds until it is closed.";
  return {
    payment: {
      id: payment.id,
      source: payment.source,
      currency: payment.currency,
      amountReceived: payment.amountReceived,
      amountRefunded: payment.amountRefunded,
      cardLabel: cardLabel(payment),
    },
    invoice: invoice ? { id: invoice.id, number: invoice.number, status: invoice.status } : null,
    blockedReason,
    amounts,
    refunds,
    unsentRefundIds: refunds
      .filter((refund) => refund.status === "pending" && !refund.stripeRefundId && Date.now() - Date.parse(refund.createdAt) > UNSENT_AFTER_MS)
      .map((refund) => refund.id),
  };
}
