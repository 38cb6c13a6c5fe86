import Stripe from "stripe";
import type { Db } from "@/lib/db/client";
import type { AuditActor } from "@/lib/audit/record-audit-event";
import { AppError } from "@/lib/errors";
import { formatMoney } from "@/lib/money/currency";
import { logger } from "@/lib/observability/logger";
import { createRefund } from "@/lib/stripe/create-refund";
import { readStripeMetadata } from "@/lib/stripe/metadata";
import { listChargeRefunds, retrieveRefund } from "@/lib/stripe/retrieve-refund";
import { applyStripeRefund } from "./apply-stripe-refund";
import { restoreRefundBooks } from "./restore-refund-books";
import { describeRefundFailure, toRefundView, type RefundView } from "./refunds.types";
import { lockPaymentRow, lockRefundRow } from "@/lib/db/locks";

export type SubmittedRefund = {
  refund: RefundView;
  /** True when Stripe could not be reached: the refund stays pending until it is sent again or Stripe reports it. */
  stripeUnreachable: boolean;
};

/** The Stripe refund that is this refund row, if Stripe has one: by saved id, else by our id in its metadata. */
async function findExistingStripeRefund(
  refund: { id: string; stripeRefundId: string | null; payment: { stripeChargeId: string | null } },
  stripe?: Stripe,
): Promise<Stripe.Refund | null> {
  if (refund.stripeRefundId) return retrieveRefund(refund.stripeRefundId, stripe);
  if (!refund.payment.stripeChargeId) return null;
  const refunds = await listChargeRefunds(refund.payment.stripeChargeId, stripe);
  return refunds.find((candidate) => readStripeMetadata(candidate.metadata)?.refundId === refund.id) ?? null;
}

async function loadRefundView(db: Db, refundId: string): Promise<RefundView> {
  return toRefundView(await db.refund.findUniqueOrThrow({ where: { id: refundId }, include: { creditNote: { select: { id: true, number: true } } } }));
}

/**
 * Sends a booked, pending refund to Stripe (outside any transaction), always with the same
 * idempotency key (`carebill:refund:<refundId>:create-refund`), and only after checking that
 * Stripe does not already have it (saved id, or our refund id in a refund's metadata), so
 * sending it again never refunds twice. Stripe's answer is applied like a webhook. A refusal (e.g. the
 * charge is disputed, or less is left on it than we thought) cancels the refund and restores the
 * books in a second transaction, then throws a 409 that says so. A network failure leaves it pending.
 */
export async function submitRefund(
  db: Db,
  options: { organizationId: string; refundId: string; actor: AuditActor; stripe?: Stripe },
): Promise<SubmittedRefund> {
  const refund = await db.refund.findFirst({ where: { id: options.refundId, organizationId: options.organizationId }, include: { payment: true } });
  if (!refund) throw new AppError("NOT_FOUND", "That refund does not exist.");
  if (refund.status !== "pending") return { refund: await loadRefundView(db, refund.id), stripeUnreachable: false };
  const paymentIntentId = refund.payment.stripePaymentIntentId;
  if (!paymentIntentId) throw new Error(`refund ${refund.id}: payment without a PaymentIntent`);
  let stripeRefund: Stripe.Refund;
  try {
    // Never create a second Stripe refund for one of ours: if Stripe already has it (we saved its
    // id, or the first call reached Stripe but its answer was lost, possibly longer ago than
    // Stripe keeps idempotency keys), converge on that one instead.
    const existing = await findExistingStripeRefund(refund, options.stripe);
    if (existing) {
      await db.$transaction((tx) => applyStripeRefund(tx, existing));
      return { refund: await loadRefundView(db, refund.id), stripeUnreachable: false };
    }
    stripeRefund = await createRefund(
      {
        metadata: {
          organizationId: refund.organizationId,
          paymentId: refund.paymentId,
          ...(refund.invoiceId ? { invoiceId: refund.invoiceId } : {}),
          refundId: refund.id,
        },
        paymentIntentId,
        amount: refund.amount,
        reason: refund.reason === "other" ? undefined : refund.reason,
      },
      options.stripe,
    );
  } catch (error) {
    if (error instanceof Stripe.errors.StripeInvalidRequestError || error instanceof Stripe.errors.StripeCardError) {
      const code = error.code ?? "refused";
      await db.$transaction(async (tx) => {
        await lockPaymentRow(tx, { id: refund.paymentId, organizationId: refund.organizationId });
        const status = await lockRefundRow(tx, { id: refund.id });
        if (status !== "pending") return;
        const fresh = await tx.refund.findUniqueOrThrow({ where: { id: refund.id } });
        await restoreRefundBooks(tx, { refund: fresh, status: "canceled", failureReason: code, actor: options.actor });
      });
      throw new AppError(
        "CONFLICT",
        `Stripe refused the refund of ${formatMoney(refund.amount, refund.currency)} (${describeRefundFailure(code)}). Nothing was refunded and the invoice is as it was before.`,
        { cause: error },
      );
    }
    logger.warn({ err: error, refundId: refund.id }, "refund not sent to Stripe; left pending");
    return { refund: await loadRefundView(db, refund.id), stripeUnreachable: true };
  }
  await db.$transaction((tx) => applyStripeRefund(tx, stripeRefund));
  return { refund: await loadRefundView(db, refund.id), stripeUnreachable: false };
}
