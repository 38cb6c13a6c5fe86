import { X12Interchange, X12Parser } from "node-x12";
import { describe, expect, it } from "vitest";
import { createDb, type Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { toAppError } from "@/lib/http/error-response";
import { todayIn, addDays } from "@/lib/invoices/dates";
import { checkStructure } from "@/lib/x12/check-structure";
import { readX12 } from "@/lib/x12/read-x12";
import { createTestOrganization, testActor } from "@/tests/factories";
import {
  createTest277File,
  createTestDependentCoverage,
  createTestInsuredPatient,
  createTestPayer,
  createTestRenderingProvider,
  createTestSelfCoverage,
  createTestBillingClinic,
  type TestBillingClinic,
} from "@/tests/insurance-fixtures";
import { VALID_NPIS } from "@/tests/insurance-factories";
import { setupTestDatabase } from "@/tests/test-database";
import { markClaimAccepted, markClaimRejected, findClaimByClaimNumber, findClaimBatchByControlNumbers, recordBatchAcknowledgment } from "./acknowledgments";
import { createClaimFromVisit } from "./create-claim";
import { closeClaim, createCorrectedClaim, createVoidClaim } from "./correct-claim";
import { updateDraftClaim } from "./edit-claim";
import { countClaimsByStatus, getClaimOrThrow, listClaims } from "./list-claims";
import { get837PLoopMap } from "./loop-map-837p";
import { createClaimBatch, getClaimBatchFile, getClaimBatchOrThrow } from "./submit-claims";
import { validateClaim } from "./validate-claim";
import type { ClaimView } from "./claims.types";
import { getVisitOrThrow, listVisitsPendingClaim, recordVisit, updateVisit, type TVisitInput } from "./visits";

const database = setupTestDatabase();
const TIME_ZONE = "America/New_York";
const today = () => todayIn(TIME_ZONE);
const daysAgo = (days: number) => addDays(today(), -days);

const clinic = () => createTestBillingClinic(database.db);
type Clinic = TestBillingClinic;

function visitInput(overrides: Partial<TVisitInput> = {}): TVisitInput {
  return {
    serviceDate: daysAgo(3),
    diagnoses: ["J06.9", "E11.9"],
    charges: [
      { procedureCode: "99213", modifiers: ["25"], units: 1, chargeAmount: 15_000, diagnosisPointers: [1, 2] },
      { procedureCode: "87880", units: 1, chargeAmount: 3_550, diagnosisPointers: [1] },
    ],
    ...overrides,
  };
}

async function readyClaim(c: Clinic, options: { patientId?: string; coverageId?: string; db?: Db } = {}) {
  const db = options.db ?? database.db;
  const visit = await recordVisit(db, {
    organizationId: c.organizationId,
    actor: c.actor,
    patientId: options.patientId ?? c.patient.id,
    input: visitInput({ renderingProviderId: c.provider.id }),
  });
  const claim = await createClaimFromVisit(db, { organizationId: c.organizationId, actor: c.actor, visitId: visit.id, coverageId: options.coverageId });
  const validated = await validateClaim(db, { organizationId: c.organizationId, actor: c.actor, claimId: claim.id });
  expect(validated.problems).toEqual([]);
  expect(validated.claim.status).toBe("ready");
  return validated.claim;
}

/** The refusal as the API would answer it (a ZodError from an input schema becomes VALIDATION_FAILED with fields). */
async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  if (error === null) throw new Error("expected a refusal, but it succeeded");
  const appError = toAppError(error);
  if (appError.code === "INTERNAL") throw error;
  return appError;
}

/** Every segment as node-x12's strict parser reads it (ISA13/IEA02 as numbers). */
function segmentsFromNodeX12(text: string): string[][] {
  const parsed = new X12Parser(true).parse(text);
  expect(parsed).toBeInstanceOf(X12Interchange);
  const interchange = parsed as X12Interchange;
  const rows: string[][] = [[interchange.header.tag, ...interchange.header.elements.map((element) => element.value)]];
  for (const group of interchange.functionalGroups) {
    rows.push([group.header.tag, ...group.header.elements.map((element) => element.value)]);
    for (const transaction of group.transactions) {
      for (const each of [transaction.header, ...transaction.segments, transaction.trailer])
        rows.push([each.tag, ...each.elements.map((element) => element.value)]);
    }
    rows.push([group.trailer.tag, ...group.trailer.elements.map((element) => element.value)]);
  }
  rows.push([interchange.trailer.tag, ...interchange.trailer.elements.map((element) => element.value)]);
  return rows;
}

const isControlNumber = (id: string, index: number) => (id === "ISA" && index === 12) || (id === "IEA" && index === 1);

async function counters(organizationId: string) {
  const rows = await database.db.organizationCounter.findMany({ where: { organizationId } });
  return Object.fromEntries(rows.map((row) => [row.name, row.value]));
}

