import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Role } from "@/lib/auth/roles";
import { addTestMember, createTestOpenInvoice, createTestOrganization, createTestPatient } from "@/tests/factories";
import { setupTestDatabase } from "@/tests/test-database";

/**
 * "Collect estimate" on the visit page sends the front-desk payment action a prepayment, through
 * the real session check: billing staff and admins collect it into the patient's credit, a viewer
 * cannot, and refusals come back with the field they are about.
 */
const claims = vi.hoisted(() => ({ current: null as { userId: string; sessionId: string } | null }));
vi.mock("next-auth", () => ({ getServerSession: async () => claims.current }));
vi.mock("next/headers", () => ({ headers: async () => new Headers({ "x-request-id": "prepayment-test", "user-agent": "Mozilla/5.0 (Desk test)" }) }));
vi.mock("next/server", async (importOriginal) => ({ ...(await importOriginal<typeof import("next/server")>()), connection: async () => undefined }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));
vi.mock("@/lib/email/request-email-delivery", () => ({ requestEmailDelivery: async () => undefined }));
vi.mock("@/lib/db/client", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/db/client")>()),
  getDb: async () => database.db,
}));

const { recordManualPaymentAction } = await import("./record-manual-payment");

const database = setupTestDatabase();

beforeEach(() => {
  claims.current = null;
});

async function deskAs(role: Role) {
  const org = await createTestOrganization(database.db);
  const patient = await createTestPatient(database.db, { organizationId: org.organizationId });
  const member = await addTestMember(database.db, { organizationId: org.organizationId, role });
  const session = await database.db.userSession.create({
    data: { userId: member.userId, organizationId: org.organizationId, expiresAt: new Date(Date.now() + 3_600_000) },
  });
  claims.current = { userId: member.userId, sessionId: session.id };
  return { organizationId: org.organizationId, patient };
}

const creditOf = async (patientId: string) =>
  (await database.db.patientCreditBalance.findUnique({ where: { patientId_currency: { patientId, currency: "USD" } } }))?.balance ?? 0;

describe("Collect estimate", () => {
  it("billing staff collect a prepayment into the patient's credit, leaving open invoices alone", async () => {
    const desk = await deskAs("billing");
    const open = await createTestOpenInvoice(database.db, { organizationId: desk.organizationId, patientId: desk.patient.id, total: 9_000 });
    const result = await recordManualPaymentAction({ patientId: desk.patient.id, method: "card_terminal", amount: 2_500, currency: "USD", prepayment: true });
    expect(result).toEqual({ ok: true, data: { id: expect.any(String) } });
    expect(await creditOf(desk.patient.id)).toBe(2_500);
    expect(await database.db.invoice.findUniqueOrThrow({ where: { id: open.id }, select: { amountDue: true } })).toEqual({ amountDue: 9_000 });
  });

  it("answers a missing check number on its field", async () => {
    const desk = await deskAs("admin");
    const result = await recordManualPaymentAction({ patientId: desk.patient.id, method: "check", amount: 2_500, prepayment: true });
    expect(result).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED", fields: { reference: ["Enter the check number."] } } });
    expect(await creditOf(desk.patient.id)).toBe(0);
  });

  it("a viewer cannot collect", async () => {
    const desk = await deskAs("viewer");
    const result = await recordManualPaymentAction({ patientId: desk.patient.id, method: "cash", amount: 2_500, prepayment: true });
    expect(result).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    expect(await creditOf(desk.patient.id)).toBe(0);
  });
});
