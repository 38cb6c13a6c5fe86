import type Stripe from "stripe";
import { AUTOMATIC_ACTOR } from "@/lib/audit/record-audit-event";
import type { Db } from "@/lib/db/client";
import { logger } from "@/lib/observability/logger";
import { submitRefund } from "@/lib/refunds/submit-refund";
import { retrievePaymentIntent } from "@/lib/stripe/retrieve-payment-intent";
import { applyPaymentIntent, type ApplyResult } from "./apply-payment-intent";
import { cancelUnneededPaymentAttempts } from "./cancel-unneeded-payment-attempts";

/**
 * Fetches a PaymentIntent's current state from Stripe (outside any transaction), applies it, and
 * does what must follow a commit (`afterPaymentApplied`). The webhook handlers, the pay page's
 * return and the janitor all end here, so a webhook that never arrives still leaves a paid invoice paid.
 */
export async function syncPaymentIntent(db: Db, paymentIntentId: string, stripe?: Stripe): Promise<ApplyResult> {
  const paymentIntent = await retrievePaymentIntent(paymentIntentId, stripe);
  const result = await db.$transaction((tx) => applyPaymentIntent(tx, paymentIntent));
  await afterPaymentApplied(db, result, stripe);
  return result;
}

/**
 * The Stripe calls that follow a committed payment outcome, never inside its transaction: an
 * automatic refund of money received beyond what was owed is sent (its booking committed with the
 * payment), and once a payment succeeded every other attempt on its invoice that is no longer
 * wanted is canceled at once. A failure here is logged and left to the janitor
 * (`reconcilePaymentAttempts`), which repeats both; it never undoes the committed outcome.
 */
export async function afterPaymentApplied(db: Db, result: ApplyResult, stripe?: Stripe): Promise<void> {
  if (!result) return;
  const followUps: [string, () => Promise<unknown>][] = [];
  if (result.excessRefundId) {
    const refundId = result.excessRefundId;
    followUps.push([
      "automatic refund of an overpayment",
      () => submitRefund(db, { organizationId: result.organizationId, refundId, actor: AUTOMATIC_ACTOR, stripe }),
    ]);
  }
  // A prepayment has no invoice whose other attempts could be unneeded.
  const invoiceId = result.invoiceId;
  if (result.becameSucceeded && invoiceId) {
    followUps.push([
      "canceling the invoice's other attempts",
      () => cancelUnneededPaymentAttempts(db, { organizationId: result.organizationId, invoiceId, stripe }),
    ]);
  }
  for (const [what, run] of followUps) {
    try {
      await run();
    } catch (error) {
      logger.warn({ err: error, paymentId: result.paymentId }, `${what} failed after the payment was recorded; the janitor retries it`);
    }
  }
}