describe("visits", () => {
  it("records a visit with its charges (dot optional in codes) and lists it as pending a claim until one is created", async () => {
    const c = await clinic();
    const visit = await recordVisit(database.db, {
      organizationId: c.organizationId,
      actor: c.actor,
      patientId: c.patient.id,
      input: visitInput({ diagnoses: ["j069", "E11.9"] }),
    });
    expect(visit).toMatchObject({ diagnoses: ["J06.9", "E11.9"], placeOfService: "11", totalCharge: 18_550, claims: [] });
    expect(visit.charges.map((charge) => [charge.procedureCode, charge.modifiers, charge.serviceDate, charge.diagnosisPointers])).toEqual([
      ["99213", ["25"], daysAgo(3), [1, 2]],
      ["87880", [], daysAgo(3), [1]],
    ]);
    expect((await listVisitsPendingClaim(database.db, { organizationId: c.organizationId })).visits.map((each) => each.id)).toEqual([visit.id]);
    await createClaimFromVisit(database.db, { organizationId: c.organizationId, actor: c.actor, visitId: visit.id });
    expect((await listVisitsPendingClaim(database.db, { organizationId: c.organizationId })).visits).toEqual([]);
  }, 120_000);

  it("refuses a future date, a pointer to no diagnosis, more than 50 lines and bad codes, each with its field, and writes nothing", async () => {
    const c = await clinic();
    const record = (input: TVisitInput) =>
      refusal(recordVisit(database.db, { organizationId: c.organizationId, actor: c.actor, patientId: c.patient.id, input }));
    const future = await record(visitInput({ serviceDate: addDays(today(), 1) }));
    expect(future.fields?.serviceDate?.[0]).toMatch(/in the future/);
    const pointer = await record(visitInput({ charges: [{ procedureCode: "99213", units: 1, chargeAmount: 100, diagnosisPointers: [1, 3] }] }));
    expect(pointer.fields?.["charges.0.diagnosisPointers.1"]).toEqual(["Line 1 points to diagnosis 3, but there are 2 diagnoses."]);
    const tooMany = await record(
      visitInput({ charges: Array.from({ length: 51 }, () => ({ procedureCode: "99213", units: 1, chargeAmount: 100, diagnosisPointers: [1] })) }),
    );
    expect(tooMany.fields?.charges?.[0]).toMatch(/at most 50 service lines/);
    const codes = await record(
      visitInput({ diagnoses: ["250.00"], charges: [{ procedureCode: "9921", modifiers: ["2"], units: 1, chargeAmount: 100, diagnosisPointers: [1] }] }),
    );
    expect(codes.fields?.["diagnoses.0"]?.[0]).toMatch(/ICD-9/);
    expect(codes.fields?.["charges.0.procedureCode"]?.[0]).toMatch(/not a CPT or HCPCS code/);
    expect(codes.fields?.["charges.0.modifiers"]).toBeDefined();
    expect(await database.db.visit.count({ where: { organizationId: c.organizationId } })).toBe(0);
  }, 120_000);

  it("can be changed until a claim other than a draft or closed one uses it", async () => {
    const c = await clinic();
    const visit = await recordVisit(database.db, { organizationId: c.organizationId, actor: c.actor, patientId: c.patient.id, input: visitInput() });
    const changed = await updateVisit(database.db, {
      organizationId: c.organizationId,
      actor: c.actor,
      visitId: visit.id,
      input: visitInput({ diagnoses: ["J02.9", "E11.9"] }),
    });
    expect(changed.diagnoses).toEqual(["J02.9", "E11.9"]);
    const claim = await createClaimFromVisit(database.db, { organizationId: c.organizationId, actor: c.actor, visitId: visit.id });
    await validateClaim(database.db, { organizationId: c.organizationId, actor: c.actor, claimId: claim.id });
    const refused = await refusal(updateVisit(database.db, { organizationId: c.organizationId, actor: c.actor, visitId: visit.id, input: visitInput() }));
    expect(refused.code).toBe("CONFLICT");
    expect(refused.message).toMatch(/CLM-\d{6} \(ready to submit\)/);
  }, 120_000);
});

describe("claims from visits", () => {
  it("copies the visit into a draft for the primary coverage in force; refuses no coverage, a line after the coverage ended, a second live claim", async () => {
    const c = await clinic();
    const visit = await recordVisit(database.db, {
      organizationId: c.organizationId,
      actor: c.actor,
      patientId: c.patient.id,
      input: visitInput({ renderingProviderId: c.provider.id }),
    });
    const claim = await createClaimFromVisit(database.db, { organizationId: c.organizationId, actor: c.actor, visitId: visit.id });
    expect(claim).toMatchObject({
      status: "draft",
      number: 1,
      displayNumber: "CLM-000001",
      coverageId: c.coverage.id,
      payer: { id: c.payer.id },
      frequencyCode: "1",
      totalCharge: 18_550,
      diagnoses: ["J06.9", "E11.9"],
      renderingProvider: { id: c.provider.id },
      serviceDate: daysAgo(3),
      ageDays: 3,
    });
    expect(claim.lines).toHaveLength(2);
    expect(claim.events.map((event) => event.kind)).toEqual(["created"]);
    const again = await refusal(createClaimFromVisit(database.db, { organizationId: c.organizationId, actor: c.actor, visitId: visit.id }));
    expect(again.code).toBe("CONFLICT");

    const uninsured = await createTestInsuredPatient(database.db, { organizationId: c.organizationId });
    const uninsuredVisit = await recordVisit(database.db, { organizationId: c.organizationId, actor: c.actor, patientId: uninsured.id, input: visitInput() });
    const none = await refusal(createClaimFromVisit(database.db, { organizationId: c.organizationId, actor: c.actor, visitId: uninsuredVisit.id }));
    expect(none.fields?.coverageId?.[0]).toMatch(/no primary coverage in force on/);
    const ended = await createTestSelfCoverage(database.db, {
      organizationId: c.organizationId,
      patientId: uninsured.id,
      payerId: c.payer.id,
      priority: 2,
      effectiveFrom: "2025-01-01",
      effectiveTo: daysAgo(10),
    });
    const after = await refusal(
      createClaimFromVisit(database.db, { organizationId: c.organizationId, actor: c.actor, visitId: uninsuredVisit.id, coverageId: ended.id }),
    );
    expect(after.fields?.coverageId?.[0]).toBe(`Line 1 is dated ${daysAgo(3)}, after the coverage with EXAMPLE HEALTH PLAN ended on ${daysAgo(10)}.`);
  }, 120_000);

  it("claim numbers are unique and gapless when 20 claims are created at once over separate connections", async () => {
    const c = await clinic();
    const visits = [];
    for (let index = 0; index < 20; index++) {
      visits.push(await recordVisit(database.db, { organizationId: c.organizationId, actor: c.actor, patientId: c.patient.id, input: visitInput() }));
    }
    const clients = visits.map(() => createDb({ connectionString: database.url, poolSize: 1 }));
    try {
      const claims = await Promise.all(
        visits.map((visit, index) => createClaimFromVisit(clients[index]!, { organizationId: c.organizationId, actor: c.actor, visitId: visit.id })),
      );
      expect(claims.map((claim) => claim.number).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, index) => index + 1));
    } finally {
      await Promise.all(clients.map((client) => client.$disconnect()));
    }
  }, 300_000);
});

