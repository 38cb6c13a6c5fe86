import type Stripe from "stripe";
import type { Tx } from "@/lib/db/client";
import type { AuditActor } from "@/lib/audit/record-audit-event";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { readStripeMetadata } from "@/lib/stripe/metadata";
import { restoreRefundBooks } from "./restore-refund-books";
import { lockRefundByStripeRefund } from "@/lib/db/locks";

export const STRIPE_ACTOR: AuditActor = { userId: null, label: "stripe", ip: null, requestId: null };

export type ApplyRefundResult = { refundId: string; status: string; changed: boolean } | null;

/**
 * Brings our refund row in line with a Stripe Refund (from the create call's answer, a webhook,
 * or a retry). Finds it by Stripe id or by the `refund_id` we put in its metadata (the webhook
 * may arrive before we saved the id), locks it, and only moves forward: `pending` → `succeeded`
 * (nothing to book: the refund was booked when requested); `pending`/`succeeded` → `failed` or
 * `canceled` restores the books once. Any number of calls, in any order, end in the same state.
 * Returns null when the refund is not one of ours.
 */
export async function applyStripeRefund(tx: Tx, stripeRefund: Stripe.Refund, actor: AuditActor = STRIPE_ACTOR): Promise<ApplyRefundResult> {
  const metadata = readStripeMetadata(stripeRefund.metadata);
  // Payment before refund, the order every refund path locks in (requesting a refund and
  // recording an external one lock the payment first), so concurrent events never deadlock.
  const refundId = await lockRefundByStripeRefund(tx, {
    stripeRefundId: stripeRefund.id,
    refundId: metadata?.refundId ?? null,
    organizationId: metadata?.organizationId ?? null,
  });
  if (!refundId) return null;
  const refund = await tx.refund.findUniqueOrThrow({ where: { id: refundId } });
  if (refund.stripeRefundId && refund.stripeRefundId !== stripeRefund.id) return null;
  if (!refund.stripeRefundId) await tx.refund.update({ where: { id: refund.id }, data: { stripeRefundId: stripeRefund.id } });

  const live = refund.status === "pending" || refund.status === "succeeded";
  if (live && (stripeRefund.status === "failed" || stripeRefund.status === "canceled")) {
    await restoreRefundBooks(tx, { refund, status: stripeRefund.status, failureReason: stripeRefund.failure_reason ?? null, actor });
    return { refundId: refund.id, status: stripeRefund.status, changed: true };
  }
  if (refund.status === "pending" && stripeRefund.status === "succeeded") {
    await tx.refund.update({ where: { id: refund.id }, data: { status: "succeeded", succeededAt: new Date() } });
    await recordAuditEvent(tx, {
      organizationId: refund.organizationId,
      actor,
      action: "refund.succeeded",
      target: { type: "refund", id: refund.id },
      before: { status: "pending" },
      after: { status: "succeeded", paymentId: refund.paymentId, amount: refund.amount },
    });
    return { refundId: refund.id, status: "succeeded", changed: true };
  }
  return { refundId: refund.id, status: refund.status, changed: false };
}
