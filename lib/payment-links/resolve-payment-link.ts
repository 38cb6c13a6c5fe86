import type { Db } from "@/lib/db/client";
import { getPaymentLinkSecret } from "./payment-link-secret";
import { isShortId } from "./short-id";
import { verifyPaymentLinkToken } from "./token";

export type ResolvedPaymentLink =
  | { ok: true; linkId: string; invoiceId: string; organizationId: string; expiresAt: Date }
  /** `organizationId` when the link is known to be the clinic's (signed, expired or revoked): its error page names the clinic. */
  | { ok: false; reason: "invalid" | "expired" | "revoked"; organizationId?: string };

/**
 * What a pay-page token opens: a short id (/pay/<shortId>) or a signed long token (links made
 * before short ids keep working).
 *
 * A short id is only a random key (newShortId), never trusted beyond naming a row: it is looked
 * up, an unknown one is "invalid", and its row then passes the checks every link row passes.
 *
 * A long token: Tampered and malformed tokens are "invalid" (nothing from them is
 * trusted or looked up), expired ones "expired", and tokens whose link row was revoked or
 * replaced "revoked". Only a valid, live link yields the invoice id.
 */
export async function resolvePaymentLink(db: Db, token: string, now = new Date()): Promise<ResolvedPaymentLink> {
  if (isShortId(token)) {
    const row = await db.paymentLink.findUnique({ where: { shortId: token } });
    return row ? liveLink(row, now) : { ok: false, reason: "invalid" };
  }
  const check = verifyPaymentLinkToken(token, getPaymentLinkSecret(), now);
  if (!check.ok) return check.reason === "expired" ? { ok: false, reason: "expired", organizationId: check.organizationId } : { ok: false, reason: "invalid" };
  const link = await db.paymentLink.findUnique({ where: { id: check.claims.linkId } });
  if (!link || link.invoiceId !== check.claims.invoiceId || link.organizationId !== check.claims.organizationId) return { ok: false, reason: "invalid" };
  return liveLink(link, now);
}

/** The link row's own answer: expired, then revoked (or replaced), else the invoice it opens. */
function liveLink(link: { id: string; invoiceId: string; organizationId: string; expiresAt: Date; revokedAt: Date | null }, now: Date): ResolvedPaymentLink {
  if (link.expiresAt <= now) return { ok: false, reason: "expired", organizationId: link.organizationId };
  if (link.revokedAt) return { ok: false, reason: "revoked", organizationId: link.organizationId };
  return { ok: true, linkId: link.id, invoiceId: link.invoiceId, organizationId: link.organizationId, expiresAt: link.expiresAt };
}