describe("validation", () => {
  it("names every problem of a bad claim in words with its field, keeps it draft and stores the problems", async () => {
    const org = await createTestOrganization(database.db);
    const { organizationId } = org;
    const actor = org.adminActor;
    // No practice profile; the patient is the subscriber and has no birth date.
    const payer = await createTestPayer(database.db, { organizationId });
    const patient = await createTestInsuredPatient(database.db, { organizationId, dateOfBirth: null });
    const coverage = await createTestSelfCoverage(database.db, { organizationId, patientId: patient.id, payerId: payer.id });
    const visit = await recordVisit(database.db, { organizationId, actor, patientId: patient.id, input: visitInput({ serviceDate: daysAgo(5) }) });
    const claim = await createClaimFromVisit(database.db, { organizationId, actor, visitId: visit.id });
    // What the forms refuse, written behind their back: validation must still catch it.
    await database.db.claim.update({ where: { id: claim.id }, data: { diagnoses: ["25000", "E119"] } });
    await database.db.claimLine.update({
      where: { id: claim.lines[1]!.id },
      data: { diagnosisPointers: [3], serviceDate: new Date(`${addDays(today(), 2)}T00:00:00Z`) },
    });
    await database.db.coverage.update({ where: { id: coverage.id }, data: { effectiveTo: new Date(`${daysAgo(6)}T00:00:00Z`) } });

    const { claim: after, problems } = await validateClaim(database.db, { organizationId, actor, claimId: claim.id });
    const byPath = Object.fromEntries(problems.map((problem) => [problem.path, problem.message]));
    expect(byPath["practice.npi"]).toBe("The practice has no NPI: set it in Settings → Practice.");
    expect(byPath["subscriber.birthDate"]).toBe(
      "The subscriber's birth date is missing: the patient is the subscriber, so add their date of birth on the patient's page.",
    );
    expect(byPath["diagnoses.0"]).toMatch(/25000 .*not an ICD-10-CM code|ICD-9/);
    expect(byPath["lines.1.diagnosisPointers.0"]).toBe("Service line 2 points to diagnosis 3, but the claim has 2.");
    expect(problems.filter((problem) => problem.path === "lines.0.serviceDate").map((problem) => problem.message)).toContain(
      `Line 1 is dated ${daysAgo(5)}, after the coverage with EXAMPLE HEALTH PLAN ended on ${daysAgo(6)}.`,
    );
    expect(problems.filter((problem) => problem.path === "lines.1.serviceDate").map((problem) => problem.message)).toContain(
      `Service line 2 is dated ${addDays(today(), 2)}, in the future.`,
    );
    expect(after.status).toBe("draft");
    expect(after.problems).toEqual(problems);
    expect(after.events.map((event) => event.kind)).toEqual(["created", "validation_failed"]);
  }, 120_000);

  it("more than 50 lines on a claim is a problem; a dependent's claim names the subscriber's missing birth date", async () => {
    const c = await clinic();
    const visit = await recordVisit(database.db, { organizationId: c.organizationId, actor: c.actor, patientId: c.patient.id, input: visitInput() });
    const claim = await createClaimFromVisit(database.db, { organizationId: c.organizationId, actor: c.actor, visitId: visit.id });
    const line = await database.db.claimLine.findFirstOrThrow({ where: { claimId: claim.id, position: 1 } });
    await database.db.claimLine.createMany({
      data: Array.from({ length: 50 }, (_, index) => ({ ...line, id: undefined, position: index + 3, chargeAmount: 100 })),
    });
    await database.db.claim.update({ where: { id: claim.id }, data: { totalCharge: 18_550 + 50 * 100 } });
    const { problems } = await validateClaim(database.db, { organizationId: c.organizationId, actor: c.actor, claimId: claim.id });
    expect(problems).toEqual([{ path: "lines", message: "A claim carries at most 50 service lines." }]);

    const child = await createTestInsuredPatient(database.db, { organizationId: c.organizationId, firstName: "SAM", dateOfBirth: "2015-06-01" });
    await createTestDependentCoverage(database.db, { organizationId: c.organizationId, patientId: child.id, payerId: c.payer.id, subscriberBirthDate: null });
    const childVisit = await recordVisit(database.db, { organizationId: c.organizationId, actor: c.actor, patientId: child.id, input: visitInput() });
    const childClaim = await createClaimFromVisit(database.db, { organizationId: c.organizationId, actor: c.actor, visitId: childVisit.id });
    const dependent = await validateClaim(database.db, { organizationId: c.organizationId, actor: c.actor, claimId: childClaim.id });
    expect(dependent.problems).toEqual([
      { path: "subscriber.birthDate", message: "The subscriber's birth date is missing: add it to the patient's coverage." },
    ]);
  }, 120_000);
});

