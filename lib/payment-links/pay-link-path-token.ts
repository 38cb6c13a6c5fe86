import { signPaymentLinkToken } from "./token";

/** What follows /pay/ in a link's URL: its short id, or for a link made before short ids its signed long token. */
export function payLinkPathToken(
  link: { id: string; invoiceId: string; organizationId: string; expiresAt: Date; shortId: string | null },
  secret: string,
): string {
  return (
    link.shortId ?? signPaymentLinkToken({ linkId: link.id, invoiceId: link.invoiceId, organizationId: link.organizationId, expiresAt: link.expiresAt }, secret)
  );
}
