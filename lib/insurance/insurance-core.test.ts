import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { AppError, type FieldErrors } from "@/lib/errors";
import { zodFieldErrors } from "@/lib/http/error-response";
import { createTestOrganization, createTestPatient, testActor } from "@/tests/factories";
import { createTestCoverage, createTestPayer, createTestRenderingProvider, PRACTICE_INPUT, VALID_NPIS } from "@/tests/insurance-factories";
import { setupTestDatabase } from "@/tests/test-database";
import { saveCoverageBenefits } from "./coverage-benefits";
import {
  archiveCoverage,
  findCoverageInForce,
  getCoverageOrThrow,
  listCoverageRevisions,
  listPatientCoverages,
  updateCoverage,
  type TCoverageInput,
} from "./coverages";
import { archivePayer, createPayer, getPayerOrThrow, listPayers, updatePayer } from "./payers";
import { getPracticeProfile, savePracticeProfile } from "./practice-profile";
import { archiveRenderingProvider, createRenderingProvider, listRenderingProviders, updateRenderingProvider } from "./rendering-providers";

const database = setupTestDatabase();
const actor = testActor(null, "Bea Biller");

/** The field errors a refused operation names (a zod parse or an AppError VALIDATION_FAILED); fails when it succeeds or fails otherwise. */
async function refusedFields(operation: Promise<unknown>): Promise<FieldErrors> {
  const error = await operation.then(
    () => null,
    (caught: unknown) => caught,
  );
  if (error instanceof ZodError) return zodFieldErrors(error);
  if (error instanceof AppError && error.code === "VALIDATION_FAILED") return error.fields ?? {};
  throw new Error(`expected a validation failure, got ${error === null ? "success" : String(error)}`);
}

async function errorCode(operation: Promise<unknown>): Promise<string> {
  const error = await operation.then(
    () => null,
    (caught: unknown) => caught,
  );
  if (error instanceof AppError) return error.code;
  throw new Error(`expected an AppError, got ${error === null ? "success" : String(error)}`);
}

async function setup() {
  const org = await createTestOrganization(database.db);
  const patient = await createTestPatient(database.db, { organizationId: org.organizationId, firstName: "Jamie", lastName: "Rivera" });
  return { org, organizationId: org.organizationId, patient };
}

describe("practice profile", () => {
  it("is null until saved, then saved and replaced (upsert), each save audited", async () => {
    const { organizationId } = await setup();
    expect(await getPracticeProfile(database.db, { organizationId })).toBeNull();
    const saved = await savePracticeProfile(database.db, { organizationId, actor, input: PRACTICE_INPUT });
    expect(saved).toMatchObject({
      legalName: "Riverside Family Medicine LLC",
      npi: VALID_NPIS.practice,
      ein: "123456789",
      taxonomyCode: "207Q00000X",
      address: { line1: "100 Main St", line2: null, city: "Portland", state: "OR", postalCode: "972011234" },
      contactPhone: "5035550100",
      defaultPlaceOfService: "11",
      providerSignatureOnFile: true,
    });
    const replaced = await savePracticeProfile(database.db, {
      organizationId,
      actor,
      input: { ...PRACTICE_INPUT, legalName: "Riverside Medicine", defaultPlaceOfService: "02", providerSignatureOnFile: false },
    });
    expect(replaced).toMatchObject({ legalName: "Riverside Medicine", defaultPlaceOfService: "02", providerSignatureOnFile: false });
    expect(await getPracticeProfile(database.db, { organizationId })).toEqual(replaced);
    expect(await database.db.practiceProfile.count({ where: { organizationId } })).toBe(1);
    const audits = await database.db.auditEvent.findMany({ where: { organizationId, targetType: "practice_profile" }, orderBy: { createdAt: "asc" } });
    expect(audits.map((event) => event.action)).toEqual(["practice_profile.created", "practice_profile.updated"]);
    expect(audits[1]!.after).toEqual({ changedFields: ["legalName", "defaultPlaceOfService", "providerSignatureOnFile"] });
  });

  it.each([
    ["npi", { npi: "1234567890" }, /check digit/],
    ["npi", { npi: "12345" }, /10 digits/],
    ["ein", { ein: "00-1234567" }, /No EIN starts with 00/],
    ["ein", { ein: "12345" }, /9 digits/],
    ["taxonomyCode", { taxonomyCode: "207Q00000" }, /10 characters/],
    ["taxonomyCode", { taxonomyCode: "207Q000001" }, /followed by X/],
    ["address.postalCode", { address: { ...PRACTICE_INPUT.address, postalCode: "97201" } }, /ZIP\+4/],
    ["address.state", { address: { ...PRACTICE_INPUT.address, state: "XX" } }, /two-letter code/],
    ["legalName", { legalName: "Riverside*Medicine" }, /separator/],
    ["address.line1", { address: { ...PRACTICE_INPUT.address, line1: "P.O. Box 12" } }, /PO box/],
  ])("refuses an invalid %s with that field named, and saves nothing", async (field, change, message) => {
    const { organizationId } = await setup();
    const fields = await refusedFields(savePracticeProfile(database.db, { organizationId, actor, input: { ...PRACTICE_INPUT, ...change } }));
    expect(Object.keys(fields)).toEqual([field]);
    expect(fields[field]!.join(" ")).toMatch(message);
    expect(await getPracticeProfile(database.db, { organizationId })).toBeNull();
  });

  it("names every bad field at once", async () => {
    const { organizationId } = await setup();
    const fields = await refusedFields(
      savePracticeProfile(database.db, {
        organizationId,
        actor,
        input: {
          ...PRACTICE_INPUT,
          npi: "1111111111",
          ein: "1",
          taxonomyCode: "x",
          address: { line1: "", city: "Portland", state: "Oregon", postalCode: "9720" },
        },
      }),
    );
    expect(Object.keys(fields).sort()).toEqual(["address.line1", "address.postalCode", "address.state", "ein", "npi", "taxonomyCode"]);
  });
});

