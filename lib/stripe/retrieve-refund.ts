import type Stripe from "stripe";
import { getStripe } from "./get-stripe";

/** Stripe's current truth about one refund, for webhook handlers to converge on. */
export async function retrieveRefund(refundId: string, stripe: Stripe = getStripe()): Promise<Stripe.Refund> {
  return stripe.refunds.retrieve(refundId);
}

/** Every refund of a charge (newest first), e.g. for `charge.refunded`, which lists them. */
export async function listChargeRefunds(chargeId: string, stripe: Stripe = getStripe()): Promise<Stripe.Refund[]> {
  const refunds: Stripe.Refund[] = [];
  for await (const refund of stripe.refunds.list({ charge: chargeId, limit: 100 })) refunds.push(refund);
  return refunds;
}
