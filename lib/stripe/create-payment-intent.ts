import type Stripe from "stripe";
import { z } from "zod";
import { getStripe } from "./get-stripe";
import { idempotencyKey, type IdempotencyKey } from "./idempotency-key";
import { toStripeMetadata, ZStripeMetadata } from "./metadata";
import { asPaymentIntentWithCharge, PAYMENT_INTENT_EXPAND, type PaymentIntentWithCharge } from "./retrieve-payment-intent";

export const ZCreatePaymentIntentOptions = z
  .strictObject({
    /** Opaque ids only; `paymentId` (our payment attempt row) also derives the idempotency key. */
    metadata: ZStripeMetadata.extend({ paymentId: z.uuid() }),
    /** Minor units (cents), computed by the server from the database, never taken from the client. */
    amount: z.number().int().positive(),
    currency: z.string().regex(/^[a-z]{3}$/, "must be a lowercase ISO 4217 code"),
    customerId: z.string().startsWith("cus_").optional(),
    /** `card` unless the caller opts into more; see the note on createPaymentIntent. */
    paymentMethodTypes: z
      .array(z.enum(["card", "us_bank_account"]))
      .nonempty()
      .default(["card"]),
    /** `manual` authorizes now and captures later (capturePaymentIntent). */
    captureMethod: z.enum(["automatic", "manual"]).default("automatic"),
    /** Save the payment method on the customer for later off-session charges (needs `customerId`). */
    savePaymentMethod: z.boolean().default(false),
    /** Charge this saved payment method now, without the patient present (needs `customerId`). */
    offSessionPaymentMethodId: z.string().startsWith("pm_").optional(),
  })
  .refine((options) => options.customerId || (!options.savePaymentMethod && !options.offSessionPaymentMethodId), {
    message: "customerId is required to save or charge a saved payment method",
    path: ["customerId"],
  });

export type TCreatePaymentIntentOptions = z.input<typeof ZCreatePaymentIntentOptions>;

/**
 * Creates the PaymentIntent for one payment attempt row, exactly once (idempotency key
 * `carebill:payment:<paymentId>:create-payment-intent`). Call it after the row is committed and
 * outside any database transaction.
 *
 * Explicit choices, so that real Stripe and the emulator behave the same:
 * - `allowed_payment_method_types` (this SDK's API version; formerly `payment_method_types`) is
 *   `["card"]` by default instead of `automatic_payment_methods`, so a Dashboard setting can
 *   neither add redirect-based methods nor asynchronous ones the books do not expect, and
 *   confirming on the server (off-session) needs no `return_url`.
 * - `capture_method` is `automatic` (synchronous) rather than Stripe's default
 *   `automatic_async`, so `latest_charge.balance_transaction` (the fee) exists when the intent
 *   succeeds. The result has it expanded.
 * - No description, receipt email, statement descriptor or shipping: nothing about the patient.
 *
 * With `offSessionPaymentMethodId` the intent is confirmed at once; a decline rejects with the
 * SDK's `StripeCardError` (e.g. `authentication_required` when the bank wants the patient).
 * The autopay engine passes its own key (`overrides.idempotencyKey`, derived from the charged
 * subject and attempt: lib/autopay/autopay-charge-key.ts), one per payment row as well.
 */
export async function createPaymentIntent(
  options: TCreatePaymentIntentOptions,
  stripe: Stripe = getStripe(),
  overrides: { idempotencyKey?: IdempotencyKey } = {},
): Promise<PaymentIntentWithCharge> {
  const input = ZCreatePaymentIntentOptions.parse(options);
  const params: Stripe.PaymentIntentCreateParams = {
    amount: input.amount,
    currency: input.currency,
    allowed_payment_method_types: input.paymentMethodTypes,
    capture_method: input.captureMethod,
    metadata: toStripeMetadata(input.metadata),
    expand: PAYMENT_INTENT_EXPAND,
  };
  if (input.customerId) params.customer = input.customerId;
  if (input.savePaymentMethod) params.setup_future_usage = "off_session";
  if (input.offSessionPaymentMethodId) {
    params.payment_method = input.offSessionPaymentMethodId;
    params.confirm = true;
    params.off_session = true;
  }
  const paymentIntent = await stripe.paymentIntents.create(params, {
    idempotencyKey: overrides.idempotencyKey ?? idempotencyKey("payment", input.metadata.paymentId, "create-payment-intent"),
  });
  return asPaymentIntentWithCharge(paymentIntent);
}
