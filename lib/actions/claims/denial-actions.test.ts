import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Role } from "@/lib/auth/roles";
import { addDays, todayIn } from "@/lib/invoices/dates";
import { addTestMember } from "@/tests/factories";
import { createTestBillingClinic } from "@/tests/insurance-fixtures";
import { importTest835, submitTestClaim, usualTest835Claim } from "@/tests/remittance-files";
import { setupTestDatabase } from "@/tests/test-database";

/**
 * The denial and unmatched queues' server actions through the real session check (the membership's
 * role in the database) and the real operations on PostgreSQL; only next-auth's cookie reading and
 * Next's request scope are stood in for.
 */
const session = vi.hoisted(() => ({ current: null as { userId: string; sessionId: string } | null }));
vi.mock("next-auth", () => ({ getServerSession: async () => session.current }));
vi.mock("next/headers", () => ({ headers: async () => new Headers({ "x-request-id": "denial-actions-test" }) }));
vi.mock("next/server", async (importOriginal) => ({ ...(await importOriginal<typeof import("next/server")>()), connection: async () => undefined }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));
vi.mock("@/lib/db/client", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/db/client")>()),
  getDb: async () => database.db,
}));

const { addAppealNoteAction, billDenialToPatientAction, matchClaimPaymentAction, writeOffDenialAction } = await import("./denial-actions");

const database = setupTestDatabase();
const SERVICE_DATE = addDays(todayIn("America/New_York"), -3);

/** A clinic with a claim denied CO-29 and a payment whose CLP01 is not ours, signed in with `role`. */
async function clinicAs(role: Role) {
  const c = await createTestBillingClinic(database.db);
  const { claim } = await submitTestClaim(database.db, c, SERVICE_DATE);
  await database.db.$executeRaw`UPDATE claims SET status = 'accepted' WHERE id = ${claim.id}::uuid`;
  const lines = [
    { code: "99213", modifiers: ["25"], charge: 15_000, paid: 0, date: SERVICE_DATE, adjustments: [{ group: "CO" as const, reason: "29", amount: 15_000 }] },
    { code: "36415", charge: 2_500, paid: 0, date: SERVICE_DATE, adjustments: [{ group: "CO" as const, reason: "29", amount: 2_500 }] },
  ];
  await importTest835(database.db, c, [
    { number: claim.displayNumber, status: "4", charge: 17_500, paid: 0, patient: 0, lines },
    { number: "SOMEONE-ELSE", status: "4", charge: 17_500, paid: 0, patient: 0, lines },
  ]);
  const userId = role === "admin" ? c.adminUserId : (await addTestMember(database.db, { organizationId: c.organizationId, role })).userId;
  const row = await database.db.userSession.create({ data: { userId, organizationId: c.organizationId, expiresAt: new Date(Date.now() + 3_600_000) } });
  session.current = { userId, sessionId: row.id };
  const unmatched = await database.db.remittanceClaim.findFirstOrThrow({ where: { organizationId: c.organizationId, status: "unmatched" } });
  return { c, claim, unmatchedId: unmatched.id };
}

beforeEach(() => {
  session.current = null;
});

