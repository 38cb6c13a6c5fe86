import type Stripe from "stripe";
import type { Db, Tx } from "@/lib/db/client";
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

/**
 * What uncaptured card holds (`requires_capture` payments) cover on each of these invoices, minor
 * units: money the clinic can still collect by capturing, not to be asked for again. Invoices
 * without a hold are absent from the map.
 */
export async function heldAmounts(db: Db | Tx, invoiceIds: string[]): Promise<Map<string, number>> {
  if (invoiceIds.length === 0) return new Map();
  const holds = await db.payment.groupBy({
    by: ["invoiceId"],
    where: { invoiceId: { in: invoiceIds }, status: "requires_capture" },
    _sum: { amountCapturable: true },
  });
  return new Map(holds.flatMap((hold) => (hold.invoiceId ? [[hold.invoiceId, hold._sum.amountCapturable ?? 0] as const] : [])));
}
