import Stripe from "stripe";
import { EnvError, getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";

/** What every handler reads from an event; a signed body without it is refused, never half-applied. */
function isEventShaped(value: unknown): value is Stripe.Event {
  if (typeof value !== "object" || value === null) return false;
  const event = value as { id?: unknown; type?: unknown; data?: { object?: { id?: unknown } } };
  return typeof event.id === "string" && typeof event.type === "string" && typeof event.data?.object === "object" && event.data.object !== null;
}

/**
 * Verifies a webhook delivery and returns its event. `rawBody` must be the exact bytes Stripe
 * sent (never re-serialize parsed JSON). A missing or wrong `Stripe-Signature`, a tampered body,
 * a timestamp outside Stripe's default tolerance (300 s), or a signed body that is not a JSON
 * event throws AppError BAD_REQUEST, so the route answers 400 and writes nothing.
 */
export function constructWebhookEvent(
  rawBody: string | Buffer,
  signatureHeader: string | null,
  secret: string | undefined = getEnv().STRIPE_WEBHOOK_SECRET,
): Stripe.Event {
  if (!secret) throw new EnvError([{ name: "STRIPE_WEBHOOK_SECRET", message: "is required to receive Stripe webhooks" }]);
  if (!signatureHeader) throw new AppError("BAD_REQUEST", "The Stripe-Signature header is missing.");
  let event: unknown;
  try {
    event = Stripe.webhooks.constructEvent(rawBody, signatureHeader, secret);
  } catch (error) {
    if (error instanceof Stripe.errors.StripeSignatureVerificationError) {
      throw new AppError("BAD_REQUEST", "The Stripe-Signature header does not match the body.", { cause: error });
    }
    // The signature matched (the SDK verifies before parsing): the body itself is not JSON.
    if (error instanceof SyntaxError) throw new AppError("BAD_REQUEST", "The webhook body is not valid JSON.", { cause: error });
    throw error;
  }
  if (!isEventShaped(event)) throw new AppError("BAD_REQUEST", "The webhook body is not a Stripe event (it needs an id, a type and data.object).");
  return event;
}