describe("837P batches", () => {
  it("a batch from the database passes the 837P loop map and round-trips through node-x12 (strict); claims move to submitted", async () => {
    const c = await clinic();
    const first = await readyClaim(c);
    const child = await createTestInsuredPatient(database.db, { organizationId: c.organizationId, firstName: "SAM", dateOfBirth: "2015-06-01" });
    const childCoverage = await createTestDependentCoverage(database.db, { organizationId: c.organizationId, patientId: child.id, payerId: c.payer.id });
    const second = await readyClaim(c, { patientId: child.id, coverageId: childCoverage.id });
    const now = new Date();
    const batch = await createClaimBatch(database.db, {
      organizationId: c.organizationId,
      actor: c.actor,
      claimIds: [first.id, second.id],
      channel: "download",
      now,
    });
    expect(batch).toMatchObject({
      interchangeControlNumber: 1,
      groupControlNumber: 1,
      transactionSetControlNumber: 1,
      fileName: "837P-000000001.x12",
      claimCount: 2,
      totalCharge: 37_100,
      channel: "download",
      sentAt: now.toISOString(),
      acknowledgment: null,
    });
    const file = await getClaimBatchFile(database.db, { organizationId: c.organizationId, batchId: batch.id, actor: c.actor });
    expect(checkStructure(file.content, get837PLoopMap())).toEqual([]);
    const ours = readX12(file.content).segments.map((each) => [
      each.id,
      ...each.elements.map((value, index) => (isControlNumber(each.id, index) ? String(Number(value)) : value)),
    ]);
    expect(segmentsFromNodeX12(file.content)).toEqual(ours);
    const lines = readX12(file.content).segments.map((each) => [each.id, ...each.elements].join("*"));
    expect(lines).toContain("NM1*85*2*EXAMPLE FAMILY CLINIC*****XX*1234567893");
    expect(lines).toContain(`CLM*${first.displayNumber}*185.5***11:B:1*Y*A*Y*Y`);
    expect(lines).toContain("SV1*HC:99213:25*150*UN*1***1:2");
    expect(lines).toContain("PAT*19");
    expect(lines).toContain("NM1*82*1*RIVERA*ANA****XX*1245319599");
    for (const claim of [first, second]) {
      const after = await getClaimOrThrow(database.db, { organizationId: c.organizationId, claimId: claim.id });
      expect(after.status).toBe("submitted");
      expect(after.batches.map((each) => each.fileName)).toEqual(["837P-000000001.x12"]);
      expect(after.allowedActions).toContain("download_837");
    }
    expect(await database.db.auditEvent.count({ where: { organizationId: c.organizationId, action: "claim_batch.downloaded" } })).toBe(1);
  }, 120_000);

  it("ISA13, GS06 and ST02 are unique and gapless under 20 concurrent batches over separate connections", async () => {
    const c = await clinic();
    const claims = [];
    for (let index = 0; index < 20; index++) claims.push(await readyClaim(c));
    const clients = claims.map(() => createDb({ connectionString: database.url, poolSize: 1 }));
    try {
      const batches = await Promise.all(
        claims.map((claim, index) =>
          createClaimBatch(clients[index]!, { organizationId: c.organizationId, actor: c.actor, claimIds: [claim.id], channel: "download" }),
        ),
      );
      const expected = Array.from({ length: 20 }, (_, index) => index + 1);
      const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
      expect(sorted(batches.map((batch) => batch.interchangeControlNumber))).toEqual(expected);
      expect(sorted(batches.map((batch) => batch.groupControlNumber))).toEqual(expected);
      expect(sorted(batches.map((batch) => batch.transactionSetControlNumber))).toEqual(expected);
      // Each file carries the numbers its row says.
      for (const batch of batches) {
        const { content } = await getClaimBatchFile(database.db, { organizationId: c.organizationId, batchId: batch.id });
        const segments = readX12(content).segments;
        expect(Number(segments.find((each) => each.id === "ISA")!.elements[12])).toBe(batch.interchangeControlNumber);
        expect(Number(segments.find((each) => each.id === "GS")!.elements[5])).toBe(batch.groupControlNumber);
        expect(Number(segments.find((each) => each.id === "ST")!.elements[1])).toBe(batch.transactionSetControlNumber);
      }
      expect(await counters(c.organizationId)).toMatchObject({ x12_interchange: 20, x12_group: 20, x12_transaction_set: 20, claim: 20 });
    } finally {
      await Promise.all(clients.map((client) => client.$disconnect()));
    }
  }, 300_000);

  it("a failed batch writes nothing and leaves no gap in the control numbers", async () => {
    const c = await clinic();
    const ready = await readyClaim(c);
    const draftVisit = await recordVisit(database.db, { organizationId: c.organizationId, actor: c.actor, patientId: c.patient.id, input: visitInput() });
    const draft = await createClaimFromVisit(database.db, { organizationId: c.organizationId, actor: c.actor, visitId: draftVisit.id });
    const notReady = await refusal(
      createClaimBatch(database.db, { organizationId: c.organizationId, actor: c.actor, claimIds: [ready.id, draft.id], channel: "download" }),
    );
    expect(notReady.code).toBe("CONFLICT");
    expect(notReady.fields?.["claimIds.1"]?.[0]).toBe(`${draft.displayNumber} is draft, not ready to submit: validate it first.`);

    // A failure after the numbers were taken: an interchange number already used by another batch.
    const blocker = await database.db.claimBatch.create({
      data: {
        organizationId: c.organizationId,
        interchangeControlNumber: 1,
        groupControlNumber: 999_001,
        transactionSetControlNumber: 999_001,
        fileName: "legacy.x12",
        content: "legacy",
        claimCount: 0,
        totalCharge: 0,
        channel: "download",
        createdBy: "test",
      },
    });
    await expect(
      createClaimBatch(database.db, { organizationId: c.organizationId, actor: c.actor, claimIds: [ready.id], channel: "download" }),
    ).rejects.toThrow();
    expect(await counters(c.organizationId)).toEqual({ claim: 2 });
    expect(await database.db.claimBatch.count({ where: { organizationId: c.organizationId } })).toBe(1);
    expect(await database.db.claimBatchClaim.count({ where: { organizationId: c.organizationId } })).toBe(0);
    expect((await getClaimOrThrow(database.db, { organizationId: c.organizationId, claimId: ready.id })).status).toBe("ready");

    await database.db.claimBatch.delete({ where: { id: blocker.id } });
    const batch = await createClaimBatch(database.db, { organizationId: c.organizationId, actor: c.actor, claimIds: [ready.id], channel: "sftp" }).catch(
      (error: unknown) => error,
    );
    // SFTP needs an SFTP connection: refused on the channel, again nothing written.
    expect(batch).toBeInstanceOf(AppError);
    expect((batch as AppError).fields?.channel?.[0]).toMatch(/connection is manual/);
    const sent = await createClaimBatch(database.db, { organizationId: c.organizationId, actor: c.actor, claimIds: [ready.id], channel: "download" });
    expect([sent.interchangeControlNumber, sent.groupControlNumber, sent.transactionSetControlNumber]).toEqual([1, 1, 1]);
  }, 120_000);

  it("another clinic's claims, visits and batches are not found", async () => {
    const c = await clinic();
    const claim = await readyClaim(c);
    const batch = await createClaimBatch(database.db, { organizationId: c.organizationId, actor: c.actor, claimIds: [claim.id], channel: "download" });
    const other = await createTestOrganization(database.db);
    const scope = { organizationId: other.organizationId, actor: other.adminActor };
    const attempts: (() => Promise<unknown>)[] = [
      () => getClaimOrThrow(database.db, { ...scope, claimId: claim.id }),
      () => validateClaim(database.db, { ...scope, claimId: claim.id }),
      () => updateDraftClaim(database.db, { ...scope, claimId: claim.id, input: { placeOfService: "02" } }),
      () => createCorrectedClaim(database.db, { ...scope, claimId: claim.id }),
      () => closeClaim(database.db, { ...scope, claimId: claim.id, reason: "test" }),
      () => createClaimBatch(database.db, { ...scope, claimIds: [claim.id], channel: "download" }),
      () => getVisitOrThrow(database.db, { ...scope, visitId: claim.visitId }),
      () => updateVisit(database.db, { ...scope, visitId: claim.visitId, input: visitInput() }),
      () => createClaimFromVisit(database.db, { ...scope, visitId: claim.visitId }),
      () => getClaimBatchOrThrow(database.db, { ...scope, batchId: batch.id }),
      () => getClaimBatchFile(database.db, { ...scope, batchId: batch.id }),
    ];
    for (const attempt of attempts) expect((await refusal(attempt())).code).toBe("NOT_FOUND");
  }, 120_000);
});

