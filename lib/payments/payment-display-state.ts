import { formatMoney } from "@/lib/money/currency";
import type { PaymentStatus, RefundStatus } from "@/lib/db/generated/enums";

export type PaymentTone = "success" | "warning" | "secondary" | "destructive" | "outline";

/** What people read for a payment: its state in words, refunds included. */
export type PaymentDisplayState = {
  /** A payment status, or one of the refund states a succeeded payment can be in. */
  key: PaymentStatus | "partially_refunded" | "refunded" | "refund_pending";
  /** The badge's words, e.g. "Succeeded", "Partially refunded · $40.00", "Refunded". */
  label: string;
  tone: PaymentTone;
  /** Refunds that succeeded, minor units. */
  refunded: number;
  /** Refunds asked for and not yet confirmed, minor units. */
  refundPending: number;
  /** What the patient paid and kept: received − refunded (succeeded refunds only). */
  net: number;
};

/** The words for each payment status, shared by the badges and the status filter. */
export const PAYMENT_STATUS_LABELS: Record<PaymentStatus, { label: string; tone: PaymentTone }> = {
  succeeded: { label: "Succeeded", tone: "success" },
  processing: { label: "Processing", tone: "warning" },
  requires_capture: { label: "Authorized, awaiting capture", tone: "warning" },
  requires_action: { label: "Waiting for the patient to confirm", tone: "warning" },
  requires_payment_method: { label: "Not completed", tone: "secondary" },
  requires_confirmation: { label: "Not completed", tone: "secondary" },
  failed: { label: "Declined", tone: "destructive" },
  canceled: { label: "Canceled", tone: "outline" },
  voided: { label: "Voided", tone: "outline" },
};

/**
 * The status filter's options in words; the two "not completed" states say how far the patient got,
 * and "refunded" covers partially and fully refunded payments.
 */
export const PAYMENT_STATUS_FILTER_LABELS: Record<PaymentStatus | "refunded", string> = {
  ...Object.fromEntries(Object.entries(PAYMENT_STATUS_LABELS).map(([status, { label }]) => [status, label])),
  requires_payment_method: "Not completed (no card entered)",
  requires_confirmation: "Not completed (card not submitted)",
  refunded: "Refunded (in part or in full)",
} as Record<PaymentStatus | "refunded", string>;

/** A payment's status inside a sentence ("This payment is …"): "declined", "not completed (no card entered)". */
export function paymentStatusWords(status: PaymentStatus | string): string {
  const label = PAYMENT_STATUS_FILTER_LABELS[status as PaymentStatus] ?? "in an unknown state";
  return label.replace(/^\w/, (letter) => letter.toLowerCase());
}

/**
 * One payment's display state from its status and refunds. Only succeeded refunds make a payment
 * (partially) refunded; a refund still pending shows as "Refund pending" until Stripe confirms it.
 */
export function paymentDisplayState(payment: {
  status: PaymentStatus | string;
  currency: string;
  amountReceived: number;
  /** Sum of the payment's succeeded refunds, minor units. */
  refunded: number;
  /** Sum of its pending refunds, minor units. */
  refundPending?: number;
}): PaymentDisplayState {
  const status = payment.status as PaymentStatus;
  const base = PAYMENT_STATUS_LABELS[status] ?? { label: "Unknown", tone: "outline" as const };
  const refunded = Math.max(0, payment.refunded);
  const refundPending = Math.max(0, payment.refundPending ?? 0);
  const net = status === "succeeded" ? payment.amountReceived - refunded : 0;
  const state = { refunded, refundPending, net };
  if (status === "succeeded" && refunded > 0) {
    if (refunded >= payment.amountReceived) return { key: "refunded", label: "Refunded", tone: "outline", ...state };
    return { key: "partially_refunded", label: `Partially refunded · ${formatMoney(refunded, payment.currency)}`, tone: "warning", ...state };
  }
  if (status === "succeeded" && refundPending > 0) {
    return { key: "refund_pending", label: `Refund pending · ${formatMoney(refundPending, payment.currency)}`, tone: "warning", ...state };
  }
  return { key: status, label: base.label, tone: base.tone, ...state };
}

/** Sums one payment's refunds: succeeded and pending, minor units (failed and canceled ones count for nothing). */
export function refundTotals(refunds: readonly { status: string; amount: number }[]): { refunded: number; refundPending: number } {
  const totals = { refunded: 0, refundPending: 0 };
  for (const refund of refunds) {
    if (refund.status === "succeeded") totals.refunded += refund.amount;
    if (refund.status === "pending") totals.refundPending += refund.amount;
  }
  return totals;
}

/** The refunds a payment's display state needs (pending and succeeded), to include with the payment in a query. */
export const DISPLAY_REFUNDS = {
  where: { status: { in: ["pending", "succeeded"] as RefundStatus[] } },
  select: { status: true, amount: true },
};

/** A payment's display state from the payment read with `refunds: DISPLAY_REFUNDS`. */
export function paymentDisplayOf(payment: {
  status: PaymentStatus | string;
  currency: string;
  amountReceived: number;
  refunds: readonly { status: string; amount: number }[];
}): PaymentDisplayState {
  return paymentDisplayState({ ...payment, ...refundTotals(payment.refunds) });
}