describe("rendering providers", () => {
  it("adds, lists, edits and archives providers; an NPI once per clinic; 404 across clinics", async () => {
    const { organizationId } = await setup();
    const other = await createTestOrganization(database.db);
    const rosa = await createTestRenderingProvider(database.db, { organizationId, lastName: "Diaz" });
    const ali = await createRenderingProvider(database.db, {
      organizationId,
      actor,
      input: { firstName: "Ali", lastName: "Baker", npi: VALID_NPIS.providerOther, taxonomyCode: "" },
    });
    expect(ali).toMatchObject({ firstName: "Ali", lastName: "Baker", npi: VALID_NPIS.providerOther, taxonomyCode: null, archivedAt: null });
    expect((await listRenderingProviders(database.db, { organizationId })).map((provider) => provider.lastName)).toEqual(["Baker", "Diaz"]);

    const duplicate = await refusedFields(
      createRenderingProvider(database.db, { organizationId, actor, input: { firstName: "X", lastName: "Y", npi: VALID_NPIS.provider } }),
    );
    expect(duplicate).toEqual({ npi: ["Another rendering provider of this clinic already has this NPI."] });
    // Another clinic may have the same clinician.
    await createTestRenderingProvider(database.db, { organizationId: other.organizationId });

    const invalid = await refusedFields(
      updateRenderingProvider(database.db, {
        organizationId,
        actor,
        renderingProviderId: rosa.id,
        input: { firstName: "Rosa", lastName: "Diaz", npi: "1234567890", taxonomyCode: "BAD" },
      }),
    );
    expect(Object.keys(invalid).sort()).toEqual(["npi", "taxonomyCode"]);

    const edited = await updateRenderingProvider(database.db, {
      organizationId,
      actor,
      renderingProviderId: rosa.id,
      input: { firstName: "Rosa", lastName: "Diaz-Moreno", npi: VALID_NPIS.third, taxonomyCode: "208D00000X" },
    });
    expect(edited).toMatchObject({ lastName: "Diaz-Moreno", npi: VALID_NPIS.third, taxonomyCode: "208D00000X" });

    expect(await errorCode(archiveRenderingProvider(database.db, { organizationId: other.organizationId, actor, renderingProviderId: rosa.id }))).toBe(
      "NOT_FOUND",
    );
    expect(
      await errorCode(
        updateRenderingProvider(database.db, {
          organizationId: other.organizationId,
          actor,
          renderingProviderId: rosa.id,
          input: { firstName: "A", lastName: "B", npi: VALID_NPIS.provider },
        }),
      ),
    ).toBe("NOT_FOUND");
    const archived = await archiveRenderingProvider(database.db, { organizationId, actor, renderingProviderId: rosa.id });
    expect(archived.archivedAt).toEqual(expect.any(String));
    expect(await archiveRenderingProvider(database.db, { organizationId, actor, renderingProviderId: rosa.id })).toEqual(archived);
    expect((await listRenderingProviders(database.db, { organizationId })).map((provider) => provider.id)).toEqual([ali.id]);
    expect((await listRenderingProviders(database.db, { organizationId, includeArchived: true })).map((provider) => provider.id)).toEqual([ali.id, rosa.id]);
    const actions = await database.db.auditEvent.findMany({
      where: { organizationId, targetId: rosa.id },
      orderBy: { createdAt: "asc" },
      select: { action: true },
    });
    expect(actions.map((event) => event.action)).toEqual(["rendering_provider.created", "rendering_provider.updated", "rendering_provider.archived"]);
  });
});

