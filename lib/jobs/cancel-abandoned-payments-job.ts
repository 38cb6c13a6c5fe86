import type PgBoss from "pg-boss";
import type { Logger } from "pino";
import type { Db } from "@/lib/db/client";
import { reconcilePaymentAttempts } from "@/lib/payments/reconcile-payment-attempts";
import { CANCEL_ABANDONED_PAYMENTS_QUEUE } from "./boss";

/**
 * Every minute, on one app instance: the payments janitor (reconcilePaymentAttempts) syncs card
 * attempts that may have finished without a webhook, cancels abandoned or unwanted ones, and sends
 * refunds that were booked but never reached Stripe.
 */
export async function startCancelAbandonedPaymentsJob(boss: PgBoss, options: { db: Db; log: Logger }): Promise<{ stop(): Promise<void> }> {
  await boss.schedule(CANCEL_ABANDONED_PAYMENTS_QUEUE, "* * * * *");
  await boss.work(CANCEL_ABANDONED_PAYMENTS_QUEUE, async () => {
    const result = await reconcilePaymentAttempts(options.db);
    if (result.synced + result.canceled + result.invoicesTidied + result.refundsSent + result.errors > 0) options.log.info({ ...result }, "payments janitor");
  });
  return { stop: () => boss.offWork(CANCEL_ABANDONED_PAYMENTS_QUEUE) };
}
