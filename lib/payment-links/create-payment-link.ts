import type { Db, Tx } from "@/lib/db/client";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { getEnv } from "@/lib/env";
import { assertStatus } from "@/lib/invoices/lock-invoice";
import { AppError } from "@/lib/errors";
import { getPaymentLinkSecret, payPageUrl } from "./payment-link-secret";
import { newShortId } from "./short-id";
import { payLinkPathToken } from "./pay-link-path-token";

export type PaymentLinkView = { id: string; url: string; expiresAt: string };

const PAYABLE = ["open", "partially_paid"] as const;

/**
 * Issues a new pay link for a payable invoice and revokes the ones before it, so an invoice has
 * one live link at a time ("regenerate" and "create" are the same thing).
 */
export async function createPaymentLink(
  db: Db | Tx,
  options: { organizationId: string; invoiceId: string; actor: AuditActor; now?: Date },
): Promise<PaymentLinkView> {
  const secret = getPaymentLinkSecret();
  const now = options.now ?? new Date();
  const invoice = await db.invoice.findFirst({
    where: { id: options.invoiceId, organizationId: options.organizationId },
    select: { id: true, status: true, number: true },
  });
  if (!invoice) throw new AppError("NOT_FOUND", "That invoice does not exist.");
  assertStatus(invoice, PAYABLE, "paid online");
  await db.paymentLink.updateMany({ where: { invoiceId: invoice.id, revokedAt: null }, data: { revokedAt: now } });
  const expiresAt = new Date(now.getTime() + getEnv().PAYMENT_LINK_TTL_DAYS * 86_400_000);
  const link = await db.paymentLink.create({
    data: { organizationId: options.organizationId, invoiceId: invoice.id, expiresAt, createdById: options.actor.userId, shortId: newShortId() },
  });
  await recordAuditEvent(db, {
    organizationId: options.organizationId,
    actor: options.actor,
    action: "payment_link.created",
    target: { type: "invoice", id: invoice.id },
    after: { linkId: link.id, expiresAt: expiresAt.toISOString() },
  });
  return { id: link.id, url: payPageUrl(payLinkPathToken(link, secret)), expiresAt: expiresAt.toISOString() };
}
