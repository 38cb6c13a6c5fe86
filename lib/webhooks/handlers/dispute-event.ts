import type Stripe from "stripe";
import type { Db } from "@/lib/db/client";
import { applyDispute } from "@/lib/disputes/apply-dispute";
import { retrieveDispute } from "@/lib/stripe/retrieve-dispute";
import { paymentIntentIdOf, settlePaymentBefore } from "@/lib/payments/settle-payment-before";
import { claimStripeEvent } from "../record-stripe-event";
import type { WebhookOutcome } from "./payment-intent-event";

/**
 * charge.dispute.created, .updated, .closed, .funds_withdrawn and .funds_reinstated: all converge
 * on Stripe's current truth about the dispute (fetched before the transaction, never inside it)
 * and apply it with the event id claimed in the same transaction, so duplicates and any order have
 * one effect. The admins' emails wait in the outbox for the worker, like receipts from webhooks.
 */
export async function handleDisputeEvent(db: Db, event: Stripe.Event, stripe?: Stripe): Promise<WebhookOutcome> {
  const object = event.data.object as Stripe.Dispute;
  const dispute = await retrieveDispute(object.id, stripe);
  // A dispute may arrive before its payment's success: record the payment first, so the dispute's books find it.
  await settlePaymentBefore(db, paymentIntentIdOf(dispute), stripe);
  return db.$transaction(async (tx) => {
    if (!(await claimStripeEvent(tx, event))) return "duplicate";
    return (await applyDispute(tx, dispute)) ? "applied" : "not_ours";
  });
}
