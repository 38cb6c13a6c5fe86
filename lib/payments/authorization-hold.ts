import type Stripe from "stripe";
import type { PaymentIntentWithCharge } from "@/lib/stripe/retrieve-payment-intent";

/** How long a card authorization holds when Stripe does not say (online card payments: 7 days). */
export const AUTHORIZATION_VALIDITY_MS = 7 * 24 * 60 * 60 * 1000;

/** When a hold is close enough to lapsing that staff should be warned. */
export const HOLD_WARNING_MS = 48 * 60 * 60 * 1000;

/**
 * The hold an authorized (`requires_capture`) PaymentIntent places on the card: what can be
 * captured, when it was authorized (the charge's creation, or the time we first saw it), and when
 * it lapses (the card's `capture_before` when Stripe gives it, else 7 days after authorization).
 * An authorization moves no money, so it has no journal.
 */
export function authorizationHold(
  paymentIntent: PaymentIntentWithCharge | Stripe.PaymentIntent,
  known: { authorizedAt: Date | null },
): { amountCapturable: number; authorizedAt: Date; captureBefore: Date } {
  const charge = typeof paymentIntent.latest_charge === "object" ? paymentIntent.latest_charge : null;
  const authorizedAt = known.authorizedAt ?? (charge?.created ? new Date(charge.created * 1000) : new Date());
  const captureBeforeSeconds = charge?.payment_method_details?.card?.capture_before;
  const captureBefore = captureBeforeSeconds ? new Date(captureBeforeSeconds * 1000) : new Date(authorizedAt.getTime() + AUTHORIZATION_VALIDITY_MS);
  return { amountCapturable: paymentIntent.amount_capturable, authorizedAt, captureBefore };
}
