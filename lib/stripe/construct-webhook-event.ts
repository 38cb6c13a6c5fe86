import Stripe from "stripe";
import { EnvError, getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";

/**
 * Verifies a webhook delivery and returns its event. `rawBody` must be the exact bytes Stripe
 * sent (read the request as text, never re-serialize parsed JSON). A missing or wrong
 * `Stripe-Signature`, a tampered body or a timestamp outside Stripe's default tolerance (300 s)
 * throws AppError BAD_REQUEST, so the route answers 400 and writes nothing.
 */
export function constructWebhookEvent(
  rawBody: string | Buffer,
  signatureHeader: string | null,
  secret: string | undefined = getEnv().STRIPE_WEBHOOK_SECRET,
): Stripe.Event {
  if (!secret) throw new EnvError([{ name: "STRIPE_WEBHOOK_SECRET", message: "is required to receive Stripe webhooks" }]);
  if (!signatureHeader) throw new AppError("BAD_REQUEST", "Missing Stripe-Signature header");
  try {
    return Stripe.webhooks.constructEvent(rawBody, signatureHeader, secret);
  } catch (error) {
    if (error instanceof Stripe.errors.StripeSignatureVerificationError) {
      throw new AppError("BAD_REQUEST", "Invalid Stripe-Signature", { cause: error });
    }
    throw error;
  }
}
