import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";

/**
 * Pay-link tokens: `<payload>.<signature>`, both base64url. The payload names the link row, the
 * invoice, the organization and the expiry; the signature is HMAC-SHA256 over the payload with
 * PAYMENT_LINK_SECRET, compared in constant time.
 */
const ZPayload = z.object({
  v: z.literal(1),
  l: z.string().uuid(),
  i: z.string().uuid(),
  o: z.string().uuid(),
  /** Expiry, Unix seconds. */
  e: z.number().int(),
});

export type PaymentLinkClaims = { linkId: string; invoiceId: string; organizationId: string; expiresAt: Date };

function sign(payload: string, secret: string): Buffer {
  return createHmac("sha256", secret).update(payload).digest();
}

export function signPaymentLinkToken(claims: PaymentLinkClaims, secret: string): string {
  const payload = Buffer.from(
    JSON.stringify({ v: 1, l: claims.linkId, i: claims.invoiceId, o: claims.organizationId, e: Math.floor(claims.expiresAt.getTime() / 1000) }),
  ).toString("base64url");
  return `${payload}.${sign(payload, secret).toString("base64url")}`;
}

export type TokenCheck =
  | { ok: true; claims: PaymentLinkClaims }
  | { ok: false; reason: "malformed" | "bad_signature" }
  /** Signed by us, so its organization is known (the expired-link page names the clinic). */
  | { ok: false; reason: "expired"; organizationId: string };

/** Checks the signature first (nothing in an unsigned payload is trusted), then the expiry. */
export function verifyPaymentLinkToken(token: string, secret: string, now = new Date()): TokenCheck {
  if (token.length > 600) return { ok: false, reason: "malformed" };
  const [payload, signature, extra] = token.split(".");
  if (!payload || !signature || extra !== undefined) return { ok: false, reason: "malformed" };
  // Compared as text: base64url decoding ignores the unused low bits of the last character, so
  // four spellings of one signature would otherwise pass (a token must have exactly one).
  const given = Buffer.from(signature, "utf8");
  const expected = Buffer.from(sign(payload, secret).toString("base64url"), "utf8");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: "bad_signature" };
  let parsed: z.infer<typeof ZPayload>;
  try {
    parsed = ZPayload.parse(JSON.parse(Buffer.from(payload, "base64url").toString("utf8")));
  } catch {
    return { ok: false, reason: "malformed" };
  }
  const claims = { linkId: parsed.l, invoiceId: parsed.i, organizationId: parsed.o, expiresAt: new Date(parsed.e * 1000) };
  if (claims.expiresAt <= now) return { ok: false, reason: "expired", organizationId: claims.organizationId };
  return { ok: true, claims };
}
