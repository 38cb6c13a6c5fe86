import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { isShortId } from "@/lib/payment-links/short-id";
import { hitRateLimit } from "@/lib/rate-limit/rate-limit";

export type ResolvedCardLink =
  | { ok: true; linkId: string; organizationId: string; patientId: string; expiresAt: Date }
  /** `organizationId` when the link is the clinic's (expired or revoked): its page names the clinic. */
  | { ok: false; reason: "invalid" | "expired" | "revoked"; organizationId?: string };

/**
 * What a /card/<shortId> opens. The id is only a random key (never trusted beyond naming a row):
 * anything else is "invalid" without a lookup; an unknown id "invalid"; then expiry, revocation.
 */
export async function resolveCardLink(db: Db, token: string, now = new Date()): Promise<ResolvedCardLink> {
  if (!isShortId(token)) return { ok: false, reason: "invalid" };
  const link = await db.cardLink.findUnique({ where: { shortId: token } });
  if (!link) return { ok: false, reason: "invalid" };
  if (link.expiresAt <= now) return { ok: false, reason: "expired", organizationId: link.organizationId };
  if (link.revokedAt) return { ok: false, reason: "revoked", organizationId: link.organizationId };
  return { ok: true, linkId: link.id, organizationId: link.organizationId, patientId: link.patientId, expiresAt: link.expiresAt };
}

const LIMITS = {
  view: { perIp: 60, perLink: 120, windowSeconds: 600 },
  attempt: { perIp: 10, perLink: 15, windowSeconds: 600 },
} as const;

/** Limits card-page traffic per client IP and per link (counters in PostgreSQL, shared by every instance); RATE_LIMITED (429) past either. */
export async function assertCardPageRate(db: Db, options: { kind: keyof typeof LIMITS; ip: string | null; token: string }): Promise<void> {
  const limit = LIMITS[options.kind];
  const [perLink, perIp] = await Promise.all([
    hitRateLimit(db, { key: `card:${options.kind}:link:${options.token.slice(0, 24)}`, windowSeconds: limit.windowSeconds }),
    options.ip ? hitRateLimit(db, { key: `card:${options.kind}:ip:${options.ip}`, windowSeconds: limit.windowSeconds }) : null,
  ]);
  if (perLink.count > limit.perLink || (perIp && perIp.count > limit.perIp)) {
    const retry = Math.max(perLink.retryAfterSeconds, perIp?.retryAfterSeconds ?? 0);
    throw new AppError("RATE_LIMITED", `Too many attempts. Please wait ${Math.ceil(retry / 60)} minute(s) and try again.`);
  }
}
