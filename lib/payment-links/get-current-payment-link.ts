import type { Db, Tx } from "@/lib/db/client";
import { getPaymentLinkSecret, payPageUrl } from "./payment-link-secret";
import { signPaymentLinkToken } from "./token";

export type CurrentPaymentLink = { id: string; url: string; expiresAt: Date; createdAt: Date } | null;

/**
 * The invoice's live pay link (not revoked, not expired), with its URL. The token is stateless,
 * so the same URL is signed again from the link row: staff can copy it at any time.
 */
export async function getCurrentPaymentLink(db: Db | Tx, options: { organizationId: string; invoiceId: string; now?: Date }): Promise<CurrentPaymentLink> {
  const link = await db.paymentLink.findFirst({
    where: { organizationId: options.organizationId, invoiceId: options.invoiceId, revokedAt: null, expiresAt: { gt: options.now ?? new Date() } },
    orderBy: { createdAt: "desc" },
  });
  if (!link) return null;
  const token = signPaymentLinkToken(
    { linkId: link.id, invoiceId: link.invoiceId, organizationId: link.organizationId, expiresAt: link.expiresAt },
    getPaymentLinkSecret(),
  );
  return { id: link.id, url: payPageUrl(token), expiresAt: link.expiresAt, createdAt: link.createdAt };
}
