import type Stripe from "stripe";
import type { Db } from "@/lib/db/client";
import { claimStripeEvent } from "../record-stripe-event";
import type { WebhookOutcome } from "./payment-intent-event";

/**
 * charge.refunded, charge.refund.updated, charge.dispute.created/closed and setup_intent.succeeded:
 * recorded exactly once here; refunds, disputes and saved cards act on them once those flows exist.
 */
export async function handleRecordOnlyEvent(db: Db, event: Stripe.Event): Promise<WebhookOutcome> {
  return db.$transaction(async (tx) => ((await claimStripeEvent(tx, event)) ? "applied" : "duplicate"));
}
