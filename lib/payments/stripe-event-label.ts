/** What Stripe's events mean, in words staff read on a payment's timeline. */
const LABELS: Record<string, string> = {
  "payment_intent.succeeded": "Stripe: card payment succeeded",
  "payment_intent.payment_failed": "Stripe: card payment failed",
  "payment_intent.processing": "Stripe: card payment processing",
  "payment_intent.canceled": "Stripe: card payment canceled",
  "payment_intent.requires_action": "Stripe: waiting for the patient to confirm (3-D Secure)",
  "payment_intent.amount_capturable_updated": "Stripe: card authorized, ready to capture",
  "charge.refunded": "Stripe: charge refunded",
  "charge.refund.updated": "Stripe: refund updated",
  "refund.created": "Stripe: refund created",
  "refund.updated": "Stripe: refund updated",
  "refund.failed": "Stripe: refund failed",
  "charge.dispute.created": "Stripe: chargeback opened",
  "charge.dispute.updated": "Stripe: chargeback updated",
  "charge.dispute.closed": "Stripe: chargeback closed",
  "charge.dispute.funds_withdrawn": "Stripe: disputed funds withdrawn",
  "charge.dispute.funds_reinstated": "Stripe: disputed funds reinstated",
};

/** The words for a Stripe event type; an unknown type reads as "Stripe: <type>". */
export function stripeEventLabel(type: string): string {
  return LABELS[type] ?? `Stripe: ${type}`;
}
