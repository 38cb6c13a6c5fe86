import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { fromIsoDate } from "@/lib/invoices/dates";
import { read271 } from "@/lib/x12/read-271";
import { readX12 } from "@/lib/x12/read-x12";
import { segment, writeInterchange, type X12Segment } from "@/lib/x12/write-x12";
import { testSubmitterId } from "@/tests/clearinghouse-files";
import { createTestOrganization, createTestPatient, testActor } from "@/tests/factories";
import { setupTestDatabase } from "@/tests/test-database";
import { listCoverageRevisions, getCoverageOrThrow } from "./coverages";
import { benefitsAfterEligibility } from "./eligibility-benefits";
import { applyEligibilityResponse, getEligibilityCheckOrThrow, getEligibilityRequestFile, listEligibilityChecks, requestEligibilityCheck } from "./eligibility";
import type { CoverageBenefitsView } from "./insurance.types";

const database = setupTestDatabase();
const actor = testActor(null, "biller@example.test");
const NOW = new Date("2026-12-04T17:05:00Z");

const benefitsFixture = readFileSync(fileURLToPath(new URL("../x12/__fixtures__/271/subscriber-benefits.271", import.meta.url)), "utf8");

/** A clinic with a practice profile, clearinghouse settings, a payer and a patient covered as subscriber or dependent. */
async function setup(options: { dependent?: boolean; withPractice?: boolean; withClearinghouse?: boolean } = {}) {
  const db = database.db;
  const org = await createTestOrganization(db);
  const { organizationId } = org;
  if (options.withPractice !== false) {
    await db.practiceProfile.create({
      data: {
        organizationId,
        legalName: "EXAMPLE FAMILY CLINIC",
        npi: "1234567893",
        ein: "123456789",
        taxonomyCode: "207Q00000X",
        addressLine1: "100 Main Street",
        city: "Portland",
        state: "OR",
        postalCode: "972011234",
      },
    });
  }
  if (options.withClearinghouse !== false) {
    await db.clearinghouseSettings.create({
      data: {
        organizationId,
        submitterId: testSubmitterId(organizationId),
        submitterName: "EXAMPLE FAMILY CLINIC",
        receiverId: "EXAMPLECH",
        receiverName: "EXAMPLE CH",
        usageIndicator: "T",
      },
    });
  }
  const payer = await db.payer.create({ data: { organizationId, name: "EXAMPLE HEALTH PLAN", payerId: "EXHP1", claimFilingIndicator: "CI" } });
  const patient = await createTestPatient(db, { organizationId, firstName: options.dependent ? "Sam" : "Jane", lastName: "Doe" });
  await db.patient.update({
    where: { id: patient.id },
    data: { dateOfBirth: fromIsoDate(options.dependent ? "2015-06-01" : "1980-04-12"), sex: options.dependent ? "M" : "F" },
  });
  const coverage = await db.coverage.create({
    data: {
      organizationId,
      patientId: patient.id,
      payerId: payer.id,
      priority: 1,
      memberId: "XYZ123456789",
      relationshipCode: options.dependent ? "19" : "18",
      ...(options.dependent
        ? { subscriberFirstName: "Jane", subscriberLastName: "Doe", subscriberBirthDate: fromIsoDate("1980-04-12"), subscriberSex: "F" }
        : {}),
      effectiveFrom: fromIsoDate("2026-01-01"),
      copays: [{ visitType: "specialist", label: "Specialist visit", amount: 4000 }],
      coinsuranceBasisPoints: 1000,
      outOfPocketMaxFamily: 1_200_000,
      outOfPocketMaxFamilyMet: 100_000,
    },
  });
  return { org, organizationId, payer, patient, coverage };
}

