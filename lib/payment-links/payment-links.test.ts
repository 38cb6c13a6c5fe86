import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { createInvoice } from "@/lib/invoices/create-invoice";
import { finalizeInvoice } from "@/lib/invoices/finalize-invoice";
import { voidInvoice } from "@/lib/invoices/void-invoice";
import { createTestOrganization, createTestPatient, testActor } from "@/tests/factories";
import { setupTestDatabase } from "@/tests/test-database";
import { createPaymentLink } from "./create-payment-link";
import { getCurrentPaymentLink } from "./get-current-payment-link";
import { resolvePaymentLink } from "./resolve-payment-link";
import { revokePaymentLinks } from "./revoke-payment-links";
import { signPaymentLinkToken, verifyPaymentLinkToken } from "./token";
import { getPaymentLinkSecret } from "./payment-link-secret";
import { isShortId, newShortId } from "./short-id";
import { getPayPage } from "@/lib/payments/get-pay-page";

const database = setupTestDatabase();
const actor = testActor();
const secret = "k".repeat(40);

const tokenOf = (url: string) => url.split("/pay/")[1]!;

async function openInvoice() {
  const org = await createTestOrganization(database.db);
  const patient = await createTestPatient(database.db, { organizationId: org.organizationId });
  const draft = await createInvoice(database.db, {
    organizationId: org.organizationId,
    actor,
    input: { patientId: patient.id, lines: [{ description: "Visit", quantity: 1, unitAmount: 9000 }] },
  });
  await finalizeInvoice(database.db, { organizationId: org.organizationId, invoiceId: draft.id, actor });
  return { organizationId: org.organizationId, invoiceId: draft.id };
}

describe("pay-link tokens", () => {
  const claims = { linkId: crypto.randomUUID(), invoiceId: crypto.randomUUID(), organizationId: crypto.randomUUID(), expiresAt: new Date(Date.now() + 60_000) };

  it("round-trips and rejects every single-character change", () => {
    const token = signPaymentLinkToken(claims, secret);
    const check = verifyPaymentLinkToken(token, secret);
    expect(check).toEqual({ ok: true, claims: { ...claims, expiresAt: new Date(Math.floor(claims.expiresAt.getTime() / 1000) * 1000) } });
    fc.assert(
      fc.property(
        fc.nat({ max: token.length - 1 }),
        fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_."),
        (index, character) => {
          fc.pre(token[index] !== character);
          const tampered = token.slice(0, index) + character + token.slice(index + 1);
          expect(verifyPaymentLinkToken(tampered, secret).ok).toBe(false);
        },
      ),
    );
  });

  it("accepts exactly one spelling of the signature (its last character carries unused bits)", () => {
    const token = signPaymentLinkToken(claims, secret);
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const accepted = [...alphabet].filter((character) => verifyPaymentLinkToken(token.slice(0, -1) + character, secret).ok);
    expect(accepted).toEqual([token.at(-1)]);
  });

  it("refuses another secret, garbage and expired tokens", () => {
    const token = signPaymentLinkToken(claims, secret);
    expect(verifyPaymentLinkToken(token, "x".repeat(40))).toEqual({ ok: false, reason: "bad_signature" });
    expect(verifyPaymentLinkToken("not-a-token", secret)).toEqual({ ok: false, reason: "malformed" });
    expect(verifyPaymentLinkToken(token, secret, new Date(claims.expiresAt.getTime() + 1_000))).toEqual({
      ok: false,
      reason: "expired",
      // Signed by us: whose link it was is known, so the expired-link page can name the clinic.
      organizationId: claims.organizationId,
    });
  });
});

