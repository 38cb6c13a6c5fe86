import type Stripe from "stripe";
import { z } from "zod";
import { getStripe } from "./get-stripe";
import { idempotencyKey } from "./idempotency-key";

export const ZCancelPaymentIntentOptions = z.strictObject({
  /** Our payment row; derives the idempotency key. */
  paymentId: z.uuid(),
  paymentIntentId: z.string().startsWith("pi_"),
  reason: z.enum(["abandoned", "duplicate", "requested_by_customer", "fraudulent"]).default("abandoned"),
  /** `release`: staff letting an authorization go (key `carebill:payment:<id>:release`), distinct from abandoning an attempt. */
  purpose: z.enum(["cancel", "release"]).default("cancel"),
});

export type TCancelPaymentIntentOptions = z.input<typeof ZCancelPaymentIntentOptions>;

/**
 * Cancels a PaymentIntent that has not succeeded (abandoned attempts, released authorizations).
 * Stripe answers 400 `payment_intent_unexpected_state` for one that already succeeded or was
 * canceled; callers converge on `retrievePaymentIntent` in that case.
 */
export async function cancelPaymentIntent(options: TCancelPaymentIntentOptions, stripe: Stripe = getStripe()): Promise<Stripe.PaymentIntent> {
  const input = ZCancelPaymentIntentOptions.parse(options);
  return stripe.paymentIntents.cancel(
    input.paymentIntentId,
    { cancellation_reason: input.reason },
    { idempotencyKey: idempotencyKey("payment", input.paymentId, input.purpose === "release" ? "release" : "cancel-payment-intent") },
  );
}