/** A 271 answering `traceNumber` as a payer would (TRN*2 echoes our trace), with the EB segments given. */
function response271(options: { traceNumber: string; benefits?: X12Segment[]; rejection?: X12Segment; dependent?: boolean; interchange?: number }): string {
  const person = options.dependent
    ? [
        segment("HL", "3", "2", "22", "1"),
        segment("NM1", "IL", "1", "DOE", "JANE", undefined, undefined, undefined, "MI", "XYZ123456789"),
        segment("HL", "4", "3", "23", "0"),
        segment("TRN", "2", options.traceNumber, "1123456789"),
        segment("NM1", "03", "1", "DOE", "SAM"),
      ]
    : [
        segment("HL", "3", "2", "22", "0"),
        segment("TRN", "2", options.traceNumber, "1123456789"),
        segment("NM1", "IL", "1", "DOE", "JANE", undefined, undefined, undefined, "MI", "XYZ123456789"),
      ];
  return writeInterchange(
    {
      sender: { qualifier: "ZZ", id: "EXAMPLECH" },
      receiver: { qualifier: "ZZ", id: "CAREBILLDEMO" },
      applicationSenderCode: "EXAMPLECH",
      applicationReceiverCode: "CAREBILLDEMO",
      interchangeControlNumber: options.interchange ?? 9001,
      groupControlNumber: 9001,
      functionalIdentifier: "HB",
      implementationReference: "005010X279A1",
      usage: "T",
      acknowledgmentRequested: false,
      createdAt: NOW,
    },
    [
      {
        transactionSetId: "271",
        controlNumber: 1,
        segments: [
          segment("BHT", "0022", "11", options.traceNumber, "20261204", "1210"),
          segment("HL", "1", undefined, "20", "1"),
          segment("NM1", "PR", "2", "EXAMPLE HEALTH PLAN", undefined, undefined, undefined, undefined, "PI", "EXHP1"),
          segment("HL", "2", "1", "21", "1"),
          segment("NM1", "1P", "2", "EXAMPLE FAMILY CLINIC", undefined, undefined, undefined, undefined, "XX", "1234567893"),
          ...(options.rejection && !options.benefits
            ? [options.rejection]
            : [...person, ...(options.rejection ? [options.rejection] : []), ...(options.benefits ?? [])]),
        ],
      },
    ],
  );
}

/** The EB segments of the benefits fixture (co-pays, coinsurance, deductible and out-of-pocket with what remains). */
const FIXTURE_BENEFITS: X12Segment[] = readX12(benefitsFixture)
  .segments.filter((each) => each.id === "EB" || each.id === "MSG")
  .map((each) => segment(each.id, ...each.elements));