describe("payers", () => {
  it("adds, searches, edits and archives payers; the clearinghouse payer id once per clinic; 404 across clinics", async () => {
    const { organizationId } = await setup();
    const other = await createTestOrganization(database.db);
    const aetna = await createTestPayer(database.db, { organizationId, name: "Aetna", payerId: "60054" });
    expect(aetna).toMatchObject({
      name: "Aetna",
      payerId: "60054",
      claimFilingIndicator: "CI",
      claimFilingIndicatorLabel: "Commercial insurance",
      address: null,
      coverageCount: 0,
    });
    const medicare = await createPayer(database.db, {
      organizationId,
      actor,
      input: {
        name: "Medicare Part B",
        payerId: "cms01",
        claimFilingIndicator: "MB",
        address: { line1: "PO Box 1", city: "Columbia", state: "sc", postalCode: "29202-3333" },
      },
    });
    expect(medicare).toMatchObject({ payerId: "CMS01", address: { line1: "PO Box 1", line2: null, city: "Columbia", state: "SC", postalCode: "292023333" } });

    expect(
      await refusedFields(createPayer(database.db, { organizationId, actor, input: { name: "Aetna again", payerId: "60054", claimFilingIndicator: "CI" } })),
    ).toEqual({
      payerId: ["Another payer of this clinic already has this payer id."],
    });
    await createTestPayer(database.db, { organizationId: other.organizationId, payerId: "60054" });

    const invalid = await refusedFields(
      createPayer(database.db, {
        organizationId,
        actor,
        input: { name: "", payerId: "60 054", claimFilingIndicator: "XX" as never, address: { line1: "1 Main", city: "Town", state: "ZZ", postalCode: "123" } },
      }),
    );
    expect(Object.keys(invalid).sort()).toEqual(["address.postalCode", "address.state", "claimFilingIndicator", "name", "payerId"]);

    expect((await listPayers(database.db, { organizationId, query: "medi" })).map((payer) => payer.name)).toEqual(["Medicare Part B"]);
    expect((await listPayers(database.db, { organizationId, query: "6005" })).map((payer) => payer.name)).toEqual(["Aetna"]);

    const renamed = await updatePayer(database.db, {
      organizationId,
      actor,
      payerId: aetna.id,
      input: { name: "Aetna Better Health", payerId: "60054", claimFilingIndicator: "HM" },
    });
    expect(renamed).toMatchObject({
      name: "Aetna Better Health",
      claimFilingIndicator: "HM",
      claimFilingIndicatorLabel: "Health maintenance organization (HMO)",
    });
    expect(
      await refusedFields(
        updatePayer(database.db, { organizationId, actor, payerId: aetna.id, input: { name: "Aetna", payerId: "CMS01", claimFilingIndicator: "CI" } }),
      ),
    ).toEqual({ payerId: ["Another payer of this clinic already has this payer id."] });

    expect(await errorCode(getPayerOrThrow(database.db, { organizationId: other.organizationId, payerId: aetna.id }))).toBe("NOT_FOUND");
    expect(await errorCode(archivePayer(database.db, { organizationId: other.organizationId, actor, payerId: aetna.id }))).toBe("NOT_FOUND");
    const archived = await archivePayer(database.db, { organizationId, actor, payerId: aetna.id });
    expect(archived.archivedAt).toEqual(expect.any(String));
    expect((await listPayers(database.db, { organizationId })).map((payer) => payer.id)).toEqual([medicare.id]);
    expect((await listPayers(database.db, { organizationId, includeArchived: true })).map((payer) => payer.id)).toEqual([medicare.id, aetna.id]);
  });
});

