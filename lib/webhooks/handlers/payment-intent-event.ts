import type Stripe from "stripe";
import type { Db } from "@/lib/db/client";
import { pgTransaction } from "@/lib/db/sql";
import { applyPaymentIntent, type ApplyResult } from "@/lib/payments/apply-payment-intent";
import { afterPaymentApplied } from "@/lib/payments/sync-payment-intent";
import { retrievePaymentIntent } from "@/lib/stripe/retrieve-payment-intent";
import { claimStripeEvent } from "../record-stripe-event";

export type WebhookOutcome = "applied" | "duplicate" | "not_ours";

/**
 * payment_intent.succeeded, .payment_failed, .processing, .canceled, .requires_action and
 * .amount_capturable_updated: all converge on Stripe's current truth about the intent (fetched
 * before the transaction, never inside it) and apply it forward-only, with the event id claimed
 * in the same transaction. What must follow a success at Stripe (an automatic refund of an
 * overpayment, canceling the invoice's other attempts) runs after the commit.
 *
 * The busiest path in the app: the transaction runs as plain SQL on a connection of the pool
 * Prisma uses (lib/db/sql.ts), the same functions any Prisma transaction calls.
 */
export async function handlePaymentIntentEvent(db: Db, event: Stripe.Event, stripe?: Stripe): Promise<WebhookOutcome> {
  const object = event.data.object as Stripe.PaymentIntent;
  const paymentIntent = await retrievePaymentIntent(object.id, stripe);
  // The event's own copy of a decline: the intent fetched now may have moved on (and lost its error).
  const decline =
    event.type === "payment_intent.payment_failed" && object.last_payment_error
      ? { error: object.last_payment_error, at: new Date(event.created * 1000) }
      : undefined;
  let result: ApplyResult = null;
  const outcome = await pgTransaction(db, async (sql): Promise<WebhookOutcome> => {
    if (!(await claimStripeEvent(sql, event))) return "duplicate";
    result = await applyPaymentIntent(sql, paymentIntent, { decline });
    return result ? "applied" : "not_ours";
  });
  // After commit: refund an overpayment, cancel the invoice's other attempts once one succeeded.
  await afterPaymentApplied(db, result, stripe);
  return outcome;
}
