import type Stripe from "stripe";
import { z } from "zod";
import { getStripe } from "./get-stripe";
import type { IdempotencyKey } from "./idempotency-key";
import { toStripeMetadata, ZStripeMetadata } from "./metadata";

export const ZCreateSetupIntentOptions = z.strictObject({
  customerId: z.string().startsWith("cus_"),
  metadata: ZStripeMetadata,
});

export type TCreateSetupIntentOptions = z.input<typeof ZCreateSetupIntentOptions> & {
  /** From `idempotencyKey(...)` on the record the card is saved for, e.g. a payment plan. */
  idempotencyKey: IdempotencyKey;
};

/**
 * A SetupIntent that saves a card on the customer for later off-session charges (payment plans,
 * staff charging a saved card with the patient's consent), without charging it now. Cards only,
 * like createPaymentIntent, so confirming needs no redirect; the browser confirms it with
 * `stripe.confirmSetup`, 3-D Secure included.
 */
export async function createSetupIntent(options: TCreateSetupIntentOptions, stripe: Stripe = getStripe()): Promise<Stripe.SetupIntent> {
  const { idempotencyKey, ...rest } = options;
  const input = ZCreateSetupIntentOptions.parse(rest);
  return stripe.setupIntents.create(
    {
      customer: input.customerId,
      usage: "off_session",
      allowed_payment_method_types: ["card"],
      metadata: toStripeMetadata(input.metadata),
    },
    { idempotencyKey },
  );
}
