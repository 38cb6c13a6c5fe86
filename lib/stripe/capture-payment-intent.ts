import type Stripe from "stripe";
import { z } from "zod";
import { getStripe } from "./get-stripe";
import { idempotencyKey } from "./idempotency-key";
import { asPaymentIntentWithCharge, PAYMENT_INTENT_EXPAND, type PaymentIntentWithCharge } from "./retrieve-payment-intent";

export const ZCapturePaymentIntentOptions = z.strictObject({
  /** Our payment row; derives the idempotency key. */
  paymentId: z.uuid(),
  paymentIntentId: z.string().startsWith("pi_"),
  /** Cents; less than authorized releases the rest. Omit to capture everything. */
  amountToCapture: z.number().int().positive().optional(),
});

export type TCapturePaymentIntentOptions = z.input<typeof ZCapturePaymentIntentOptions>;

/**
 * Captures an authorized (`capture_method: manual`) PaymentIntent once per payment row (key
 * `carebill:payment:<id>:capture`: a payment is captured once, so a retry replays the first capture). The
 * result has `latest_charge.balance_transaction` expanded: the fee on the captured amount.
 */
export async function capturePaymentIntent(options: TCapturePaymentIntentOptions, stripe: Stripe = getStripe()): Promise<PaymentIntentWithCharge> {
  const input = ZCapturePaymentIntentOptions.parse(options);
  const params: Stripe.PaymentIntentCaptureParams = { expand: PAYMENT_INTENT_EXPAND };
  if (input.amountToCapture !== undefined) params.amount_to_capture = input.amountToCapture;
  const paymentIntent = await stripe.paymentIntents.capture(input.paymentIntentId, params, {
    idempotencyKey: idempotencyKey("payment", input.paymentId, "capture"),
  });
  return asPaymentIntentWithCharge(paymentIntent);
}
