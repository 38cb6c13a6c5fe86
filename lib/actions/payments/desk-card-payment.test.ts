import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Role } from "@/lib/auth/roles";
import { confirmCard, createOpenInvoice } from "@/tests/card-payments";
import { addTestMember } from "@/tests/factories";
import { startTestStripe, type TestStripe } from "@/tests/stripe";
import { setupTestDatabase } from "@/tests/test-database";

/**
 * "Pay with card" through the real session check (lib/auth/session.ts → the membership's role in
 * the database) and the real Stripe SDK against the emulator: billing staff and admins take the
 * card, a viewer cannot start anything.
 */
const claims = vi.hoisted(() => ({ current: null as { userId: string; sessionId: string } | null }));
const stripeHolder = vi.hoisted(() => ({ current: null as TestStripe | null }));
vi.mock("next-auth", () => ({ getServerSession: async () => claims.current }));
vi.mock("next/headers", () => ({ headers: async () => new Headers({ "x-request-id": "desk-card-test", "user-agent": "Mozilla/5.0 (Desk test)" }) }));
vi.mock("next/server", async (importOriginal) => ({ ...(await importOriginal<typeof import("next/server")>()), connection: async () => undefined }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));
vi.mock("@/lib/email/request-email-delivery", () => ({ requestEmailDelivery: async () => undefined }));
vi.mock("@/lib/stripe/get-stripe", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/stripe/get-stripe")>()),
  getStripe: () => stripeHolder.current!.stripe,
}));
vi.mock("@/lib/db/client", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/db/client")>()),
  getDb: async () => database.db,
}));

const { startDeskCardPaymentAction, completeDeskCardPaymentAction } = await import("./desk-card-payment");

const database = setupTestDatabase();

beforeAll(async () => {
  stripeHolder.current = await startTestStripe();
});
afterAll(async () => {
  await stripeHolder.current?.close();
});
beforeEach(() => {
  claims.current = null;
});

async function deskAs(role: Role) {
  const open = await createOpenInvoice(database.db);
  const member = await addTestMember(database.db, { organizationId: open.organizationId, role });
  const session = await database.db.userSession.create({
    data: { userId: member.userId, organizationId: open.organizationId, expiresAt: new Date(Date.now() + 3_600_000) },
  });
  claims.current = { userId: member.userId, sessionId: session.id };
  return { ...open, userId: member.userId };
}

describe("Pay with card actions", () => {
  it("billing staff take the card and save it: the consent names them and the browser, the card is on file", async () => {
    const desk = await deskAs("billing");
    const started = await startDeskCardPaymentAction({ invoiceId: desk.invoiceId, amount: 12_000, saveCard: true });
    if (!started.ok) throw new Error(started.error.message);
    const consent = await database.db.paymentConsent.findFirstOrThrow({ where: { patientId: desk.patient.id } });
    expect(consent).toMatchObject({ acceptedBy: "staff_on_behalf", acceptedByUserId: desk.userId, userAgent: "Mozilla/5.0 (Desk test)" });
    const payment = await database.db.payment.findUniqueOrThrow({ where: { id: started.data.paymentId } });
    await confirmCard(stripeHolder.current!.stripe, payment.stripePaymentIntentId!, "pm_card_visa");
    const completed = await completeDeskCardPaymentAction({ paymentId: started.data.paymentId });
    expect(completed).toMatchObject({ ok: true, data: { status: "succeeded", savedCard: { brand: "visa", last4: "4242" } } });
    expect(await database.db.savedPaymentMethod.findFirstOrThrow({ where: { patientId: desk.patient.id } })).toMatchObject({
      source: "front_desk",
      consentId: consent.id,
    });
  });

  it("an amount above the balance comes back as a field message, nothing written", async () => {
    const desk = await deskAs("billing");
    const result = await startDeskCardPaymentAction({ invoiceId: desk.invoiceId, amount: 99_999, saveCard: true });
    expect(result).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED", fields: { amount: ["Pay at most what is still owed ($120.00)."] } } });
    expect(await database.db.payment.count({ where: { invoiceId: desk.invoiceId } })).toBe(0);
    expect(await database.db.paymentConsent.count({ where: { patientId: desk.patient.id } })).toBe(0);
  });

  it("a viewer can neither start nor complete a desk card payment", async () => {
    const desk = await deskAs("viewer");
    expect(await startDeskCardPaymentAction({ invoiceId: desk.invoiceId, saveCard: true })).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    expect(await completeDeskCardPaymentAction({ paymentId: desk.invoiceId })).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    expect(await database.db.payment.count({ where: { invoiceId: desk.invoiceId } })).toBe(0);
    expect(await database.db.paymentConsent.count({ where: { patientId: desk.patient.id } })).toBe(0);
  });
});
