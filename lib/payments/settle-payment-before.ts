import Stripe from "stripe";
import type { Db } from "@/lib/db/client";
import { readStripeMetadata } from "@/lib/stripe/metadata";
import { retrievePaymentIntent } from "@/lib/stripe/retrieve-payment-intent";
import { syncPaymentIntent } from "./sync-payment-intent";

/**
 * Before a refund or dispute of a PaymentIntent is applied: if the intent is one of ours whose
 * success we have not recorded yet (its `payment_intent.succeeded` is still on its way, or was
 * lost), record it now from Stripe's current state, so the refund or dispute finds its payment
 * instead of being dropped. Events then converge whatever order Stripe delivers them in. An intent
 * we never recorded under its id is ours only if Stripe's copy carries our payment id (the app may
 * have stopped before saving the id); anything else is not ours and is left alone.
 */
export async function settlePaymentBefore(db: Db, paymentIntentId: string | null | undefined, stripe?: Stripe): Promise<void> {
  if (!paymentIntentId) return;
  const payment = await db.payment.findUnique({ where: { stripePaymentIntentId: paymentIntentId }, select: { status: true } });
  if (payment?.status === "succeeded" || payment?.status === "voided") return;
  if (!payment) {
    let paymentIntent;
    try {
      paymentIntent = await retrievePaymentIntent(paymentIntentId, stripe);
    } catch (error) {
      if (error instanceof Stripe.errors.StripeInvalidRequestError && error.code === "resource_missing") return;
      throw error;
    }
    if (!readStripeMetadata(paymentIntent.metadata)?.paymentId) return;
  }
  await syncPaymentIntent(db, paymentIntentId, stripe);
}

/** The PaymentIntent id a Refund, Charge or Dispute names, expanded or not. */
export function paymentIntentIdOf(object: { payment_intent?: string | { id: string } | null }): string | null {
  const value = object.payment_intent;
  return typeof value === "string" ? value : (value?.id ?? null);
}