describe("requestEligibilityCheck", () => {
  it("writes a 270 for a self subscriber with ISA13 and GS06 from the shared counters, and records the check", async () => {
    const { organizationId, coverage } = await setup();
    // An 837 batch already took interchange 4 and group 4: the 270 continues the same sequences.
    await database.db.organizationCounter.createMany({
      data: [
        { organizationId, name: "x12_interchange", value: 4 },
        { organizationId, name: "x12_group", value: 4 },
      ],
    });
    const check = await requestEligibilityCheck(database.db, { organizationId, actor, coverageId: coverage.id, now: NOW });
    expect(check).toMatchObject({
      coverageId: coverage.id,
      status: "requested",
      serviceTypeCodes: ["30"],
      traceNumber: "EC000000005",
      active: null,
      requestedBy: actor.label,
    });
    const file = await getEligibilityRequestFile(database.db, { organizationId, checkId: check.id });
    expect(file.fileName).toBe("270-EC000000005.x12");
    const segments = readX12(file.content).segments.map((each) => [each.id, ...each.elements].join("*"));
    expect(segments).toEqual(
      expect.arrayContaining([
        `GS*HS*${testSubmitterId(organizationId)}*EXAMPLECH*20261204*1205*5*X*005010X279A1`,
        "BHT*0022*13*EC000000005*20261204*1205",
        "NM1*PR*2*EXAMPLE HEALTH PLAN*****PI*EXHP1",
        "NM1*1P*2*EXAMPLE FAMILY CLINIC*****XX*1234567893",
        "HL*3*2*22*0",
        "TRN*1*EC000000005*1123456789",
        "NM1*IL*1*Doe*Jane****MI*XYZ123456789",
        "DMG*D8*19800412*F",
        "DTP*291*D8*20261204",
        "EQ*30",
        "IEA*1*000000005",
      ]),
    );
    expect(segments[0]).toContain("*000000005*0*T*:");
    const audit = await database.db.auditEvent.findFirst({ where: { organizationId, action: "eligibility_check.requested" } });
    expect(audit?.targetId).toBe(check.id);
  });

  it("on a manual connection the first download of the 270 marks the check sent; on SFTP a download leaves it for the poll", async () => {
    const { organizationId, coverage } = await setup();
    const check = await requestEligibilityCheck(database.db, { organizationId, actor, coverageId: coverage.id, now: NOW });
    expect(check).toMatchObject({ sentAt: null, sendError: null });
    const downloadedAt = new Date("2026-12-04T17:06:00Z");
    await getEligibilityRequestFile(database.db, { organizationId, checkId: check.id, actor, now: downloadedAt });
    expect((await getEligibilityCheckOrThrow(database.db, { organizationId, checkId: check.id })).sentAt).toBe(downloadedAt.toISOString());
    // A second download keeps the first send.
    await getEligibilityRequestFile(database.db, { organizationId, checkId: check.id, actor, now: new Date("2026-12-04T18:00:00Z") });
    expect((await listEligibilityChecks(database.db, { organizationId, coverageId: coverage.id }))[0]?.sentAt).toBe(downloadedAt.toISOString());
    const audits = await database.db.auditEvent.findMany({ where: { organizationId, action: "eligibility_check.downloaded", targetId: check.id } });
    expect(audits.map((audit) => (audit.after as { markedSent: boolean }).markedSent).sort()).toEqual([false, true]);

    await database.db.clearinghouseSettings.update({ where: { organizationId }, data: { connection: "sftp" } });
    const bySftp = await requestEligibilityCheck(database.db, { organizationId, actor, coverageId: coverage.id, now: NOW });
    await getEligibilityRequestFile(database.db, { organizationId, checkId: bySftp.id, actor });
    expect((await getEligibilityCheckOrThrow(database.db, { organizationId, checkId: bySftp.id })).sentAt).toBeNull();
  });

  it("a dependent gets 2000D with their name and birth date; each check has its own interchange and trace", async () => {
    const { organizationId, coverage } = await setup({ dependent: true });
    const first = await requestEligibilityCheck(database.db, { organizationId, actor, coverageId: coverage.id, serviceTypeCodes: ["30", "98"], now: NOW });
    const second = await requestEligibilityCheck(database.db, { organizationId, actor, coverageId: coverage.id, now: NOW });
    expect([first.traceNumber, second.traceNumber]).toEqual(["EC000000001", "EC000000002"]);
    const { content } = await getEligibilityRequestFile(database.db, { organizationId, checkId: first.id });
    const segments = readX12(content).segments.map((each) => [each.id, ...each.elements].join("*"));
    const dependentLevel = segments.slice(segments.indexOf("HL*4*3*23*0"), segments.indexOf("SE*17*0001"));
    expect(dependentLevel).toEqual([
      "HL*4*3*23*0",
      "TRN*1*EC000000001*1123456789",
      "NM1*03*1*Doe*Sam",
      "DMG*D8*20150601*M",
      "DTP*291*D8*20261204",
      "EQ*30",
      "EQ*98",
    ]);
    expect(segments).toContain("DMG*D8*19800412*F");
    expect((await listEligibilityChecks(database.db, { organizationId, coverageId: coverage.id })).map((check) => check.id)).toEqual([second.id, first.id]);
  });

  it("refuses without a practice profile or clearinghouse, or a dependent without birth date, and rolls the counters back", async () => {
    const bare = await setup({ withPractice: false, withClearinghouse: false });
    const refusal = await requestEligibilityCheck(database.db, { organizationId: bare.organizationId, actor, coverageId: bare.coverage.id }).catch(
      (error: unknown) => error,
    );
    expect(refusal).toBeInstanceOf(AppError);
    expect((refusal as AppError).fields).toEqual({
      practice: ["The practice has no NPI: set it in Settings → Practice."],
      clearinghouse: ["Set up the clearinghouse (submitter and receiver ids) in Settings → Clearinghouse."],
    });

    const { organizationId, coverage, patient } = await setup({ dependent: true });
    await database.db.patient.update({ where: { id: patient.id }, data: { dateOfBirth: null } });
    const noBirthDate = await requestEligibilityCheck(database.db, { organizationId, actor, coverageId: coverage.id }).catch((error: unknown) => error);
    expect((noBirthDate as AppError).code).toBe("VALIDATION_FAILED");
    expect((noBirthDate as AppError).fields).toEqual({
      "patient.birthDate": ["The patient has no birth date: add it on the patient page (the payer finds a dependent by name and birth date)."],
    });
    expect(await database.db.organizationCounter.findMany({ where: { organizationId } })).toEqual([]);
    expect(await database.db.eligibilityCheck.count({ where: { organizationId } })).toBe(0);
  });

  it("another clinic's coverage or check is not found", async () => {
    const mine = await setup();
    const theirs = await setup();
    const check = await requestEligibilityCheck(database.db, { organizationId: theirs.organizationId, actor, coverageId: theirs.coverage.id });
    for (const attempt of [
      () => requestEligibilityCheck(database.db, { organizationId: mine.organizationId, actor, coverageId: theirs.coverage.id }),
      () => listEligibilityChecks(database.db, { organizationId: mine.organizationId, coverageId: theirs.coverage.id }),
      () => getEligibilityCheckOrThrow(database.db, { organizationId: mine.organizationId, checkId: check.id }),
      () => getEligibilityRequestFile(database.db, { organizationId: mine.organizationId, checkId: "not-a-uuid" }),
    ]) {
      await expect(attempt()).rejects.toMatchObject({ code: "NOT_FOUND" });
    }
  });
});

