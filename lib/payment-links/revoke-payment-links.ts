import type { Db, Tx } from "@/lib/db/client";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { AppError } from "@/lib/errors";

/** Revokes every live link of an invoice: their tokens open the "link revoked" page from now on. */
export async function revokePaymentLinks(db: Db | Tx, options: { organizationId: string; invoiceId: string; actor: AuditActor }): Promise<number> {
  const invoice = await db.invoice.findFirst({ where: { id: options.invoiceId, organizationId: options.organizationId }, select: { id: true } });
  if (!invoice) throw new AppError("NOT_FOUND", "That invoice does not exist.");
  const { count } = await db.paymentLink.updateMany({ where: { invoiceId: invoice.id, revokedAt: null }, data: { revokedAt: new Date() } });
  if (count > 0) {
    await recordAuditEvent(db, { organizationId: options.organizationId, actor: options.actor, action: "payment_link.revoked", target: { type: "invoice", id: invoice.id } });
  }
  return count;
}