describe("acknowledgments, corrections and closing", () => {
  it("accepts and rejects submitted claims; a corrected claim quotes the payer's number and closes the original once accepted", async () => {
    const c = await clinic();
    const first = await readyClaim(c);
    const second = await readyClaim(c);
    const batch = await createClaimBatch(database.db, {
      organizationId: c.organizationId,
      actor: c.actor,
      claimIds: [first.id, second.id],
      channel: "download",
    });
    const file = await createTest277File(database.db, { organizationId: c.organizationId });
    const actor = testActor(null, "clearinghouse file ack.277");
    await database.db.$transaction(async (tx) => {
      expect(await findClaimBatchByControlNumbers(tx, { organizationId: c.organizationId, groupControlNumber: 1, transactionSetControlNumber: 1 })).toEqual({
        batchId: batch.id,
        claimIds: [first.id, second.id],
      });
      expect(await findClaimBatchByControlNumbers(tx, { organizationId: c.organizationId, groupControlNumber: 2, transactionSetControlNumber: 1 })).toBeNull();
      await recordBatchAcknowledgment(tx, { organizationId: c.organizationId, batchId: batch.id, acknowledgment: "accepted", at: new Date() });
      expect(await findClaimByClaimNumber(tx, { organizationId: c.organizationId, claimNumber: first.displayNumber })).toEqual({
        id: first.id,
        status: "submitted",
      });
      expect(await findClaimByClaimNumber(tx, { organizationId: c.organizationId, claimNumber: "OTHER-1" })).toBeNull();
      const accepted = await markClaimAccepted(tx, {
        organizationId: c.organizationId,
        claimId: first.id,
        actor,
        payerClaimNumber: "PAYER778899",
        fileId: file.id,
      });
      expect(accepted).toEqual({
        claimId: first.id,
        changed: true,
        status: "accepted",
        message: `${first.displayNumber} accepted (payer claim number PAYER778899).`,
      });
      const rejected = await markClaimRejected(tx, {
        organizationId: c.organizationId,
        claimId: second.id,
        actor,
        reasons: [{ source: "277CA", message: "Subscriber and subscriber id not found." }],
        fileId: file.id,
        source: "277CA",
      });
      expect(rejected.changed).toBe(true);
      expect((await markClaimAccepted(tx, { organizationId: c.organizationId, claimId: first.id, actor, fileId: file.id })).changed).toBe(false);
    });
    const rejectedView = await getClaimOrThrow(database.db, { organizationId: c.organizationId, claimId: second.id });
    expect(rejectedView).toMatchObject({ status: "rejected", rejectionReasons: [{ source: "277CA", message: "Subscriber and subscriber id not found." }] });
    expect(rejectedView.allowedActions).toEqual(expect.arrayContaining(["edit", "validate", "close"]));
    // Editing a rejected claim takes it back to draft.
    const edited = await updateDraftClaim(database.db, {
      organizationId: c.organizationId,
      actor: c.actor,
      claimId: second.id,
      input: { placeOfService: "02" },
    });
    expect(edited).toMatchObject({ status: "draft", placeOfService: "02" });
    const pointer = await refusal(
      updateDraftClaim(database.db, { organizationId: c.organizationId, actor: c.actor, claimId: second.id, input: { diagnoses: ["J06.9"] } }),
    );
    expect(pointer.fields?.["lines.0.diagnosisPointers.1"]).toEqual(["Line 1 points to diagnosis 2, but there is 1 diagnosis."]);

    const corrected = await createCorrectedClaim(database.db, { organizationId: c.organizationId, actor: c.actor, claimId: first.id });
    expect(corrected).toMatchObject({
      status: "draft",
      frequencyCode: "7",
      payerClaimNumber: "PAYER778899",
      replacesClaim: { id: first.id },
      totalCharge: first.totalCharge,
    });
    expect((await refusal(createVoidClaim(database.db, { organizationId: c.organizationId, actor: c.actor, claimId: first.id }))).message).toMatch(
      /already replaces/,
    );
    await validateClaim(database.db, { organizationId: c.organizationId, actor: c.actor, claimId: corrected.id });
    const correctionBatch = await createClaimBatch(database.db, {
      organizationId: c.organizationId,
      actor: c.actor,
      claimIds: [corrected.id],
      channel: "download",
    });
    const { content } = await getClaimBatchFile(database.db, { organizationId: c.organizationId, batchId: correctionBatch.id });
    expect(checkStructure(content, get837PLoopMap())).toEqual([]);
    expect(content).toContain(`CLM*${corrected.displayNumber}*185.5***11:B:7*Y*A*Y*Y~`);
    expect(content).toContain("REF*F8*PAYER778899~");
    await database.db.$transaction(async (tx) => {
      const result = await markClaimAccepted(tx, { organizationId: c.organizationId, claimId: corrected.id, actor, fileId: file.id });
      expect(result.message).toBe(`${corrected.displayNumber} accepted. ${first.displayNumber}, which it corrects, is closed.`);
    });
    const original = await getClaimOrThrow(database.db, { organizationId: c.organizationId, claimId: first.id });
    expect(original.status).toBe("closed");
    expect(original.replacedBy.map((each) => each.id)).toEqual([corrected.id]);

    const closed = await closeClaim(database.db, {
      organizationId: c.organizationId,
      actor: c.actor,
      claimId: second.id,
      reason: "Patient paid out of pocket.",
    });
    expect(closed.status).toBe("closed");
    expect(closed.events.at(-1)).toMatchObject({ kind: "closed", message: "Patient paid out of pocket." });
    expect((await refusal(createVoidClaim(database.db, { organizationId: c.organizationId, actor: c.actor, claimId: second.id }))).code).toBe("CONFLICT");
  }, 120_000);
});

