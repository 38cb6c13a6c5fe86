import type Stripe from "stripe";
import { AUTOMATIC_ACTOR } from "@/lib/audit/record-audit-event";
import type { Db } from "@/lib/db/client";
import { isAppError } from "@/lib/errors";
import { logger } from "@/lib/observability/logger";
import { submitRefund } from "@/lib/refunds/submit-refund";
import { cancelAttempt, cancelUnneededPaymentAttempts } from "./cancel-unneeded-payment-attempts";
import { CANCELABLE_STATUSES } from "./payment-status";
import { syncPaymentIntent } from "./sync-payment-intent";
import { sql, sqlOf } from "@/lib/db/sql";

/** An attempt nobody finished for this long is canceled at Stripe. */
export const ABANDONED_AFTER_MINUTES = 60;
/** Attempts, refunds and invoices untouched for this long are checked with Stripe: a webhook may have been lost, or the app stopped between Stripe's answer and our commit. */
export const CHECK_AFTER_MINUTES = 2;

export type ReconcileResult = { synced: number; canceled: number; invoicesTidied: number; refundsSent: number; errors: number };

/**
 * The janitor, run every minute on one instance. It repairs what a crash, a lost webhook or a
 * failed follow-up call can leave behind, each step safe to repeat and to run beside the live flows:
 * 1. attempts Stripe may have finished (not final, untouched for a couple of minutes) are synced
 *    with Stripe; those left unfinished for an hour are canceled;
 * 2. invoices with attempts that are no longer wanted (invoice paid, void or written off, link
 *    revoked, or open attempts asking for more than is owed) have them canceled;
 * 3. refunds booked but never sent (Stripe unreachable, or the app stopped before sending) are sent,
 *    with the same idempotency key and after checking Stripe does not already have them.
 */
export async function reconcilePaymentAttempts(db: Db, options: { now?: Date; limit?: number; stripe?: Stripe } = {}): Promise<ReconcileResult> {
  const now = options.now ?? new Date();
  const limit = options.limit ?? 100;
  const checkBefore = new Date(now.getTime() - CHECK_AFTER_MINUTES * 60_000);
  const abandonedBefore = new Date(now.getTime() - ABANDONED_AFTER_MINUTES * 60_000);
  const result: ReconcileResult = { synced: 0, canceled: 0, invoicesTidied: 0, refundsSent: 0, errors: 0 };
  const attempt = async (what: string, context: object, run: () => Promise<unknown>) => {
    try {
      await run();
      return true;
    } catch (error) {
      result.errors++;
      logger.warn({ err: error, ...context }, `janitor: ${what} failed; retried on the next run`);
      return false;
    }
  };

  // An attempt whose PaymentIntent was never saved (the app stopped while creating it): the
  // patient never got its client secret, so nothing can confirm it; after an hour it is closed.
  await db.payment.updateMany({
    where: { status: { in: [...CANCELABLE_STATUSES] }, stripePaymentIntentId: null, source: { not: "manual" }, createdAt: { lt: abandonedBefore } },
    data: { status: "canceled", canceledAt: now, failureMessage: "The payment was never started with the processor." },
  });

  const stale = await db.payment.findMany({
    where: { status: { in: [...CANCELABLE_STATUSES, "processing"] }, stripePaymentIntentId: { not: null }, updatedAt: { lt: checkBefore } },
    select: { id: true, status: true, createdAt: true, stripePaymentIntentId: true },
    orderBy: { updatedAt: "asc" },
    take: limit,
  });
  for (const payment of stale) {
    const paymentIntentId = payment.stripePaymentIntentId!;
    const abandoned = payment.status !== "processing" && payment.createdAt < abandonedBefore;
    if (abandoned) {
      if (
        await attempt("canceling an abandoned attempt", { paymentId: payment.id }, () =>
          cancelAttempt(db, { paymentId: payment.id, paymentIntentId, stripe: options.stripe }),
        )
      )
        result.canceled++;
    } else if (await attempt("syncing an attempt", { paymentId: payment.id }, () => syncPaymentIntent(db, paymentIntentId, options.stripe))) {
      result.synced++;
    }
  }

  const untidy = await sqlOf(db).query<{ organization_id: string; invoice_id: string }>(sql`
    SELECT i.organization_id, i.id AS invoice_id
    FROM invoices i
    JOIN payments p ON p.invoice_id = i.id AND p.stripe_payment_intent_id IS NOT NULL
      AND p.status::text = ANY(${[...CANCELABLE_STATUSES]}::text[]) AND p.updated_at < ${checkBefore}::timestamptz
    LEFT JOIN payment_links l ON l.id = p.payment_link_id
    GROUP BY i.id
    HAVING i.status NOT IN ('open', 'partially_paid')
        OR bool_or(l.revoked_at IS NOT NULL)
        OR sum(p.amount) + (SELECT coalesce(sum(m.amount), 0) FROM payments m WHERE m.invoice_id = i.id AND m.status IN ('processing', 'requires_capture')) > i.amount_due
    LIMIT ${limit}::int`);
  for (const invoice of untidy) {
    if (
      await attempt("canceling attempts no longer wanted", { invoiceId: invoice.invoice_id }, () =>
        cancelUnneededPaymentAttempts(db, { organizationId: invoice.organization_id, invoiceId: invoice.invoice_id, stripe: options.stripe }),
      )
    ) {
      result.invoicesTidied++;
    }
  }

  const unsent = await db.refund.findMany({
    where: { status: "pending", stripeRefundId: null, createdAt: { lt: checkBefore } },
    select: { id: true, organizationId: true },
    orderBy: { createdAt: "asc" },
    take: limit,
  });
  for (const refund of unsent) {
    const sent = await attempt("sending a refund", { refundId: refund.id }, async () => {
      try {
        await submitRefund(db, { organizationId: refund.organizationId, refundId: refund.id, actor: AUTOMATIC_ACTOR, stripe: options.stripe });
      } catch (error) {
        // Stripe refused it for good: submitRefund already restored the books and recorded why.
        if (isAppError(error) && error.code === "CONFLICT") return;
        throw error;
      }
    });
    if (sent) result.refundsSent++;
  }
  return result;
}