describe("coverages", () => {
  const dependent = (input: Partial<TCoverageInput> = {}): Partial<TCoverageInput> => ({
    relationshipCode: "19",
    subscriber: {
      firstName: "Morgan",
      lastName: "Rivera",
      birthDate: "1980-05-17",
      sex: "F",
      address: { line1: "9 Elm St", city: "Portland", state: "OR", postalCode: "97202" },
    },
    ...input,
  });

  it("adds a coverage with the patient as subscriber, or a dependent's with the subscriber; counts on the payer", async () => {
    const { organizationId, patient } = await setup();
    const payer = await createTestPayer(database.db, { organizationId });
    const self = await createTestCoverage(database.db, { organizationId, patientId: patient.id, payerId: payer.id });
    expect(self).toMatchObject({
      patientId: patient.id,
      payer: { id: payer.id, name: "Aetna", payerId: "60054" },
      priority: 1,
      priorityLabel: "Primary",
      memberId: "W123456789",
      groupNumber: "GRP-100",
      relationshipCode: "18",
      relationshipLabel: "Self",
      subscriber: null,
      effectiveFrom: "2026-01-01",
      effectiveTo: null,
      acceptsAssignment: "A",
      benefitsAssigned: "Y",
      currency: "USD",
      version: 1,
      archivedAt: null,
      latestEligibility: null,
      benefits: { copays: [], coinsuranceBasisPoints: null, verifiedAt: null, source: null },
    });
    const child = await createTestCoverage(database.db, {
      organizationId,
      patientId: patient.id,
      payerId: payer.id,
      input: dependent({ priority: 2, acceptsAssignment: "C", benefitsAssigned: "N" }),
    });
    expect(child).toMatchObject({
      priority: 2,
      priorityLabel: "Secondary",
      relationshipCode: "19",
      relationshipLabel: "Child",
      subscriber: {
        firstName: "Morgan",
        lastName: "Rivera",
        middleName: null,
        birthDate: "1980-05-17",
        sex: "F",
        address: { postalCode: "97202", state: "OR" },
      },
      acceptsAssignment: "C",
      benefitsAssigned: "N",
    });
    expect((await getPayerOrThrow(database.db, { organizationId, payerId: payer.id })).coverageCount).toBe(2);
  });

  it("refuses a subscriber without a birth date, a missing subscriber, a subscriber for self, and bad dates, naming each field", async () => {
    const { organizationId, patient } = await setup();
    const payer = await createTestPayer(database.db, { organizationId });
    const create = (input: Partial<TCoverageInput>) => createTestCoverage(database.db, { organizationId, patientId: patient.id, payerId: payer.id, input });

    const noBirthDate = await refusedFields(create(dependent({ subscriber: { firstName: "Morgan", lastName: "Rivera" } as never })));
    expect(noBirthDate).toEqual({ "subscriber.birthDate": ["Enter the subscriber's birth date."] });
    expect(Object.keys(await refusedFields(create(dependent({ subscriber: { firstName: "Morgan", lastName: "Rivera", birthDate: "2999-01-01" } }))))).toEqual([
      "subscriber.birthDate",
    ]);
    expect(await refusedFields(create({ relationshipCode: "01" }))).toEqual({
      subscriber: ["Enter the subscriber (name and birth date): the patient is not the insured person."],
    });
    expect(Object.keys(await refusedFields(create(dependent({ relationshipCode: "18" }))))).toEqual(["subscriber"]);
    expect(await refusedFields(create({ effectiveFrom: "2026-06-01", effectiveTo: "2026-05-31" }))).toEqual({
      effectiveTo: ["The end date cannot be before the start date."],
    });
    expect(
      Object.keys(await refusedFields(create({ priority: 4 as never, memberId: "", effectiveFrom: "2026-02-30", relationshipCode: "99" as never }))),
    ).toEqual(expect.arrayContaining(["priority", "memberId", "effectiveFrom", "relationshipCode"]));
    expect(await database.db.coverage.count({ where: { patientId: patient.id } })).toBe(0);
  });

  it("refuses two coverages of the same priority in force on the same day, naming the other one; other priorities and adjacent dates are fine", async () => {
    const { organizationId, patient } = await setup();
    const aetna = await createTestPayer(database.db, { organizationId, name: "Aetna" });
    const cigna = await createTestPayer(database.db, { organizationId, name: "Cigna", payerId: "62308" });
    const first = await createTestCoverage(database.db, { organizationId, patientId: patient.id, payerId: aetna.id, input: { effectiveFrom: "2026-01-01" } });

    const overlap = await refusedFields(
      createTestCoverage(database.db, { organizationId, patientId: patient.id, payerId: cigna.id, input: { effectiveFrom: "2026-03-01" } }),
    );
    expect(overlap).toEqual({ priority: ["Another primary coverage (Aetna, from 2026-01-01) is in force on these dates."] });
    const before = await refusedFields(
      createTestCoverage(database.db, {
        organizationId,
        patientId: patient.id,
        payerId: cigna.id,
        input: { effectiveFrom: "2025-01-01", effectiveTo: "2026-01-01" },
      }),
    );
    expect(before.priority).toHaveLength(1);

    // Secondary on the same dates is fine; a primary that ends the day before the first starts is too.
    await createTestCoverage(database.db, { organizationId, patientId: patient.id, payerId: cigna.id, input: { priority: 2 } });
    await createTestCoverage(database.db, {
      organizationId,
      patientId: patient.id,
      payerId: cigna.id,
      input: { effectiveFrom: "2025-01-01", effectiveTo: "2025-12-31" },
    });

    // Ending the first makes room for a new primary the next day, not the same day.
    await updateCoverage(database.db, {
      organizationId,
      actor,
      coverageId: first.id,
      input: { payerId: aetna.id, priority: 1, memberId: "W123456789", effectiveFrom: "2026-01-01", effectiveTo: "2026-06-30" },
    });
    const sameDay = await refusedFields(
      createTestCoverage(database.db, { organizationId, patientId: patient.id, payerId: cigna.id, input: { effectiveFrom: "2026-06-30" } }),
    );
    expect(sameDay).toEqual({ priority: ["Another primary coverage (Aetna, 2026-01-01 to 2026-06-30) is in force on these dates."] });
    const next = await createTestCoverage(database.db, { organizationId, patientId: patient.id, payerId: cigna.id, input: { effectiveFrom: "2026-07-01" } });

    // Moving an existing coverage onto another's dates is refused too.
    const moved = await refusedFields(
      updateCoverage(database.db, {
        organizationId,
        actor,
        coverageId: next.id,
        input: { payerId: cigna.id, priority: 1, memberId: "W123456789", effectiveFrom: "2026-06-01" },
      }),
    );
    expect(moved.priority).toEqual(["Another primary coverage (Aetna, 2026-01-01 to 2026-06-30) is in force on these dates."]);

    expect((await findCoverageInForce(database.db, { organizationId, patientId: patient.id, priority: 1, on: "2026-06-30" }))?.id).toBe(first.id);
    expect((await findCoverageInForce(database.db, { organizationId, patientId: patient.id, priority: 1, on: "2026-07-01" }))?.id).toBe(next.id);
    expect(await findCoverageInForce(database.db, { organizationId, patientId: patient.id, priority: 3, on: "2026-07-01" })).toBeNull();
  });

  it("serializes concurrent coverages of one patient: of two overlapping primaries added at once, exactly one is saved", async () => {
    const { organizationId, patient } = await setup();
    const aetna = await createTestPayer(database.db, { organizationId, name: "Aetna" });
    const cigna = await createTestPayer(database.db, { organizationId, name: "Cigna", payerId: "62308" });
    const results = await Promise.allSettled([
      createTestCoverage(database.db, { organizationId, patientId: patient.id, payerId: aetna.id, input: { effectiveFrom: "2026-01-01" } }),
      createTestCoverage(database.db, { organizationId, patientId: patient.id, payerId: cigna.id, input: { effectiveFrom: "2026-02-01" } }),
    ]);
    expect(results.map((result) => result.status).sort()).toEqual(["fulfilled", "rejected"]);
    const refusal = results.find((result): result is PromiseRejectedResult => result.status === "rejected")!.reason as AppError;
    expect(refusal.fields?.priority?.[0]).toMatch(/^Another primary coverage \((Aetna|Cigna), from 2026-0[12]-01\) is in force on these dates\.$/);
    expect(await database.db.coverage.count({ where: { patientId: patient.id } })).toBe(1);
  });

  it("refuses another clinic's payer (422 on payerId) or an archived one, and answers 404 for another clinic's patient or coverage", async () => {
    const { organizationId, patient } = await setup();
    const other = await setup();
    const theirPayer = await createTestPayer(database.db, { organizationId: other.organizationId });
    const payer = await createTestPayer(database.db, { organizationId });
    expect(await refusedFields(createTestCoverage(database.db, { organizationId, patientId: patient.id, payerId: theirPayer.id }))).toEqual({
      payerId: ["Choose one of the clinic's payers."],
    });
    const coverage = await createTestCoverage(database.db, { organizationId, patientId: patient.id, payerId: payer.id });
    await archivePayer(database.db, { organizationId, actor, payerId: payer.id });
    expect(await refusedFields(createTestCoverage(database.db, { organizationId, patientId: patient.id, payerId: payer.id, input: { priority: 2 } }))).toEqual({
      payerId: ["Aetna is archived and takes no new coverages."],
    });
    // The coverage that already names the archived payer can still be edited.
    const edited = await updateCoverage(database.db, {
      organizationId,
      actor,
      coverageId: coverage.id,
      input: { payerId: payer.id, priority: 1, memberId: "W999", effectiveFrom: "2026-01-01" },
    });
    expect(edited.memberId).toBe("W999");

    expect(await errorCode(createTestCoverage(database.db, { organizationId: other.organizationId, patientId: patient.id, payerId: theirPayer.id }))).toBe(
      "NOT_FOUND",
    );
    expect(await errorCode(getCoverageOrThrow(database.db, { organizationId: other.organizationId, coverageId: coverage.id }))).toBe("NOT_FOUND");
    expect(await errorCode(listPatientCoverages(database.db, { organizationId: other.organizationId, patientId: patient.id }))).toBe("NOT_FOUND");
    expect(await errorCode(listCoverageRevisions(database.db, { organizationId: other.organizationId, coverageId: coverage.id }))).toBe("NOT_FOUND");
    expect(await errorCode(archiveCoverage(database.db, { organizationId: other.organizationId, actor, coverageId: coverage.id }))).toBe("NOT_FOUND");
    expect(
      await errorCode(
        updateCoverage(database.db, {
          organizationId: other.organizationId,
          actor,
          coverageId: coverage.id,
          input: { payerId: theirPayer.id, priority: 1, memberId: "X", effectiveFrom: "2026-01-01" },
        }),
      ),
    ).toBe("NOT_FOUND");
    expect(
      await errorCode(
        saveCoverageBenefits(database.db, { organizationId: other.organizationId, actor, coverageId: coverage.id, input: { copays: [] }, source: "manual" }),
      ),
    ).toBe("NOT_FOUND");
    expect(await findCoverageInForce(database.db, { organizationId: other.organizationId, patientId: patient.id, priority: 1, on: "2026-03-01" })).toBeNull();
  });

  it("keeps every version: created, updated, ended, benefits verified, eligibility applied, archived — each with who and the fields after it", async () => {
    const { organizationId, patient } = await setup();
    const payer = await createTestPayer(database.db, { organizationId });
    const coverage = await createTestCoverage(database.db, { organizationId, patientId: patient.id, payerId: payer.id });
    const base = { payerId: payer.id, priority: 1, memberId: "W123456789", groupNumber: "GRP-100", effectiveFrom: "2026-01-01" } as const;
    await updateCoverage(database.db, { organizationId, actor, coverageId: coverage.id, input: { ...base, memberId: "W000000001" } });
    // Saving the same fields again is not a new version.
    expect((await updateCoverage(database.db, { organizationId, actor, coverageId: coverage.id, input: { ...base, memberId: "W000000001" } })).version).toBe(2);
    await updateCoverage(database.db, {
      organizationId,
      actor,
      coverageId: coverage.id,
      input: { ...base, memberId: "W000000001", effectiveTo: "2026-12-31" },
    });
    await saveCoverageBenefits(database.db, {
      organizationId,
      actor,
      coverageId: coverage.id,
      source: "manual",
      input: { copays: [{ visitType: "office", amount: 2500 }], coinsuranceBasisPoints: 2000, deductibleIndividual: 150000, deductibleIndividualMet: 40000 },
    });
    const verifiedAt = new Date("2026-03-02T15:00:00Z");
    await database.db.$transaction((tx) =>
      saveCoverageBenefits(tx, {
        organizationId,
        actor: testActor(null, "carebill (automatic)"),
        coverageId: coverage.id,
        source: "eligibility",
        verifiedAt,
        input: {
          copays: [{ visitType: "office", amount: 3000 }],
          deductibleIndividual: 150000,
          deductibleIndividualMet: 50000,
          outOfPocketMaxIndividual: 600000,
          outOfPocketMaxIndividualMet: 0,
        },
      }),
    );
    const archived = await archiveCoverage(database.db, { organizationId, actor, coverageId: coverage.id });
    expect(archived).toMatchObject({ version: 6, archivedAt: expect.any(String), memberId: "W000000001", effectiveTo: "2026-12-31" });
    expect(archived.benefits).toMatchObject({
      copays: [{ visitType: "office", label: "Office visit", amount: 3000 }],
      coinsuranceBasisPoints: null,
      deductibleIndividualMet: 50000,
      outOfPocketMaxIndividual: 600000,
      verifiedAt: verifiedAt.toISOString(),
      source: "eligibility",
    });

    const history = await listCoverageRevisions(database.db, { organizationId, coverageId: coverage.id });
    expect(history.map((revision) => [revision.version, revision.change, revision.actor])).toEqual([
      [6, "archived", "Bea Biller"],
      [5, "eligibility_applied", "carebill (automatic)"],
      [4, "benefits_verified", "Bea Biller"],
      [3, "ended", "Bea Biller"],
      [2, "updated", "Bea Biller"],
      [1, "created", "test"],
    ]);
    expect(history.at(-1)!.snapshot).toMatchObject({ memberId: "W123456789", effectiveTo: null, payerName: "Aetna", priority: 1, relationshipCode: "18" });
    expect(history[4]!.snapshot).toMatchObject({ memberId: "W000000001", effectiveTo: null });
    expect(history[3]!.snapshot).toMatchObject({ effectiveTo: "2026-12-31" });
    expect(history[2]!.snapshot).toMatchObject({ coinsuranceBasisPoints: 2000, deductibleIndividualMet: 40000, benefitsSource: "manual" });
    expect(history[1]!.snapshot).toMatchObject({ deductibleIndividualMet: 50000, benefitsSource: "eligibility", benefitsVerifiedAt: verifiedAt.toISOString() });
    expect(history[0]!.snapshot.archivedAt).toEqual(expect.any(String));

    // Archived: no more changes, out of the list, and it no longer blocks the dates.
    expect(await errorCode(updateCoverage(database.db, { organizationId, actor, coverageId: coverage.id, input: base }))).toBe("CONFLICT");
    expect(await errorCode(saveCoverageBenefits(database.db, { organizationId, actor, coverageId: coverage.id, input: {}, source: "manual" }))).toBe(
      "CONFLICT",
    );
    expect(await listPatientCoverages(database.db, { organizationId, patientId: patient.id })).toEqual([]);
    expect((await listPatientCoverages(database.db, { organizationId, patientId: patient.id, includeArchived: true })).map((view) => view.id)).toEqual([
      coverage.id,
    ]);
    await createTestCoverage(database.db, {
      organizationId,
      patientId: patient.id,
      payerId: (await createTestPayer(database.db, { organizationId, payerId: "62308", name: "Cigna" })).id,
    });
    const audits = await database.db.auditEvent.findMany({
      where: { organizationId, targetId: coverage.id },
      orderBy: { createdAt: "asc" },
      select: { action: true },
    });
    expect(audits.map((event) => event.action)).toEqual([
      "coverage.created",
      "coverage.updated",
      "coverage.ended",
      "coverage.benefits_verified",
      "coverage.eligibility_applied",
      "coverage.archived",
    ]);
  });

  it("lists in force first by priority, then future, then ended (latest end first)", async () => {
    const { organizationId, patient } = await setup();
    const payer = await createTestPayer(database.db, { organizationId });
    const create = (input: Partial<TCoverageInput>) => createTestCoverage(database.db, { organizationId, patientId: patient.id, payerId: payer.id, input });
    const endedLongAgo = await create({ effectiveFrom: "2020-01-01", effectiveTo: "2020-12-31" });
    const secondary = await create({ priority: 2, effectiveFrom: "2020-01-01" });
    const future = await create({ priority: 3, effectiveFrom: "2099-01-01" });
    const endedRecently = await create({ effectiveFrom: "2021-01-01", effectiveTo: "2021-12-31" });
    const primary = await create({ effectiveFrom: "2022-01-01" });
    const list = await listPatientCoverages(database.db, { organizationId, patientId: patient.id });
    expect(list.map((view) => view.id)).toEqual([primary.id, secondary.id, future.id, endedRecently.id, endedLongAgo.id]);
    expect(list.map((view) => view.inForce)).toEqual([true, true, false, false, false]);
  });
});