describe("a line's own rendering provider (2420A)", () => {
  /** A clinic with Ana Rivera (c.provider) and Lee Chen, who rendered some lines. */
  async function twoProviders() {
    const c = await clinic();
    const chen = await createTestRenderingProvider(database.db, { organizationId: c.organizationId, npi: "1003000126", lastName: "CHEN" });
    await database.db.renderingProvider.update({ where: { id: chen.id }, data: { firstName: "LEE", taxonomyCode: "363LF0000X" } });
    return { c, chen };
  }
  const line = (procedureCode: string, renderingProviderId?: string) => ({
    procedureCode,
    units: 1,
    chargeAmount: 5_000,
    diagnosisPointers: [1],
    ...(renderingProviderId ? { renderingProviderId } : {}),
  });
  async function claimOf(c: Clinic, input: TVisitInput) {
    const visit = await recordVisit(database.db, { organizationId: c.organizationId, actor: c.actor, patientId: c.patient.id, input });
    return createClaimFromVisit(database.db, { organizationId: c.organizationId, actor: c.actor, visitId: visit.id });
  }
  const providersOf = (claim: ClaimView) => [claim.renderingProvider?.id ?? null, ...claim.lines.map((each) => each.renderingProviderId)];

  it("a visit whose lines name different providers becomes one claim: the visit's provider (else the most named) on the claim, the others on their lines", async () => {
    const { c, chen } = await twoProviders();
    const ana = c.provider.id;
    // The visit names Ana; line 2 is Chen's.
    const withVisitProvider = await claimOf(c, visitInput({ renderingProviderId: ana, charges: [line("99213"), line("97110", chen.id), line("36415", ana)] }));
    expect(providersOf(withVisitProvider)).toEqual([ana, null, chen.id, null]);
    expect(withVisitProvider.lines[1]).toMatchObject({ renderingProviderId: chen.id, renderingProvider: { id: chen.id, lastName: "CHEN", npi: "1003000126" } });
    expect(withVisitProvider.lines[0]!.renderingProvider).toBeNull();
    // No visit provider: the one most lines name, even when it is not the first line's.
    expect(providersOf(await claimOf(c, visitInput({ charges: [line("99213", chen.id), line("97110", ana), line("97112", ana)] })))).toEqual([
      ana,
      chen.id,
      null,
      null,
    ]);
    // A tie goes to the first line's provider; a line naming none is the claim's.
    expect(providersOf(await claimOf(c, visitInput({ charges: [line("99213", chen.id), line("97110", ana), line("97112")] })))).toEqual([
      chen.id,
      null,
      ana,
      null,
    ]);

    // Validated, sent: 2420A for Chen's line only, after its DTP; the file fits the loop map and node-x12.
    const validated = await validateClaim(database.db, { organizationId: c.organizationId, actor: c.actor, claimId: withVisitProvider.id });
    expect(validated.problems).toEqual([]);
    const batch = await createClaimBatch(database.db, {
      organizationId: c.organizationId,
      actor: c.actor,
      claimIds: [withVisitProvider.id],
      channel: "download",
    });
    const { content } = await getClaimBatchFile(database.db, { organizationId: c.organizationId, batchId: batch.id });
    expect(checkStructure(content, get837PLoopMap())).toEqual([]);
    expect(segmentsFromNodeX12(content)).toHaveLength(readX12(content).segments.length);
    const segments = readX12(content).segments.map((each) => [each.id, ...each.elements].join("*"));
    expect(segments.filter((each) => each.startsWith("NM1*82*"))).toEqual(["NM1*82*1*RIVERA*ANA****XX*1245319599", "NM1*82*1*CHEN*LEE****XX*1003000126"]);
    const second = segments.indexOf("LX*2");
    expect(segments.slice(second, second + 6)).toEqual([
      "LX*2",
      "SV1*HC:97110*50*UN*1***1",
      expect.stringMatching(/^DTP\*472\*D8\*/),
      "NM1*82*1*CHEN*LEE****XX*1003000126",
      "PRV*PE*PXC*363LF0000X",
      "LX*3",
    ]);

    // A corrected claim (frequency 7) keeps each line's provider.
    const file = await createTest277File(database.db, { organizationId: c.organizationId });
    await database.db.$transaction((tx) =>
      markClaimAccepted(tx, { organizationId: c.organizationId, claimId: withVisitProvider.id, actor: c.actor, payerClaimNumber: "PAYER42", fileId: file.id }),
    );
    const corrected = await createCorrectedClaim(database.db, { organizationId: c.organizationId, actor: c.actor, claimId: withVisitProvider.id });
    expect(providersOf(corrected)).toEqual([ana, null, chen.id, null]);
  }, 120_000);

  it("names a line's provider's missing or wrong NPI with the line", async () => {
    const { c, chen } = await twoProviders();
    const claim = await claimOf(c, visitInput({ renderingProviderId: c.provider.id, charges: [line("99213"), line("97110", chen.id)] }));
    // What the provider form refuses, written behind its back.
    await database.db.renderingProvider.update({ where: { id: chen.id }, data: { npi: "1003000127" } });
    const wrong = await validateClaim(database.db, { organizationId: c.organizationId, actor: c.actor, claimId: claim.id });
    expect(wrong.problems).toEqual([
      {
        path: "lines.1.renderingProvider.npi",
        message:
          "Service line 2: the rendering provider LEE CHEN's NPI is not valid (this NPI's check digit is wrong: look for a mistyped digit): fix it in Settings → Practice.",
      },
    ]);
    expect(wrong.claim.status).toBe("draft");
    await database.db.renderingProvider.update({ where: { id: chen.id }, data: { npi: "" } });
    const none = await validateClaim(database.db, { organizationId: c.organizationId, actor: c.actor, claimId: claim.id });
    expect(none.problems).toEqual([
      { path: "lines.1.renderingProvider.npi", message: "Service line 2: the rendering provider LEE CHEN has no NPI: fix it in Settings → Practice." },
    ]);
  }, 120_000);

  it("edits a line's provider: one of the clinic's, not archived unless already on the claim; the claim's own is not repeated on the line", async () => {
    const { c, chen } = await twoProviders();
    const ana = c.provider.id;
    const claim = await claimOf(c, visitInput({ renderingProviderId: ana, charges: [line("99213"), line("97110")] }));
    const scope = { organizationId: c.organizationId, actor: c.actor, claimId: claim.id };
    const lines = (second: string | null | undefined) => [
      { ...line("99213"), serviceDate: daysAgo(3) },
      { ...line("97110"), serviceDate: daysAgo(3), renderingProviderId: second },
    ];
    const edited = await updateDraftClaim(database.db, { ...scope, input: { lines: lines(chen.id) } });
    expect(providersOf(edited)).toEqual([ana, null, chen.id]);
    // Naming the claim's own provider on a line stores nothing of its own.
    expect(providersOf(await updateDraftClaim(database.db, { ...scope, input: { lines: lines(ana) } }))).toEqual([ana, null, null]);
    await updateDraftClaim(database.db, { ...scope, input: { lines: lines(chen.id) } });
    // The claim now names Chen: his line needs nothing of its own, and the line that followed the claim follows it to Chen.
    expect(providersOf(await updateDraftClaim(database.db, { ...scope, input: { renderingProviderId: chen.id } }))).toEqual([chen.id, null, null]);
    await updateDraftClaim(database.db, { ...scope, input: { renderingProviderId: ana, lines: lines(chen.id) } });

    const other = await createTestOrganization(database.db);
    const stranger = await createTestRenderingProvider(database.db, { organizationId: other.organizationId });
    const archived = await createTestRenderingProvider(database.db, { organizationId: c.organizationId, npi: VALID_NPIS.third, lastName: "GONE" });
    await database.db.renderingProvider.update({ where: { id: archived.id }, data: { archivedAt: new Date() } });
    for (const [id, message] of [
      [stranger.id, "Choose one of the clinic's rendering providers."],
      ["00000000-0000-4000-8000-000000000000", "Choose one of the clinic's rendering providers."],
      [archived.id, "This rendering provider is archived and takes no new claims."],
    ] as const) {
      const refused = await refusal(updateDraftClaim(database.db, { ...scope, input: { lines: lines(id) } }));
      expect(refused.code).toBe("VALIDATION_FAILED");
      expect(refused.fields).toEqual({ "lines.1.renderingProviderId": [message] });
    }
    expect((await refusal(updateDraftClaim(database.db, { ...scope, input: { lines: lines("not-an-id") } }))).fields).toEqual({
      "lines.1.renderingProviderId": ["Choose one of the clinic's rendering providers."],
    });
    expect(providersOf(await getClaimOrThrow(database.db, { organizationId: c.organizationId, claimId: claim.id }))).toEqual([ana, null, chen.id]);
    // Chen archived after he was put on the claim: the claim can still be edited with him on it.
    await database.db.renderingProvider.update({ where: { id: chen.id }, data: { archivedAt: new Date() } });
    expect(providersOf(await updateDraftClaim(database.db, { ...scope, input: { lines: lines(chen.id) } }))).toEqual([ana, null, chen.id]);
  }, 120_000);
});