describe("applyEligibilityResponse", () => {
  it("writes the 271's benefits into the coverage with a revision, keeping what the 271 does not tell", async () => {
    const { organizationId, coverage } = await setup();
    const check = await requestEligibilityCheck(database.db, { organizationId, actor, coverageId: coverage.id, now: NOW });
    const content = response271({ traceNumber: check.traceNumber, benefits: FIXTURE_BENEFITS });
    const answeredAt = new Date("2026-12-04T20:10:00Z");
    const results = await applyEligibilityResponse(database.db, { organizationId, actor, content, fileId: null, now: answeredAt });
    expect(results).toEqual([
      { checkId: check.id, message: `Eligibility check ${check.traceNumber}: coverage active; benefits written to the EXAMPLE HEALTH PLAN coverage.` },
    ]);

    const answered = await getEligibilityCheckOrThrow(database.db, { organizationId, checkId: check.id });
    expect(answered).toMatchObject({ status: "answered", active: true, problems: [], answeredAt: answeredAt.toISOString() });
    expect(answered.benefits).toHaveLength(15);
    expect(answered.benefits[0]).toEqual({
      kind: "active",
      serviceTypeCode: "30",
      serviceTypeLabel: "Health benefit plan coverage",
      coverageLevel: "individual",
      timePeriod: null,
      amount: null,
      percentBasisPoints: null,
      inNetwork: null,
      description: "Active coverage, individual, for Health benefit plan coverage [Preferred provider organization (PPO), PPO GOLD].",
    });

    const after = await getCoverageOrThrow(database.db, { organizationId, coverageId: coverage.id });
    expect(after.benefits).toEqual({
      copays: [
        { visitType: "specialist", label: "Specialist visit", amount: 4000 },
        { visitType: "office", label: "Office visit", amount: 2500 },
        { visitType: "urgent_care", label: "Urgent care", amount: 7500 },
      ],
      coinsuranceBasisPoints: 2000,
      deductibleIndividual: 150_000,
      deductibleIndividualMet: 40_000,
      deductibleFamily: 300_000,
      deductibleFamilyMet: 54_950,
      outOfPocketMaxIndividual: 500_000,
      outOfPocketMaxIndividualMet: 80_000,
      outOfPocketMaxFamily: 1_000_000,
      outOfPocketMaxFamilyMet: 90_000,
      verifiedAt: answeredAt.toISOString(),
      source: "eligibility",
    });
    expect(after.version).toBe(2);
    const revisions = await listCoverageRevisions(database.db, { organizationId, coverageId: coverage.id });
    expect(revisions[0]).toMatchObject({ version: 2, change: "eligibility_applied", actor: actor.label });
    expect(after.latestEligibility?.id).toBe(check.id);

    // The same 271 again changes nothing.
    await expect(applyEligibilityResponse(database.db, { organizationId, actor, content })).rejects.toThrow(
      /already answered on 2026-12-04: nothing was changed/,
    );
  });

  it("a dependent's 271 is matched at the 2000D level", async () => {
    const { organizationId, coverage } = await setup({ dependent: true });
    const check = await requestEligibilityCheck(database.db, { organizationId, actor, coverageId: coverage.id, now: NOW });
    const benefits = [
      segment("EB", "1", "IND", "30"),
      segment("EB", "B", "IND", "98", undefined, undefined, "27", "30", undefined, undefined, undefined, undefined, "Y"),
    ];
    await applyEligibilityResponse(database.db, { organizationId, actor, content: response271({ traceNumber: check.traceNumber, benefits, dependent: true }) });
    const after = await getCoverageOrThrow(database.db, { organizationId, coverageId: coverage.id });
    expect(after.benefits.copays.find((copay) => copay.visitType === "office")?.amount).toBe(3000);
    // Silent about coinsurance and out-of-pocket: the coverage keeps them.
    expect(after.benefits.coinsuranceBasisPoints).toBe(1000);
    expect(after.benefits.outOfPocketMaxFamilyMet).toBe(100_000);
  });

  it("a rejection (AAA) or inactive coverage fails the check with the reasons in words and leaves the benefits alone", async () => {
    const { organizationId, coverage } = await setup();
    const rejected = await requestEligibilityCheck(database.db, { organizationId, actor, coverageId: coverage.id, now: NOW });
    const inactive = await requestEligibilityCheck(database.db, { organizationId, actor, coverageId: coverage.id, now: NOW });
    const providerRejection = response271({ traceNumber: rejected.traceNumber, rejection: segment("AAA", "Y", undefined, "50", "N") });
    const [result] = await applyEligibilityResponse(database.db, { organizationId, actor, content: providerRejection });
    expect(result?.message).toBe(
      `Eligibility check ${rejected.traceNumber}: not confirmed. The payer could not answer about the provider: Provider ineligible for inquiries (code 50). Resubmission not allowed.`,
    );
    await applyEligibilityResponse(database.db, {
      organizationId,
      actor,
      content: response271({ traceNumber: inactive.traceNumber, benefits: [segment("EB", "6", "IND", "30")], interchange: 9002 }),
    });
    const [second, first] = await listEligibilityChecks(database.db, { organizationId, coverageId: coverage.id });
    expect(first).toMatchObject({ id: rejected.id, status: "failed", active: null });
    expect(first?.problems).toEqual(["The payer could not answer about the provider: Provider ineligible for inquiries (code 50). Resubmission not allowed."]);
    expect(second).toMatchObject({ id: inactive.id, status: "failed", active: false });
    expect(second?.problems).toEqual(["The payer says the coverage is not active: Inactive, individual, for Health benefit plan coverage."]);
    const after = await getCoverageOrThrow(database.db, { organizationId, coverageId: coverage.id });
    expect(after.version).toBe(1);
    expect(after.benefits.source).toBeNull();
  });

  it("refuses a 271 that matches no check of this clinic, and a malformed 271, writing nothing", async () => {
    const { organizationId, coverage } = await setup();
    const other = await setup();
    const check = await requestEligibilityCheck(database.db, { organizationId, actor, coverageId: coverage.id, now: NOW });
    const otherCheck = await requestEligibilityCheck(database.db, { organizationId: other.organizationId, actor, coverageId: other.coverage.id, now: NOW });
    const auditBefore = await database.db.auditEvent.count({ where: { organizationId } });

    const strangers = response271({ traceNumber: "EC999999999", benefits: FIXTURE_BENEFITS });
    await expect(applyEligibilityResponse(database.db, { organizationId, actor, content: strangers })).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
      message: "This 271 answers no eligibility check of this clinic (trace numbers and references in it: EC999999999).",
    });
    // Another clinic's trace number (the same "EC000000001") is never this clinic's check.
    expect(otherCheck.traceNumber).toBe(check.traceNumber);
    const malformed = [
      response271({ traceNumber: check.traceNumber, benefits: FIXTURE_BENEFITS }).replace("EB*C*IND*30***29*1100", "EB*C*IND*30***29*ELEVEN"),
      response271({ traceNumber: check.traceNumber, benefits: FIXTURE_BENEFITS }).split("EB*A")[0] as string,
      "ISA*00*garbage",
      benefitsFixture.replaceAll("271", "999"),
    ];
    for (const content of malformed) {
      const error = await applyEligibilityResponse(database.db, { organizationId, actor, content }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).status).toBe(422);
      expect((error as AppError).fields?.file).toHaveLength(1);
    }
    expect(await getEligibilityCheckOrThrow(database.db, { organizationId, checkId: check.id })).toMatchObject({ status: "requested", answeredAt: null });
    expect((await getCoverageOrThrow(database.db, { organizationId, coverageId: coverage.id })).version).toBe(1);
    expect(await database.db.auditEvent.count({ where: { organizationId } })).toBe(auditBefore);
    expect(await database.db.coverageRevision.count({ where: { organizationId } })).toBe(0);
  });

  it("a failure while writing the benefits rolls back the check too (one transaction)", async () => {
    const { organizationId, coverage } = await setup();
    const check = await requestEligibilityCheck(database.db, { organizationId, actor, coverageId: coverage.id, now: NOW });
    // A deductible over what a coverage can hold: saveCoverageBenefits refuses it after the check was updated.
    const content = response271({
      traceNumber: check.traceNumber,
      benefits: [
        segment("EB", "1", "IND", "30"),
        segment("EB", "C", "IND", "30", undefined, undefined, "23", "500000", undefined, undefined, undefined, undefined, "Y"),
      ],
    });
    await expect(applyEligibilityResponse(database.db, { organizationId, actor, content })).rejects.toBeTruthy();
    expect(await getEligibilityCheckOrThrow(database.db, { organizationId, checkId: check.id })).toMatchObject({ status: "requested" });
  });
});

