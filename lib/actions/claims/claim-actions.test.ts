import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Role } from "@/lib/auth/roles";
import { createCoverage } from "@/lib/insurance/coverages";
import { createPayer } from "@/lib/insurance/payers";
import { addTestMember, createTestOrganization, createTestPatient, testActor } from "@/tests/factories";
import { setupTestDatabase } from "@/tests/test-database";

/**
 * The claims pages' server actions through the real session check (the membership's role in the
 * database) and the real claims operations on PostgreSQL; only next-auth's cookie reading and
 * Next's request scope are stood in for.
 */
const claims = vi.hoisted(() => ({ current: null as { userId: string; sessionId: string } | null }));
vi.mock("next-auth", () => ({ getServerSession: async () => claims.current }));
vi.mock("next/headers", () => ({ headers: async () => new Headers({ "x-request-id": "claims-actions-test" }) }));
vi.mock("next/server", async (importOriginal) => ({ ...(await importOriginal<typeof import("next/server")>()), connection: async () => undefined }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));
vi.mock("@/lib/db/client", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/db/client")>()),
  getDb: async () => database.db,
}));

const { recordVisitAction } = await import("./visit-actions");
const { createClaimAction, validateClaimAction } = await import("./claim-actions");
const { submitClaimsAction } = await import("./submit-claims");
const { importClearinghouseFileAction } = await import("./import-clearinghouse-file");

const database = setupTestDatabase();

async function clinicWith(role: Role) {
  const org = await createTestOrganization(database.db);
  const userId = role === "admin" ? org.adminUserId : (await addTestMember(database.db, { organizationId: org.organizationId, role })).userId;
  const session = await database.db.userSession.create({ data: { userId, organizationId: org.organizationId, expiresAt: new Date(Date.now() + 3_600_000) } });
  claims.current = { userId, sessionId: session.id };
  const patient = await createTestPatient(database.db, { organizationId: org.organizationId });
  return { ...org, patientId: patient.id };
}

const VISIT = {
  serviceDate: "2026-03-02",
  placeOfService: "11",
  diagnoses: ["E11.9", "I10"],
  charges: [{ procedureCode: "99213", modifiers: [], units: 1, chargeAmount: 13_500, diagnosisPointers: [1, 2] }],
};

beforeEach(() => {
  claims.current = null;
});

describe("claims actions", () => {
  it("a viewer cannot record a visit; nothing is written", async () => {
    const org = await clinicWith("viewer");
    const result = await recordVisitAction({ patientId: org.patientId, ...VISIT });
    expect(result).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    expect(await database.db.visit.count({ where: { organizationId: org.organizationId } })).toBe(0);
  });

  it("a bad code, then a pointer to no diagnosis, come back on the form's fields, and nothing is written", async () => {
    const org = await clinicWith("billing");
    const badCode = await recordVisitAction({ patientId: org.patientId, ...VISIT, diagnoses: ["E11.9", "250.00"] });
    if (badCode.ok) throw new Error("expected a refusal");
    expect(badCode.error.code).toBe("VALIDATION_FAILED");
    expect(badCode.error.fields).toEqual({ "diagnoses.1": [expect.stringMatching(/ICD-9/)] });

    const badPointer = await recordVisitAction({ patientId: org.patientId, ...VISIT, charges: [{ ...VISIT.charges[0]!, diagnosisPointers: [1, 3] }] });
    if (badPointer.ok) throw new Error("expected a refusal");
    // The form puts "charges.0.diagnosisPointers…" on line 1's pointer chips.
    expect(Object.keys(badPointer.error.fields ?? {})).toEqual([expect.stringMatching(/^charges\.0\.diagnosisPointers(\.1)?$/)]);
    expect(await database.db.visit.count({ where: { organizationId: org.organizationId } })).toBe(0);
  });

  it("billing staff record a visit, are told in words when no coverage is in force, then create and validate its claim", async () => {
    const org = await clinicWith("billing");
    const recorded = await recordVisitAction({ patientId: org.patientId, ...VISIT });
    if (!recorded.ok) throw new Error(JSON.stringify(recorded.error));
    const visitId = recorded.data.id;

    const refused = await createClaimAction({ visitId });
    if (refused.ok) throw new Error("expected a refusal without coverage");
    expect(
      Object.values(refused.error.fields ?? {})
        .flat()
        .join(" ") + refused.error.message,
    ).toMatch(/coverage/i);
    expect(await database.db.claim.count({ where: { organizationId: org.organizationId } })).toBe(0);

    const actor = testActor();
    const payer = await createPayer(database.db, {
      organizationId: org.organizationId,
      actor,
      input: { name: "Aetna", payerId: "60054", claimFilingIndicator: "CI" },
    });
    await createCoverage(database.db, {
      organizationId: org.organizationId,
      actor,
      patientId: org.patientId,
      input: { payerId: payer.id, priority: 1, memberId: "W123", relationshipCode: "18", effectiveFrom: "2026-01-01" },
    });
    const created = await createClaimAction({ visitId });
    if (!created.ok) throw new Error(JSON.stringify(created.error));
    expect(created.data.displayNumber).toMatch(/^CLM-\d{6}$/);

    // No practice profile yet: validation names it in words (the page links "practice.*" to Settings → Practice).
    const validated = await validateClaimAction({ claimId: created.data.id });
    if (!validated.ok) throw new Error(JSON.stringify(validated.error));
    expect(validated.data.status).toBe("draft");
    const npi = validated.data.problems.find((problem) => problem.path === "practice.npi");
    expect(npi?.message).toMatch(/no NPI/);

    // A draft is not submitted, and without clearinghouse settings the action says what to set up first.
    const submitted = await submitClaimsAction({ claimIds: [created.data.id] });
    expect(submitted).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED", fields: { claimIds: [expect.stringMatching(/clearinghouse/)] } } });
    expect(await database.db.claimBatch.count({ where: { organizationId: org.organizationId } })).toBe(0);
  });

  it("a malformed clearinghouse file is refused with a message and nothing is stored", async () => {
    const org = await clinicWith("billing");
    const result = await importClearinghouseFileAction({ fileName: "junk.txt", content: "not an X12 file" });
    expect(result).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED" } });
    expect(await database.db.clearinghouseFile.count({ where: { organizationId: org.organizationId } })).toBe(0);
  });
});
