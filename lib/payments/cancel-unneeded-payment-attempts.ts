import Stripe from "stripe";
import type { Db } from "@/lib/db/client";
import { logger } from "@/lib/observability/logger";
import { cancelPaymentIntent } from "@/lib/stripe/cancel-payment-intent";
import { CANCELABLE_STATUSES } from "./payment-status";
import { syncPaymentIntent } from "./sync-payment-intent";

/** Money already moving on an invoice: attempts Stripe is processing or holds authorized. */
const MONEY_MOVING_STATUSES = ["processing", "requires_capture"] as const;

/**
 * Cancels at Stripe every card attempt of an invoice that can no longer be wanted, so that no tab
 * left open can take money the invoice does not owe: all of them once the invoice is paid, void,
 * written off or a draft; those started from a link that was revoked or replaced; and, while
 * something is still owed, those that together would ask for more than that (newest kept first,
 * since that is the one every pay-page tab shows). Call it after the change is committed, never
 * inside a transaction (it calls Stripe). An intent that completed meanwhile is not lost: Stripe
 * refuses to cancel it and its success is recorded instead (see `settlePaymentIntent`), where any
 * money beyond what is owed is refunded automatically.
 */
export async function cancelUnneededPaymentAttempts(
  db: Db,
  options: { organizationId: string; invoiceId: string; stripe?: Stripe },
): Promise<{ canceled: number }> {
  const invoice = await db.invoice.findFirst({
    where: { id: options.invoiceId, organizationId: options.organizationId },
    select: { status: true, amountDue: true },
  });
  if (!invoice) return { canceled: 0 };
  const attempts = await db.payment.findMany({
    where: { invoiceId: options.invoiceId, status: { in: [...CANCELABLE_STATUSES] }, stripePaymentIntentId: { not: null } },
    select: { id: true, amount: true, stripePaymentIntentId: true, paymentLinkId: true },
    orderBy: { createdAt: "desc" },
  });
  if (attempts.length === 0) return { canceled: 0 };
  const linkIds = attempts.flatMap((attempt) => (attempt.paymentLinkId ? [attempt.paymentLinkId] : []));
  const revokedLinks = new Set(
    (await db.paymentLink.findMany({ where: { id: { in: linkIds }, revokedAt: { not: null } }, select: { id: true } })).map((link) => link.id),
  );
  const moving = await db.payment.aggregate({ where: { invoiceId: options.invoiceId, status: { in: [...MONEY_MOVING_STATUSES] } }, _sum: { amount: true } });
  let room = invoice.status === "open" || invoice.status === "partially_paid" ? invoice.amountDue - (moving._sum.amount ?? 0) : 0;
  let canceled = 0;
  for (const attempt of attempts) {
    if (!(attempt.paymentLinkId && revokedLinks.has(attempt.paymentLinkId)) && attempt.amount <= room) {
      room -= attempt.amount;
      continue;
    }
    await cancelAttempt(db, { paymentId: attempt.id, paymentIntentId: attempt.stripePaymentIntentId!, stripe: options.stripe });
    canceled++;
  }
  return { canceled };
}

/**
 * Cancels one attempt's PaymentIntent and records Stripe's answer. Stripe refuses (400) when the
 * intent already succeeded, is processing or was canceled: then its current state is recorded.
 */
export async function cancelAttempt(db: Db, options: { paymentId: string; paymentIntentId: string; stripe?: Stripe }): Promise<void> {
  try {
    await cancelPaymentIntent({ paymentId: options.paymentId, paymentIntentId: options.paymentIntentId }, options.stripe);
  } catch (error) {
    if (!(error instanceof Stripe.errors.StripeInvalidRequestError || error instanceof Stripe.errors.StripeIdempotencyError)) throw error;
    logger.info({ paymentId: options.paymentId, code: error.code }, "Stripe did not cancel the attempt; recording its current state");
  }
  await syncPaymentIntent(db, options.paymentIntentId, options.stripe);
}

/**
 * After an invoice changed in a way that may leave card attempts unwanted (voided, written off,
 * paid by other means, credited, its link revoked), and after that change committed: cancels them
 * at once. A failure (Stripe unreachable) is logged, never thrown: the change stands and the
 * janitor cancels them on its next run.
 */
export async function cancelUnneededAttemptsAfterCommit(
  db: Db,
  options: { organizationId: string; invoiceIds: readonly string[]; stripe?: Stripe },
): Promise<void> {
  for (const invoiceId of new Set(options.invoiceIds)) {
    try {
      await cancelUnneededPaymentAttempts(db, { organizationId: options.organizationId, invoiceId, stripe: options.stripe });
    } catch (error) {
      logger.warn({ err: error, invoiceId }, "could not cancel an invoice's unwanted card attempts now; the janitor retries");
    }
  }
}
