import type Stripe from "stripe";
import type { Db } from "@/lib/db/client";
import { applyStripeRefund } from "@/lib/refunds/apply-stripe-refund";
import { recordExternalRefund } from "@/lib/refunds/record-external-refund";
import { listChargeRefunds, retrieveRefund } from "@/lib/stripe/retrieve-refund";
import { paymentIntentIdOf, settlePaymentBefore } from "@/lib/payments/settle-payment-before";
import { claimStripeEvent } from "../record-stripe-event";
import type { WebhookOutcome } from "./payment-intent-event";

/**
 * refund.created, refund.updated, refund.failed, charge.refund.updated (a Refund) and
 * charge.refunded (a Charge listing its refunds): each converges on Stripe's current truth about
 * the refund(s), fetched before the transaction, and applies it forward-only with the event id
 * claimed in the same transaction, so duplicates and any order have one effect. Refunds made
 * outside Carebill (Stripe dashboard) are recorded the first time one of these events names them;
 * one that arrives before its payment's success first records that success from Stripe.
 */
export async function handleRefundEvent(db: Db, event: Stripe.Event, stripe?: Stripe): Promise<WebhookOutcome> {
  const object = event.data.object as { id: string; object: string };
  const refunds = object.object === "charge" ? await listChargeRefunds(object.id, stripe) : [await retrieveRefund(object.id, stripe)];
  // A refund may arrive before its payment's success (endpoint down, retries in any order): record the payment first.
  for (const paymentIntentId of new Set(refunds.map(paymentIntentIdOf))) await settlePaymentBefore(db, paymentIntentId, stripe);
  return db.$transaction(async (tx) => {
    if (!(await claimStripeEvent(tx, event))) return "duplicate";
    let ours = false;
    for (const refund of refunds) {
      if ((await applyStripeRefund(tx, refund)) ?? (await recordExternalRefund(tx, refund))) ours = true;
    }
    return ours ? "applied" : "not_ours";
  });
}
