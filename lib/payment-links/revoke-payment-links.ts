import type Stripe from "stripe";
import type { Db } from "@/lib/db/client";
import { cancelUnneededAttemptsAfterCommit } from "@/lib/payments/cancel-unneeded-payment-attempts";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { AppError } from "@/lib/errors";

/**
 * Revokes every live link of an invoice: their tokens open the "link revoked" page from now on, and
 * card attempts started from them are canceled at Stripe at once, so a tab left open cannot pay.
 */
export async function revokePaymentLinks(db: Db, options: { organizationId: string; invoiceId: string; actor: AuditActor; stripe?: Stripe }): Promise<number> {
  const invoice = await db.invoice.findFirst({ where: { id: options.invoiceId, organizationId: options.organizationId }, select: { id: true } });
  if (!invoice) throw new AppError("NOT_FOUND", "That invoice does not exist.");
  const { count } = await db.paymentLink.updateMany({ where: { invoiceId: invoice.id, revokedAt: null }, data: { revokedAt: new Date() } });
  if (count > 0) {
    await recordAuditEvent(db, {
      organizationId: options.organizationId,
      actor: options.actor,
      action: "payment_link.revoked",
      target: { type: "invoice", id: invoice.id },
    });
  }
  await cancelUnneededAttemptsAfterCommit(db, { organizationId: options.organizationId, invoiceIds: [invoice.id], stripe: options.stripe });
  return count;
}
