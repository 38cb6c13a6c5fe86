import type Stripe from "stripe";
import { poolOf, type Db } from "@/lib/db/client";
import { pgTransaction } from "@/lib/db/sql";
import { applyPaymentIntent } from "@/lib/payments/apply-payment-intent";
import { retrievePaymentIntent } from "@/lib/stripe/retrieve-payment-intent";
import { claimStripeEvent } from "../record-stripe-event";

export type WebhookOutcome = "applied" | "duplicate" | "not_ours";

/**
 * payment_intent.succeeded, .payment_failed, .processing, .canceled, .requires_action and
 * .amount_capturable_updated: all converge on Stripe's current truth about the intent (fetched
 * before the transaction, never inside it) and apply it forward-only, with the event id claimed
 * in the same transaction.
 *
 * The busiest path in the app: the transaction runs as plain SQL on a connection of the pool
 * Prisma uses (lib/db/sql.ts), the same functions any Prisma transaction calls.
 */
export async function handlePaymentIntentEvent(db: Db, event: Stripe.Event, stripe?: Stripe): Promise<WebhookOutcome> {
  const object = event.data.object as Stripe.PaymentIntent;
  const paymentIntent = await retrievePaymentIntent(object.id, stripe);
  return pgTransaction(poolOf(db), async (sql) => {
    if (!(await claimStripeEvent(sql, event))) return "duplicate";
    const result = await applyPaymentIntent(sql, paymentIntent);
    return result ? "applied" : "not_ours";
  });
}
