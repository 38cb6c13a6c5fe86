import type Stripe from "stripe";
import type { Db } from "@/lib/db/client";
import { afterSetupApplied, applySetupIntent, fetchSetupIntent, type SetupApplied } from "@/lib/cards-on-file/apply-setup-intent";
import { applyPaymentMethodChange } from "@/lib/cards-on-file/apply-payment-method-change";
import { retrievePaymentMethod } from "@/lib/stripe/payment-methods";
import { claimStripeEvent } from "../record-stripe-event";
import type { WebhookOutcome } from "./payment-intent-event";

/**
 * setup_intent.succeeded: saves the card of a front-desk or card-link setup (the browser's
 * return may have done it first; applying twice saves one card). Converges on the SetupIntent
 * fetched from Stripe now, outside the transaction.
 */
export async function handleSetupIntentEvent(db: Db, event: Stripe.Event, stripe?: Stripe): Promise<WebhookOutcome> {
  const { setupIntent, paymentMethod } = await fetchSetupIntent((event.data.object as Stripe.SetupIntent).id, stripe);
  let result: SetupApplied = null;
  const outcome = await db.$transaction(async (tx): Promise<WebhookOutcome> => {
    if (!(await claimStripeEvent(tx, event))) return "duplicate";
    result = await applySetupIntent(tx, setupIntent, paymentMethod);
    return result ? "applied" : "not_ours";
  });
  await afterSetupApplied(db, result, stripe);
  return outcome;
}

/**
 * payment_method.updated, .automatically_updated (the account updater refreshed the card) and
 * .detached: the saved card follows Stripe's PaymentMethod as it is now (fetched, so events in
 * any order end in Stripe's truth).
 */
export async function handlePaymentMethodEvent(db: Db, event: Stripe.Event, stripe?: Stripe): Promise<WebhookOutcome> {
  const paymentMethod = await retrievePaymentMethod((event.data.object as Stripe.PaymentMethod).id, stripe);
  return db.$transaction(async (tx): Promise<WebhookOutcome> => {
    if (!(await claimStripeEvent(tx, event))) return "duplicate";
    return (await applyPaymentMethodChange(tx, paymentMethod)) ? "applied" : "not_ours";
  });
}