describe("benefitsAfterEligibility", () => {
  const EMPTY: CoverageBenefitsView = {
    copays: [],
    coinsuranceBasisPoints: null,
    deductibleIndividual: null,
    deductibleIndividualMet: null,
    deductibleFamily: null,
    deductibleFamilyMet: null,
    outOfPocketMaxIndividual: null,
    outOfPocketMaxIndividualMet: null,
    outOfPocketMaxFamily: null,
    outOfPocketMaxFamilyMet: null,
    verifiedAt: null,
    source: null,
  };

  it("takes the linuxforhealth sample's in-network office co-pay ($10, service types include 98), never the out-of-network one", () => {
    const sample = readFileSync(fileURLToPath(new URL("../x12/__fixtures__/linuxforhealth/271/subscriber-health-benefit-check.271", import.meta.url)), "utf8");
    const person = read271(sample).responses[0]?.people[0];
    const result = benefitsAfterEligibility(EMPTY, person?.benefits ?? []);
    expect(result.copays).toEqual([
      { visitType: "office", label: "Office visit", amount: 1000 },
      { visitType: "urgent_care", label: "Urgent care", amount: 1000 },
      { visitType: "emergency", label: "Emergency room", amount: 1000 },
    ]);
    expect(result.deductibleIndividual).toBeNull();
  });

  it("a maximum with no remaining amount leaves met unknown; a remaining over the maximum counts as nothing met", () => {
    const person = read271(
      response271({
        traceNumber: "T1",
        benefits: [
          segment("EB", "C", "IND", "30", undefined, undefined, "23", "1000"),
          segment("EB", "G", "IND", undefined, undefined, undefined, "23", "3000"),
          segment("EB", "G", "IND", undefined, undefined, undefined, "29", "3500"),
        ],
      }),
    ).responses[0]?.people[0];
    const result = benefitsAfterEligibility({ ...EMPTY, deductibleIndividual: 50_000, deductibleIndividualMet: 20_000 }, person?.benefits ?? []);
    expect(result).toMatchObject({
      deductibleIndividual: 100_000,
      deductibleIndividualMet: null,
      outOfPocketMaxIndividual: 300_000,
      outOfPocketMaxIndividualMet: 0,
    });
  });
});
