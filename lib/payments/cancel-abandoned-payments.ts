import Stripe from "stripe";
import type { Db } from "@/lib/db/client";
import { cancelPaymentIntent } from "@/lib/stripe/cancel-payment-intent";
import { retrievePaymentIntent } from "@/lib/stripe/retrieve-payment-intent";
import { applyPaymentIntent } from "./apply-payment-intent";

export const ABANDONED_AFTER_MINUTES = 60;

/**
 * Cancels card attempts that were started and never finished (the patient closed the page), so
 * no stale PaymentIntent can be confirmed days later against an invoice that has moved on.
 * Intents that did finish meanwhile (Stripe refuses to cancel them) are synced instead.
 */
export async function cancelAbandonedPayments(
  db: Db,
  options: { olderThanMinutes?: number; limit?: number; stripe?: Stripe; now?: Date } = {},
): Promise<{ canceled: number; synced: number }> {
  const cutoff = new Date((options.now ?? new Date()).getTime() - (options.olderThanMinutes ?? ABANDONED_AFTER_MINUTES) * 60_000);
  const stale = await db.payment.findMany({
    where: { status: { in: ["requires_payment_method", "failed", "requires_confirmation"] }, createdAt: { lt: cutoff }, stripePaymentIntentId: { not: null } },
    select: { id: true, stripePaymentIntentId: true },
    take: options.limit ?? 100,
    orderBy: { createdAt: "asc" },
  });
  let canceled = 0;
  let synced = 0;
  for (const payment of stale) {
    const paymentIntentId = payment.stripePaymentIntentId!;
    try {
      await cancelPaymentIntent({ paymentId: payment.id, paymentIntentId, reason: "abandoned" }, options.stripe);
      canceled++;
    } catch (error) {
      if (!(error instanceof Stripe.errors.StripeInvalidRequestError)) throw error;
      synced++;
    }
    const current = await retrievePaymentIntent(paymentIntentId, options.stripe);
    await db.$transaction((tx) => applyPaymentIntent(tx, current));
  }
  return { canceled, synced };
}