describe("coverage benefits", () => {
  it("refuses a met amount above its maximum or without one, a coinsurance over 100% and a visit type twice, naming each field", async () => {
    const { organizationId, patient } = await setup();
    const payer = await createTestPayer(database.db, { organizationId });
    const coverage = await createTestCoverage(database.db, { organizationId, patientId: patient.id, payerId: payer.id });
    const fields = await refusedFields(
      saveCoverageBenefits(database.db, {
        organizationId,
        actor,
        coverageId: coverage.id,
        source: "manual",
        input: {
          copays: [
            { visitType: "office", amount: 2500 },
            { visitType: "office", amount: 3000 },
            { visitType: "specialist", amount: -1 },
          ],
          coinsuranceBasisPoints: 12_000,
          deductibleIndividual: 100000,
          deductibleIndividualMet: 100001,
          deductibleFamilyMet: 5000,
          outOfPocketMaxFamily: 500000,
          outOfPocketMaxFamilyMet: 500000,
        },
      }),
    );
    expect(fields).toEqual({
      "copays.1.visitType": ["There is already a co-pay for office visit."],
      "copays.2.amount": ["A co-pay cannot be negative."],
      coinsuranceBasisPoints: ["Coinsurance is at most 100% (10000)."],
      deductibleIndividualMet: ["The amount met cannot be more than the individual deductible."],
      deductibleFamilyMet: ["Enter the family deductible too, or leave the amount met empty."],
    });
    const unchanged = await getCoverageOrThrow(database.db, { organizationId, coverageId: coverage.id });
    expect(unchanged.version).toBe(1);
    expect(unchanged.benefits.verifiedAt).toBeNull();
  });

  it("replaces the benefits and records when and how they were verified", async () => {
    const { organizationId, patient } = await setup();
    const payer = await createTestPayer(database.db, { organizationId });
    const coverage = await createTestCoverage(database.db, { organizationId, patientId: patient.id, payerId: payer.id });
    const started = Date.now();
    const saved = await saveCoverageBenefits(database.db, {
      organizationId,
      actor,
      coverageId: coverage.id,
      source: "manual",
      input: {
        copays: [
          { visitType: "office", amount: 2500 },
          { visitType: "other", label: "Chiropractic", amount: 4000 },
        ],
        coinsuranceBasisPoints: 2000,
        deductibleIndividual: 150000,
        deductibleIndividualMet: 150000,
        deductibleFamily: 300000,
        deductibleFamilyMet: 0,
      },
    });
    expect(saved.benefits).toMatchObject({
      copays: [
        { visitType: "office", label: "Office visit", amount: 2500 },
        { visitType: "other", label: "Chiropractic", amount: 4000 },
      ],
      coinsuranceBasisPoints: 2000,
      deductibleIndividual: 150000,
      deductibleIndividualMet: 150000,
      deductibleFamily: 300000,
      deductibleFamilyMet: 0,
      outOfPocketMaxIndividual: null,
      source: "manual",
    });
    expect(Date.parse(saved.benefits.verifiedAt!)).toBeGreaterThanOrEqual(started - 1000);
    expect(saved.version).toBe(2);
  });
});
