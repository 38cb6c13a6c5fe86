import type Stripe from "stripe";
import type { Db } from "@/lib/db/client";
import { applyPaymentIntent } from "@/lib/payments/apply-payment-intent";
import { retrievePaymentIntent } from "@/lib/stripe/retrieve-payment-intent";
import { claimStripeEvent } from "../record-stripe-event";

export type WebhookOutcome = "applied" | "duplicate" | "not_ours";

/**
 * payment_intent.succeeded, .payment_failed, .processing, .canceled, .requires_action and
 * .amount_capturable_updated: all converge on Stripe's current truth about the intent (fetched
 * before the transaction, never inside it) and apply it forward-only, with the event id claimed
 * in the same transaction.
 */
export async function handlePaymentIntentEvent(db: Db, event: Stripe.Event, stripe?: Stripe): Promise<WebhookOutcome> {
  const object = event.data.object as Stripe.PaymentIntent;
  const paymentIntent = await retrievePaymentIntent(object.id, stripe);
  return db.$transaction(async (tx) => {
    if (!(await claimStripeEvent(tx, event))) return "duplicate";
    const result = await applyPaymentIntent(tx, paymentIntent);
    return result ? "applied" : "not_ours";
  });
}
