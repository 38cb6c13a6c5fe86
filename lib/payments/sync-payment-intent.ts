import type Stripe from "stripe";
import type { Db } from "@/lib/db/client";
import { retrievePaymentIntent } from "@/lib/stripe/retrieve-payment-intent";
import { applyPaymentIntent, type ApplyResult } from "./apply-payment-intent";

/**
 * Fetches a PaymentIntent's current state from Stripe (outside any transaction) and applies it.
 * The webhook handlers and the pay page's return both end here, so a webhook that never arrives
 * still leaves a paid invoice paid.
 */
export async function syncPaymentIntent(db: Db, paymentIntentId: string, stripe?: Stripe): Promise<ApplyResult> {
  const paymentIntent = await retrievePaymentIntent(paymentIntentId, stripe);
  return db.$transaction((tx) => applyPaymentIntent(tx, paymentIntent));
}