describe("payment links", () => {
  it("a new link opens its invoice; regenerating revokes the old one; revoking kills all", async () => {
    const { organizationId, invoiceId } = await openInvoice();
    const first = await createPaymentLink(database.db, { organizationId, invoiceId, actor });
    // A short random id in the URL (12 base62 characters), not the ~400-character signed token.
    expect(first.url).toMatch(/^http:\/\/localhost:3000\/pay\/[0-9A-Za-z]{12}$/);
    expect(new Date(first.expiresAt).getTime() - Date.now()).toBeGreaterThan(29 * 86_400_000);
    expect(await resolvePaymentLink(database.db, tokenOf(first.url))).toMatchObject({ ok: true, invoiceId, organizationId });

    expect((await getCurrentPaymentLink(database.db, { organizationId, invoiceId }))?.url).toBe(first.url);
    const second = await createPaymentLink(database.db, { organizationId, invoiceId, actor });
    expect((await getCurrentPaymentLink(database.db, { organizationId, invoiceId }))?.url).toBe(second.url);
    expect(await resolvePaymentLink(database.db, tokenOf(first.url))).toEqual({ ok: false, reason: "revoked", organizationId });
    expect(await resolvePaymentLink(database.db, tokenOf(second.url))).toMatchObject({ ok: true });

    expect(await revokePaymentLinks(database.db, { organizationId, invoiceId, actor })).toBe(1);
    expect(await getCurrentPaymentLink(database.db, { organizationId, invoiceId })).toBeNull();
    expect(await resolvePaymentLink(database.db, tokenOf(second.url))).toEqual({ ok: false, reason: "revoked", organizationId });
  });

  it("expires links and refuses tampered tokens without looking anything up", async () => {
    const { organizationId, invoiceId } = await openInvoice();
    const link = await createPaymentLink(database.db, { organizationId, invoiceId, actor, now: new Date(Date.now() - 31 * 86_400_000) });
    expect(await resolvePaymentLink(database.db, tokenOf(link.url))).toEqual({ ok: false, reason: "expired", organizationId });
    const fresh = await createPaymentLink(database.db, { organizationId, invoiceId, actor });
    const row = await database.db.paymentLink.findUniqueOrThrow({ where: { id: fresh.id } });
    const longToken = signPaymentLinkToken({ linkId: row.id, invoiceId, organizationId, expiresAt: row.expiresAt }, getPaymentLinkSecret());
    const [payload, signature] = longToken.split(".");
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, "base64url").toString()), e: 4_000_000_000 })).toString("base64url");
    expect(await resolvePaymentLink(database.db, `${forged}.${signature}`)).toEqual({ ok: false, reason: "invalid" });
  });

  it("only payable invoices get links; other organizations' invoices are not found", async () => {
    const { organizationId, invoiceId } = await openInvoice();
    const other = await createTestOrganization(database.db);
    await expect(createPaymentLink(database.db, { organizationId: other.organizationId, invoiceId, actor })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await voidInvoice(database.db, { organizationId, invoiceId, actor, input: { reason: "Entered twice" } });
    const error = await createPaymentLink(database.db, { organizationId, invoiceId, actor }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("CONFLICT");
  });

  it("short links resolve to their row: unknown, revoked and expired ones give the patient's link pages; old long links keep working", async () => {
    const { organizationId, invoiceId } = await openInvoice();
    const link = await createPaymentLink(database.db, { organizationId, invoiceId, actor });
    const shortId = tokenOf(link.url);
    expect(isShortId(shortId)).toBe(true);
    expect((await database.db.paymentLink.findUniqueOrThrow({ where: { id: link.id } })).shortId).toBe(shortId);
    expect(await resolvePaymentLink(database.db, shortId)).toMatchObject({ ok: true, linkId: link.id, invoiceId, organizationId });
    expect(await getPayPage(database.db, shortId)).toMatchObject({ kind: "payable", linkId: link.id });

    // A link made before short ids (no short id on its row) is still reached by its long signed token.
    const row = await database.db.paymentLink.update({ where: { id: link.id }, data: { shortId: null } });
    const longToken = signPaymentLinkToken({ linkId: row.id, invoiceId, organizationId, expiresAt: row.expiresAt }, getPaymentLinkSecret());
    expect(await resolvePaymentLink(database.db, longToken)).toMatchObject({ ok: true, linkId: link.id });
    expect((await getCurrentPaymentLink(database.db, { organizationId, invoiceId }))?.url).toBe(`http://localhost:3000/pay/${longToken}`);
    await database.db.paymentLink.update({ where: { id: link.id }, data: { shortId } });

    // Unknown: the invalid-link page, nothing looked up beyond the short id.
    expect(await getPayPage(database.db, newShortId())).toEqual({ kind: "problem", reason: "invalid", clinic: null });
    // Expired: the expired page.
    const expired = await createPaymentLink(database.db, { organizationId, invoiceId, actor, now: new Date(Date.now() - 31 * 86_400_000) });
    // Expired and revoked links are known to be the clinic's: their pages name it.
    expect(await getPayPage(database.db, tokenOf(expired.url))).toMatchObject({ kind: "problem", reason: "expired", clinic: { name: expect.any(String) } });
    // Revoked (replaced by the expired one above): the no-longer-active page.
    expect(await getPayPage(database.db, shortId)).toMatchObject({ kind: "problem", reason: "revoked", clinic: { name: expect.any(String) } });
  });

  it("short ids are 12 base62 characters from the CSPRNG, with no collisions in 5,000 draws", () => {
    const ids = Array.from({ length: 5_000 }, () => newShortId());
    expect(ids.every((id) => /^[0-9A-Za-z]{12}$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    // Every character of the alphabet turns up (no bias toward a subset).
    expect(new Set(ids.join("")).size).toBe(62);
    expect(isShortId("abc.def")).toBe(false);
  });
});
