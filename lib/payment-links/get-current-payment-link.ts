import type { Db, Tx } from "@/lib/db/client";
import { getPaymentLinkSecret, payPageUrl } from "./payment-link-secret";
import { payLinkPathToken } from "./pay-link-path-token";

export type CurrentPaymentLink = { id: string; url: string; expiresAt: Date; createdAt: Date } | null;

/**
 * The invoice's live pay link (not revoked, not expired), with its URL (its short id, or for a link
 * made before short ids the long token signed again from the row): staff can copy it at any time.
 */
export async function getCurrentPaymentLink(db: Db | Tx, options: { organizationId: string; invoiceId: string; now?: Date }): Promise<CurrentPaymentLink> {
  const link = await db.paymentLink.findFirst({
    where: { organizationId: options.organizationId, invoiceId: options.invoiceId, revokedAt: null, expiresAt: { gt: options.now ?? new Date() } },
    orderBy: { createdAt: "desc" },
  });
  if (!link) return null;
  return { id: link.id, url: payPageUrl(payLinkPathToken(link, getPaymentLinkSecret())), expiresAt: link.expiresAt, createdAt: link.createdAt };
}