describe("denial queue actions", () => {
  it("a viewer reads but cannot write off, note, bill or match; nothing is written", async () => {
    const { claim, unmatchedId } = await clinicAs("viewer");
    const forbidden = { ok: false, error: { code: "FORBIDDEN" } };
    expect(await writeOffDenialAction({ claimId: claim.id, reason: "Filed late" })).toMatchObject(forbidden);
    expect(await addAppealNoteAction({ claimId: claim.id, note: "Appealed by fax" })).toMatchObject(forbidden);
    expect(await billDenialToPatientAction({ claimId: claim.id })).toMatchObject(forbidden);
    expect(await matchClaimPaymentAction({ remittanceClaimId: unmatchedId, claimNumber: claim.displayNumber })).toMatchObject(forbidden);
    expect(await database.db.claim.findUniqueOrThrow({ where: { id: claim.id }, select: { status: true, insuranceBalance: true } })).toEqual({
      status: "denied",
      insuranceBalance: 17_500,
    });
    expect(await database.db.claimEvent.count({ where: { claimId: claim.id, kind: "appeal_note" } })).toBe(0);
    expect(await database.db.remittanceClaim.findUniqueOrThrow({ where: { id: unmatchedId }, select: { status: true } })).toEqual({ status: "unmatched" });
  });

  it("billing staff: a short note comes back on its field, billing the patient for CO is refused in words, the write-off closes the claim", async () => {
    const { claim } = await clinicAs("billing");
    expect(await addAppealNoteAction({ claimId: claim.id, note: "x" })).toMatchObject({
      ok: false,
      error: { code: "VALIDATION_FAILED", fields: { note: ["Write the note (at least 3 characters)."] } },
    });
    expect(await addAppealNoteAction({ claimId: claim.id, note: "Appealed by fax on 12/05" })).toEqual({ ok: true, data: { claimId: claim.id } });
    expect(await billDenialToPatientAction({ claimId: claim.id })).toMatchObject({
      ok: false,
      error: { code: "CONFLICT", message: expect.stringMatching(/CO-29/) },
    });
    expect(await writeOffDenialAction({ claimId: claim.id, reason: "Filed late" })).toEqual({
      ok: true,
      data: { message: `${claim.displayNumber}: $175.00 written off; the claim is closed.` },
    });
  });

  it("matching by hand: a number that is no claim comes back on the field; the right number matches and posts", async () => {
    const { claim, unmatchedId } = await clinicAs("admin");
    expect(await matchClaimPaymentAction({ remittanceClaimId: unmatchedId, claimNumber: "CLM-424242" })).toMatchObject({
      ok: false,
      error: { code: "VALIDATION_FAILED", fields: { claimNumber: ["CLM-424242 is not a claim of this clinic."] } },
    });
    // The claim is already denied by the first payment: the second (the same denial) is posted as a duplicate.
    const result = await matchClaimPaymentAction({ remittanceClaimId: unmatchedId, claimNumber: claim.displayNumber });
    expect(result).toMatchObject({
      ok: true,
      data: { outcome: "posted", claimId: claim.id, message: expect.stringMatching(/this claim payment was posted before .+ nothing was posted again\.$/) },
    });
  });

  it("matching by hand a payment for another patient's name: refused on the confirmation until staff tick it, then posted", async () => {
    const { c } = await clinicAs("billing");
    const { claim } = await submitTestClaim(database.db, c, SERVICE_DATE);
    await database.db.$executeRaw`UPDATE claims SET status = 'accepted' WHERE id = ${claim.id}::uuid`;
    await importTest835(database.db, c, [{ ...usualTest835Claim(claim.displayNumber, SERVICE_DATE), patientName: { lastName: "SMITH", firstName: "ROBERT" } }]);
    const row = await database.db.remittanceClaim.findFirstOrThrow({ where: { organizationId: c.organizationId, patientControlNumber: claim.displayNumber } });
    expect(row).toMatchObject({ status: "unmatched", unmatchedReason: expect.stringMatching(/^Patient name mismatch: /) });
    expect(await matchClaimPaymentAction({ remittanceClaimId: row.id, claimNumber: claim.displayNumber })).toMatchObject({
      ok: false,
      error: {
        code: "CONFLICT",
        fields: {
          confirmNameMismatch: [`The payer's patient is SMITH, ROBERT, but ${claim.displayNumber} is for JANE DOE. Confirm it is the same person to match it.`],
        },
      },
    });
    expect(await matchClaimPaymentAction({ remittanceClaimId: row.id, claimNumber: claim.displayNumber, confirmNameMismatch: true })).toMatchObject({
      ok: true,
      data: { outcome: "posted", claimId: claim.id },
    });
  });
});
