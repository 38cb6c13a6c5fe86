import type Stripe from "stripe";
import { getStripe } from "./get-stripe";

/**
 * Stripe's current truth about a dispute (status, amount, evidence deadline and the balance
 * transactions that withdrew or reinstated the funds), for the dispute webhooks to converge on.
 */
export async function retrieveDispute(disputeId: string, stripe: Stripe = getStripe()): Promise<Stripe.Dispute> {
  return stripe.disputes.retrieve(disputeId);
}
