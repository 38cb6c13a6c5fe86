import type Stripe from "stripe";
import { getStripe } from "./get-stripe";

/** Stripe's current truth about a saved card (brand, last 4, expiry, and whether it is still attached to its customer). */
export async function retrievePaymentMethod(paymentMethodId: string, stripe: Stripe = getStripe()): Promise<Stripe.PaymentMethod> {
  return stripe.paymentMethods.retrieve(paymentMethodId);
}

/**
 * Detaches a card from its customer, so it can never be charged again. A card already detached
 * (or unknown to Stripe) counts as detached: the caller wants it gone, and it is.
 */
export async function detachPaymentMethod(paymentMethodId: string, stripe: Stripe = getStripe()): Promise<void> {
  try {
    await stripe.paymentMethods.detach(paymentMethodId);
  } catch (error) {
    const code = (error as { code?: string; type?: string }).code;
    if (code === "payment_method_unexpected_state" || code === "resource_missing") return;
    throw error;
  }
}

/** A SetupIntent with its card expanded, for applying its outcome. */
export type SetupIntentWithCard = Stripe.SetupIntent & { payment_method: Stripe.PaymentMethod | string | null };

export async function retrieveSetupIntent(setupIntentId: string, stripe: Stripe = getStripe()): Promise<SetupIntentWithCard> {
  return stripe.setupIntents.retrieve(setupIntentId, { expand: ["payment_method"] });
}
