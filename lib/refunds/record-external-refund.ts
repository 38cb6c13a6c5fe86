import type Stripe from "stripe";
import type { Tx } from "@/lib/db/client";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { isAppError } from "@/lib/errors";
import { logger } from "@/lib/observability/logger";
import { readStripeMetadata } from "@/lib/stripe/metadata";
import { applyStripeRefund, STRIPE_ACTOR, type ApplyRefundResult } from "./apply-stripe-refund";
import { reserveRefund } from "./request-refund";
import { REFUND_REASONS } from "./refunds.types";
import { lockPaymentByIntent } from "@/lib/db/locks";

/**
 * A refund made outside Carebill (e.g. in the Stripe dashboard) of one of our card payments:
 * recorded and booked like a staff refund in `credit_note` mode, with no requester, so every
 * Stripe refund has a local record. A refund that already failed moved no money and is not
 * recorded. One that our rules cannot book (e.g. the payment's overpayment credit was spent
 * meanwhile) is left to reconciliation with an audit event and a warning instead of failing the
 * webhook forever. Returns null when the refund is not about one of our payments.
 */
export async function recordExternalRefund(tx: Tx, stripeRefund: Stripe.Refund): Promise<ApplyRefundResult> {
  if (stripeRefund.status === "failed" || stripeRefund.status === "canceled") return null;
  if (readStripeMetadata(stripeRefund.metadata)?.refundId) return null;
  const paymentIntentId = typeof stripeRefund.payment_intent === "string" ? stripeRefund.payment_intent : stripeRefund.payment_intent?.id;
  if (!paymentIntentId) return null;
  const payment = await lockPaymentByIntent(tx, paymentIntentId);
  if (!payment) return null;
  // Another delivery about the same refund may have recorded it while we waited for the lock.
  if (await tx.refund.findUnique({ where: { stripeRefundId: stripeRefund.id }, select: { id: true } })) return applyStripeRefund(tx, stripeRefund);

  const reason = (REFUND_REASONS as readonly string[]).includes(stripeRefund.reason ?? "") ? (stripeRefund.reason as (typeof REFUND_REASONS)[number]) : "other";
  try {
    await reserveRefund(tx, {
      organizationId: payment.organizationId,
      paymentId: payment.id,
      actor: STRIPE_ACTOR,
      input: { amount: stripeRefund.amount, reason, note: "Refunded outside Carebill (Stripe dashboard)", mode: "credit_note" },
      stripeRefundId: stripeRefund.id,
    });
  } catch (error) {
    if (!isAppError(error)) throw error;
    logger.warn(
      { stripeRefundId: stripeRefund.id, paymentId: payment.id, code: error.code },
      "refund made outside Carebill could not be booked; left to reconciliation",
    );
    await recordAuditEvent(tx, {
      organizationId: payment.organizationId,
      actor: STRIPE_ACTOR,
      action: "refund.external_not_booked",
      target: { type: "payment", id: payment.id },
      after: { stripeRefundId: stripeRefund.id, amount: stripeRefund.amount, problem: error.message },
    });
    return null;
  }
  return applyStripeRefund(tx, stripeRefund);
}