describe("listing", () => {
  it("filters by status, payer, age, amount, patient and number or name, in keyset pages; counts by status", async () => {
    const c = await clinic();
    const old = await recordVisit(database.db, {
      organizationId: c.organizationId,
      actor: c.actor,
      patientId: c.patient.id,
      input: visitInput({ serviceDate: daysAgo(40) }),
    });
    const oldClaim = await createClaimFromVisit(database.db, { organizationId: c.organizationId, actor: c.actor, visitId: old.id });
    const ready = await readyClaim(c);
    const otherPayer = await createTestPayer(database.db, { organizationId: c.organizationId, name: "OTHER PLAN" });
    const bob = await createTestInsuredPatient(database.db, { organizationId: c.organizationId, firstName: "BOB", lastName: "BYRNE" });
    await createTestSelfCoverage(database.db, { organizationId: c.organizationId, patientId: bob.id, payerId: otherPayer.id });
    const bobVisit = await recordVisit(database.db, {
      organizationId: c.organizationId,
      actor: c.actor,
      patientId: bob.id,
      input: visitInput({ charges: [{ procedureCode: "99212", units: 1, chargeAmount: 9_000, diagnosisPointers: [1] }] }),
    });
    const bobClaim = await createClaimFromVisit(database.db, { organizationId: c.organizationId, actor: c.actor, visitId: bobVisit.id });
    const ids = async (query: Parameters<typeof listClaims>[1]["query"]) =>
      (await listClaims(database.db, { organizationId: c.organizationId, query })).claims.map((claim) => claim.id);
    expect(await ids({})).toEqual([bobClaim.id, ready.id, oldClaim.id]);
    expect(await ids({ status: "ready" })).toEqual([ready.id]);
    expect(await ids({ payerId: otherPayer.id })).toEqual([bobClaim.id]);
    expect(await ids({ ageMin: 30 })).toEqual([oldClaim.id]);
    expect(await ids({ ageMax: 30 })).toEqual([bobClaim.id, ready.id]);
    expect(await ids({ amountMax: 10_000 })).toEqual([bobClaim.id]);
    expect(await ids({ amountMin: 10_000, amountMax: 20_000 })).toEqual([ready.id, oldClaim.id]);
    expect(await ids({ patientId: bob.id })).toEqual([bobClaim.id]);
    expect(await ids({ q: "byrne" })).toEqual([bobClaim.id]);
    expect(await ids({ q: oldClaim.displayNumber })).toEqual([oldClaim.id]);
    const firstPage = await listClaims(database.db, { organizationId: c.organizationId, query: { limit: 2 } });
    expect(firstPage.claims.map((claim) => claim.id)).toEqual([bobClaim.id, ready.id]);
    const secondPage = await listClaims(database.db, { organizationId: c.organizationId, query: { limit: 2, cursor: firstPage.nextCursor! } });
    expect(secondPage).toMatchObject({ claims: [{ id: oldClaim.id, ageDays: 40 }], nextCursor: null });
    expect(await countClaimsByStatus(database.db, { organizationId: c.organizationId })).toMatchObject({ draft: 2, ready: 1, submitted: 0, closed: 0 });
  }, 120_000);
});
