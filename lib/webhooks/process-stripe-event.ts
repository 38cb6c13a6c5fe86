import Stripe from "stripe";
import type { Db } from "@/lib/db/client";
import { handlePaymentMethodEvent, handleSetupIntentEvent } from "./handlers/card-on-file-event";
import { handleDisputeEvent } from "./handlers/dispute-event";
import { handlePaymentIntentEvent, type WebhookOutcome } from "./handlers/payment-intent-event";
import { handleRefundEvent } from "./handlers/refund-event";
import { recordStripeEventFailure } from "./record-stripe-event-failure";

type Handler = (db: Db, event: Stripe.Event, stripe?: Stripe) => Promise<WebhookOutcome>;

/** The event types Carebill acts on; every other type is acknowledged and ignored. */
export const HANDLERS: ReadonlyMap<string, Handler> = new Map<string, Handler>([
  ["payment_intent.succeeded", handlePaymentIntentEvent],
  ["payment_intent.payment_failed", handlePaymentIntentEvent],
  ["payment_intent.processing", handlePaymentIntentEvent],
  ["payment_intent.canceled", handlePaymentIntentEvent],
  ["payment_intent.requires_action", handlePaymentIntentEvent],
  ["payment_intent.amount_capturable_updated", handlePaymentIntentEvent],
  ["charge.refunded", handleRefundEvent],
  ["charge.refund.updated", handleRefundEvent],
  ["refund.created", handleRefundEvent],
  ["refund.updated", handleRefundEvent],
  ["refund.failed", handleRefundEvent],
  ["charge.dispute.created", handleDisputeEvent],
  ["charge.dispute.updated", handleDisputeEvent],
  ["charge.dispute.closed", handleDisputeEvent],
  ["charge.dispute.funds_withdrawn", handleDisputeEvent],
  ["charge.dispute.funds_reinstated", handleDisputeEvent],
  ["setup_intent.succeeded", handleSetupIntentEvent],
  ["payment_method.updated", handlePaymentMethodEvent],
  ["payment_method.automatically_updated", handlePaymentMethodEvent],
  ["payment_method.detached", handlePaymentMethodEvent],
]);

/** Stripe answered 404 for an object the event names: no retry will ever find it. */
function isUnknownToStripe(error: unknown): boolean {
  return error instanceof Stripe.errors.StripeInvalidRequestError && error.code === "resource_missing";
}

/**
 * Applies one verified event; throws (→ 5xx, Stripe retries) when applying it failed, after
 * recording the failure for the webhook-failures alert (only then: the normal path writes nothing
 * more). An event
 * naming an object Stripe does not know (a PaymentIntent, refund or dispute that Stripe answers
 * 404 for) is `unknown_object`: acknowledged and not applied, since redelivering it cannot help.
 */
export async function processStripeEvent(db: Db, event: Stripe.Event, stripe?: Stripe): Promise<WebhookOutcome | "ignored" | "unknown_object"> {
  const handler = HANDLERS.get(event.type);
  if (!handler) return "ignored";
  try {
    return await handler(db, event, stripe);
  } catch (error) {
    if (isUnknownToStripe(error)) return "unknown_object";
    await recordStripeEventFailure(db, event, error);
    throw error;
  }
}
