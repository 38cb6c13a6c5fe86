import type Stripe from "stripe";
import { getStripe } from "./get-stripe";

/** A PaymentIntent with its latest charge and that charge's balance transaction (fee, net) expanded. */
export type PaymentIntentWithCharge = Omit<Stripe.PaymentIntent, "latest_charge"> & {
  latest_charge: (Omit<Stripe.Charge, "balance_transaction"> & { balance_transaction: Stripe.BalanceTransaction | null }) | null;
};

/** What every PaymentIntent call in lib/stripe asks Stripe to expand. */
export const PAYMENT_INTENT_EXPAND = ["latest_charge.balance_transaction"];

/** Checks at runtime what `expand` promised, so callers can rely on the type. */
export function asPaymentIntentWithCharge(paymentIntent: Stripe.PaymentIntent): PaymentIntentWithCharge {
  const charge = paymentIntent.latest_charge;
  if (typeof charge === "string" || (charge && typeof charge.balance_transaction === "string")) {
    throw new Error(`PaymentIntent ${paymentIntent.id} came back without latest_charge.balance_transaction expanded`);
  }
  return paymentIntent as PaymentIntentWithCharge;
}

/**
 * Stripe's current truth about a PaymentIntent, for webhook handlers and the pay page's return
 * to converge on. `latest_charge.balance_transaction` carries the fee once the charge is
 * captured; it is null while a charge is uncaptured, failed, or (with Stripe's default
 * `capture_method: automatic_async`, which Carebill does not use) for a moment after success.
 */
export async function retrievePaymentIntent(paymentIntentId: string, stripe: Stripe = getStripe()): Promise<PaymentIntentWithCharge> {
  return asPaymentIntentWithCharge(await stripe.paymentIntents.retrieve(paymentIntentId, { expand: PAYMENT_INTENT_EXPAND }));
}
