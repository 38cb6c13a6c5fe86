import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Role } from "@/lib/auth/roles";
import { getClaimOrThrow } from "@/lib/claims/list-claims";
import { addDays, todayIn } from "@/lib/invoices/dates";
import { addTestMember } from "@/tests/factories";
import { createTestPayer, createTestSelfCoverage, createTestBillingClinic } from "@/tests/insurance-fixtures";
import { importTest835, submitTestClaim, usualTest835Claim } from "@/tests/remittance-files";
import { setupTestDatabase } from "@/tests/test-database";

/**
 * The claim page's "Create secondary claim" server action through the real session check and the
 * real operations on PostgreSQL; only next-auth's cookie reading and Next's request scope are stood in for.
 */
const session = vi.hoisted(() => ({ current: null as { userId: string; sessionId: string } | null }));
vi.mock("next-auth", () => ({ getServerSession: async () => session.current }));
vi.mock("next/headers", () => ({ headers: async () => new Headers({ "x-request-id": "secondary-claim-action-test" }) }));
vi.mock("next/server", async (importOriginal) => ({ ...(await importOriginal<typeof import("next/server")>()), connection: async () => undefined }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));
vi.mock("@/lib/db/client", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/db/client")>()),
  getDb: async () => database.db,
}));

const { createSecondaryClaimAction } = await import("./claim-actions");

const database = setupTestDatabase();
const SERVICE_DATE = addDays(todayIn("America/New_York"), -3);

/** A clinic whose primary claim's remittance is posted (the patient had no secondary coverage then), signed in with `role`. */
async function postedPrimaryAs(role: Role) {
  const c = await createTestBillingClinic(database.db);
  const { claim } = await submitTestClaim(database.db, c, SERVICE_DATE);
  await importTest835(database.db, c, [usualTest835Claim(claim.displayNumber, SERVICE_DATE)]);
  const userId = role === "admin" ? c.adminUserId : (await addTestMember(database.db, { organizationId: c.organizationId, role })).userId;
  const row = await database.db.userSession.create({ data: { userId, organizationId: c.organizationId, expiresAt: new Date(Date.now() + 3_600_000) } });
  session.current = { userId, sessionId: row.id };
  const addSecondaryCoverage = async () => {
    const payer = await createTestPayer(database.db, { organizationId: c.organizationId, name: "EXAMPLE SECONDARY PLAN" });
    return createTestSelfCoverage(database.db, { organizationId: c.organizationId, patientId: c.patient.id, payerId: payer.id, priority: 2 });
  };
  return { c, claim, addSecondaryCoverage };
}

const laterClaimCount = (claimId: string) => database.db.claim.count({ where: { priorClaimId: claimId } });

beforeEach(() => {
  session.current = null;
});

describe("createSecondaryClaimAction", () => {
  it("a viewer cannot create it; nothing is written", async () => {
    const { claim, addSecondaryCoverage } = await postedPrimaryAs("viewer");
    await addSecondaryCoverage();
    expect(await createSecondaryClaimAction({ claimId: claim.id })).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    expect(await laterClaimCount(claim.id)).toBe(0);
  });

  it("billing staff: refused in words without a secondary coverage; created once there is one, linked both ways and audited; refused the second time", async () => {
    const { c, claim, addSecondaryCoverage } = await postedPrimaryAs("billing");
    expect(await laterClaimCount(claim.id)).toBe(0);

    expect(await createSecondaryClaimAction({ claimId: claim.id })).toEqual({
      ok: false,
      error: expect.objectContaining({
        code: "VALIDATION_FAILED",
        message: `The patient has no secondary coverage in force on ${SERVICE_DATE}, the first date of service of ${claim.displayNumber}.`,
      }),
    });
    expect(await laterClaimCount(claim.id)).toBe(0);

    const coverage = await addSecondaryCoverage();
    const created = await createSecondaryClaimAction({ claimId: claim.id });
    expect(created).toMatchObject({ ok: true, data: { displayNumber: expect.stringMatching(/^CLM-\d{6}$/) } });
    const secondaryId = (created as { data: { id: string } }).data.id;
    const secondary = await getClaimOrThrow(database.db, { organizationId: c.organizationId, claimId: secondaryId });
    expect(secondary).toMatchObject({
      status: "draft",
      coverageId: coverage.id,
      priority: 2,
      payer: { name: "EXAMPLE SECONDARY PLAN" },
      totalCharge: 17_500,
      priorClaim: { id: claim.id, displayNumber: claim.displayNumber },
      laterClaims: [],
    });
    const primary = await getClaimOrThrow(database.db, { organizationId: c.organizationId, claimId: claim.id });
    expect(primary.priorClaim).toBeNull();
    expect(primary.laterClaims).toEqual([{ id: secondaryId, number: secondary.number, displayNumber: secondary.displayNumber, status: "draft" }]);
    const audit = await database.db.auditEvent.findFirstOrThrow({ where: { organizationId: c.organizationId, action: "claim.secondary_claim_created" } });
    expect(audit).toMatchObject({ targetType: "claim", targetId: claim.id, after: { claimId: secondaryId } });
    expect(audit.actorUserId).toBe(session.current!.userId);

    expect(await createSecondaryClaimAction({ claimId: claim.id })).toEqual({
      ok: false,
      error: expect.objectContaining({
        code: "CONFLICT",
        message: `Claim ${secondary.displayNumber} (draft) already carries the adjudication of ${claim.displayNumber} to the next payer.`,
      }),
    });
    expect(await laterClaimCount(claim.id)).toBe(1);
  });

  it("a claim not posted yet, another clinic's claim, and a malformed id are refused", async () => {
    const { c, claim, addSecondaryCoverage } = await postedPrimaryAs("admin");
    await addSecondaryCoverage();
    const { claim: unposted } = await submitTestClaim(database.db, c, SERVICE_DATE);
    expect(await createSecondaryClaimAction({ claimId: unposted.id })).toMatchObject({
      ok: false,
      error: { code: "CONFLICT", message: expect.stringMatching(/^The primary payer's remittance for CLM-\d{6} \(EXAMPLE HEALTH PLAN\) is not posted yet/) },
    });
    const other = await createTestBillingClinic(database.db);
    const { claim: theirs } = await submitTestClaim(database.db, other, SERVICE_DATE);
    expect(await createSecondaryClaimAction({ claimId: theirs.id })).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
    expect(await createSecondaryClaimAction({ claimId: "nope" })).toMatchObject({
      ok: false,
      error: { code: "VALIDATION_FAILED", fields: { claimId: ["Unknown claim."] } },
    });
    expect(await laterClaimCount(claim.id)).toBe(0);
    expect(await database.db.claim.count({ where: { organizationId: c.organizationId, priorClaimId: { not: null } } })).toBe(0);
  });
});
