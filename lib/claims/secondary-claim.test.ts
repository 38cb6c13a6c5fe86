import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { addDays, fromIsoDate, todayIn } from "@/lib/invoices/dates";
import { checkStructure } from "@/lib/x12/check-structure";
import { readX12 } from "@/lib/x12/read-x12";
import { createTestOrganization } from "@/tests/factories";
import { createTestBillingSetup, createTestPayer, createTestSelfCoverage } from "@/tests/insurance-fixtures";
import { setupTestDatabase } from "@/tests/test-database";
import { createClaimFromVisit } from "./create-claim";
import { markClaimAccepted } from "./acknowledgments";
import { closeClaim, createCorrectedClaim } from "./correct-claim";
import { getClaimOrThrow } from "./list-claims";
import { get837PLoopMap } from "./loop-map-837p";
import { checkSecondaryClaim, createSecondaryClaim, createSecondaryClaimOrThrow } from "./secondary-claim";
import { createClaimBatch } from "./submit-claims";
import { buildClaim837PInput, listClaimProblems, validateClaim } from "./validate-claim";
import { recordVisit } from "./visits";

const database = setupTestDatabase();
const TIME_ZONE = "America/New_York";
const daysAgo = (days: number) => addDays(todayIn(TIME_ZONE), -days);
const SERVICE_DATE = daysAgo(10);
const compact = (date: string) => date.replaceAll("-", "");

/** A clinic whose patient has a primary coverage (from createTestBillingSetup) and, unless told otherwise, a secondary one with another payer. */
async function clinic(options: { secondary?: boolean } = {}) {
  const org = await createTestOrganization(database.db);
  const setup = await createTestBillingSetup(database.db, { organizationId: org.organizationId });
  const secondaryPayer = await createTestPayer(database.db, { organizationId: org.organizationId, name: "EXAMPLE SECONDARY PLAN" });
  const secondaryCoverage =
    options.secondary === false
      ? null
      : await createTestSelfCoverage(database.db, {
          organizationId: org.organizationId,
          patientId: setup.patient.id,
          payerId: secondaryPayer.id,
          priority: 2,
        });
  return { ...org, ...setup, actor: org.adminActor, secondaryPayer, secondaryCoverage };
}
type Clinic = Awaited<ReturnType<typeof clinic>>;

/** The primary claim (99213-25 at 150.00, 36415 at 25.00), validated and submitted in an 837 batch. */
async function submittedPrimaryClaim(c: Clinic) {
  const visit = await recordVisit(database.db, {
    organizationId: c.organizationId,
    actor: c.actor,
    patientId: c.patient.id,
    input: {
      serviceDate: SERVICE_DATE,
      renderingProviderId: c.provider.id,
      diagnoses: ["J06.9", "E11.9"],
      charges: [
        { procedureCode: "99213", modifiers: ["25"], units: 1, chargeAmount: 15_000, diagnosisPointers: [1, 2] },
        { procedureCode: "36415", units: 1, chargeAmount: 2_500, diagnosisPointers: [1] },
      ],
    },
  });
  const claim = await createClaimFromVisit(database.db, { organizationId: c.organizationId, actor: c.actor, visitId: visit.id });
  expect(claim.priority).toBe(1);
  expect((await validateClaim(database.db, { organizationId: c.organizationId, actor: c.actor, claimId: claim.id })).problems).toEqual([]);
  await createClaimBatch(database.db, { organizationId: c.organizationId, actor: c.actor, claimIds: [claim.id], channel: "download" });
  const lines = await database.db.claimLine.findMany({ where: { claimId: claim.id }, orderBy: { position: "asc" } });
  return { claim, lines, visit };
}

type Adjustment = { group: string; reason: string; amount: number; quantity?: number };
type PaymentLine = { claimLineId: string | null; code: string; modifiers?: string[]; charge: number; paid: number; adjustments: Adjustment[] };

let nextControl = 100;

/** A claim payment of the primary payer, written as remittance posting leaves it (the 835's rows with Prisma). */
async function clearinghouseFile(c: Clinic, options: { kind: string; importedAt?: Date }) {
  const control = nextControl++;
  return database.db.clearinghouseFile.create({
    data: {
      organizationId: c.organizationId,
      kind: options.kind,
      source: "upload",
      fileName: `file-${control}.${options.kind}`,
      content: `ISA*(${options.kind} number ${control})~`,
      sha256: randomBytes(32).toString("hex"),
      senderId: "CLEARINGHOUSE",
      interchangeControlNumber: String(control).padStart(9, "0"),
      importedBy: "test",
      ...(options.importedAt ? { importedAt: options.importedAt } : {}),
    },
  });
}

async function claimPayment(
  c: Clinic,
  options: {
    /** The payer that paid: the primary's unless told. */
    payer?: { id: string; name: string };
    claimId: string;
    claimNumber: string;
    status?: "posted" | "reversed" | "matched";
    statusCode?: string;
    paid: number;
    payerClaimControlNumber?: string;
    paidOn?: string | null;
    producedOn?: string | null;
    importedAt?: Date;
    claimAdjustments?: Adjustment[];
    lines: PaymentLine[];
  },
) {
  const file = await clearinghouseFile(c, { kind: "835", importedAt: options.importedAt });
  const payer = options.payer ?? c.payer;
  const remittance = await database.db.remittance.create({
    data: {
      organizationId: c.organizationId,
      clearinghouseFileId: file.id,
      transactionSetControlNumber: "0001",
      payerId: payer.id,
      payerName: payer.name,
      traceOriginatorId: "1123456789",
      traceNumber: `EFT${file.id}`,
      totalAmount: options.paid,
      handlingCode: "I",
      paymentMethod: "ACH",
      paidOn: options.paidOn ? fromIsoDate(options.paidOn) : null,
      producedOn: options.producedOn ? fromIsoDate(options.producedOn) : null,
      payeeName: "EXAMPLE FAMILY CLINIC",
      status: "posted",
    },
  });
  const payment = await database.db.remittanceClaim.create({
    data: {
      organizationId: c.organizationId,
      remittanceId: remittance.id,
      claimId: options.claimId,
      position: 1,
      patientControlNumber: options.claimNumber,
      statusCode: options.statusCode ?? "1",
      chargeAmount: 17_500,
      paidAmount: options.paid,
      filingIndicator: "CI",
      payerClaimControlNumber: options.payerClaimControlNumber ?? null,
      status: options.status ?? "posted",
      postedAt: new Date(),
    },
  });
  let position = 1;
  const adjustment = (each: Adjustment, remittanceLineId: string | null) => ({
    organizationId: c.organizationId,
    remittanceClaimId: payment.id,
    remittanceLineId,
    position: position++,
    groupCode: each.group,
    reasonCode: each.reason,
    amount: each.amount,
    quantity: each.quantity ?? null,
  });
  await database.db.remittanceAdjustment.createMany({ data: (options.claimAdjustments ?? []).map((each) => adjustment(each, null)) });
  for (const [index, line] of options.lines.entries()) {
    const row = await database.db.remittanceLine.create({
      data: {
        organizationId: c.organizationId,
        remittanceClaimId: payment.id,
        claimLineId: line.claimLineId,
        position: index + 1,
        procedureQualifier: "HC",
        procedureCode: line.code,
        modifiers: line.modifiers ?? [],
        chargeAmount: line.charge,
        paidAmount: line.paid,
        units: 1,
        serviceDate: fromIsoDate(SERVICE_DATE),
      },
    });
    await database.db.remittanceAdjustment.createMany({ data: line.adjustments.map((each) => adjustment(each, row.id)) });
  }
  return payment;
}

/**
 * The primary's adjudication: 99213-25 paid 52.00 (CO-45 60.00, PR-3 co-pay 25.00, PR-2 13.00),
 * 36415 paid 2.40 (CO-45 22.00, PR-2 0.60); imported at 03:00 UTC on the day after
 * `daysAgo(5)` (still `daysAgo(5)` in New York), with neither BPR16 nor DTM*405.
 */
async function firstPayment(c: Clinic, primary: Awaited<ReturnType<typeof submittedPrimaryClaim>>) {
  return claimPayment(c, {
    claimId: primary.claim.id,
    claimNumber: primary.claim.displayNumber,
    paid: 5_440,
    payerClaimControlNumber: "ICN-A-0001",
    paidOn: null,
    producedOn: null,
    importedAt: new Date(`${daysAgo(4)}T03:00:00Z`),
    lines: [
      {
        claimLineId: primary.lines[0]!.id,
        code: "99213",
        modifiers: ["25"],
        charge: 15_000,
        paid: 5_200,
        adjustments: [
          { group: "CO", reason: "45", amount: 6_000 },
          { group: "PR", reason: "3", amount: 2_500 },
          { group: "PR", reason: "2", amount: 1_300 },
        ],
      },
      {
        claimLineId: primary.lines[1]!.id,
        code: "36415",
        charge: 2_500,
        paid: 240,
        adjustments: [
          { group: "CO", reason: "45", amount: 2_200 },
          { group: "PR", reason: "2", amount: 60 },
        ],
      },
    ],
  });
}

describe("createSecondaryClaim", () => {
  it("after the primary's posted payment, creates the draft claim to the secondary coverage with the primary claim's visit, diagnoses, provider and lines; once", async () => {
    const c = await clinic();
    const primary = await submittedPrimaryClaim(c);
    await firstPayment(c, primary);
    const now = new Date();

    const result = await database.db.$transaction((tx) =>
      createSecondaryClaim(tx, { organizationId: c.organizationId, priorClaimId: primary.claim.id, actor: c.actor, now }),
    );
    expect(result.reason).toBeNull();
    expect(result.claimId).toEqual(expect.any(String));
    const row = await database.db.claim.findUniqueOrThrow({ where: { id: result.claimId! }, include: { lines: { orderBy: { position: "asc" } } } });
    expect(row).toMatchObject({
      status: "draft",
      frequencyCode: "1",
      priorClaimId: primary.claim.id,
      patientId: c.patient.id,
      visitId: primary.visit.id,
      coverageId: c.secondaryCoverage!.id,
      payerId: c.secondaryPayer.id,
      placeOfService: "11",
      renderingProviderId: c.provider.id,
      diagnoses: ["J069", "E119"],
      totalCharge: 17_500,
      insuranceBalance: 0,
      chargedTotal: null,
    });
    expect(
      row.lines.map((line) => ({
        position: line.position,
        code: line.procedureCode,
        modifiers: line.modifiers,
        charge: line.chargeAmount,
        units: Number(line.units),
        pointers: line.diagnosisPointers,
        visitChargeId: line.visitChargeId,
        provider: line.renderingProviderId,
      })),
    ).toEqual([
      {
        position: 1,
        code: "99213",
        modifiers: ["25"],
        charge: 15_000,
        units: 1,
        pointers: [1, 2],
        visitChargeId: primary.lines[0]!.visitChargeId,
        provider: null,
      },
      { position: 2, code: "36415", modifiers: [], charge: 2_500, units: 1, pointers: [1], visitChargeId: primary.lines[1]!.visitChargeId, provider: null },
    ]);

    const view = await getClaimOrThrow(database.db, { organizationId: c.organizationId, claimId: row.id });
    expect(view.events.map((event) => [event.kind, event.message])).toEqual([
      [
        "created",
        `Created from the primary payer's remittance on ${primary.claim.displayNumber} (${c.payer.name} paid $54.40): the secondary claim to EXAMPLE SECONDARY PLAN, carrying that adjudication.`,
      ],
    ]);
    const priorView = await getClaimOrThrow(database.db, { organizationId: c.organizationId, claimId: primary.claim.id });
    expect(priorView.events.at(-1)).toMatchObject({
      kind: "next_payer_claim_created",
      message: `${view.displayNumber} bills the rest to EXAMPLE SECONDARY PLAN (secondary).`,
    });

    // Idempotent: the second call (posting again, a retried job) finds the first claim.
    const again = await database.db.$transaction((tx) =>
      createSecondaryClaim(tx, { organizationId: c.organizationId, priorClaimId: primary.claim.id, actor: c.actor, now }),
    );
    expect(again).toEqual({
      claimId: null,
      reason: "already_exists",
      existingClaimId: row.id,
      message: `Claim ${view.displayNumber} (draft) already carries the adjudication of ${primary.claim.displayNumber} to the next payer.`,
    });
    expect(await database.db.claim.count({ where: { priorClaimId: primary.claim.id } })).toBe(1);

    // Closed by staff: posting does not make another, the staff action may.
    await closeClaim(database.db, { organizationId: c.organizationId, actor: c.actor, claimId: row.id, reason: "Made by mistake." });
    const afterClose = await database.db.$transaction((tx) =>
      createSecondaryClaim(tx, { organizationId: c.organizationId, priorClaimId: primary.claim.id, actor: c.actor, now }),
    );
    expect(afterClose.reason).toBe("already_exists");
    expect(await checkSecondaryClaim(database.db, { organizationId: c.organizationId, claimId: primary.claim.id })).toEqual({
      ok: true,
      coverageId: c.secondaryCoverage!.id,
      payerName: "EXAMPLE SECONDARY PLAN",
    });
    const remade = await createSecondaryClaimOrThrow(database.db, { organizationId: c.organizationId, actor: c.actor, claimId: primary.claim.id });
    expect(remade).toMatchObject({ status: "draft", totalCharge: 17_500 });
    expect(await database.db.claim.count({ where: { priorClaimId: primary.claim.id } })).toBe(2);
    await expect(
      createSecondaryClaimOrThrow(database.db, { organizationId: c.organizationId, actor: c.actor, claimId: primary.claim.id }),
    ).rejects.toMatchObject({
      code: "CONFLICT",
      message: `Claim ${remade.displayNumber} (draft) already carries the adjudication of ${primary.claim.displayNumber} to the next payer.`,
    });
  });

  it("returns null with the reason: no secondary coverage in force, the primary's payment not posted (or only reversed)", async () => {
    const alone = await clinic({ secondary: false });
    const primaryAlone = await submittedPrimaryClaim(alone);
    await firstPayment(alone, primaryAlone);
    const now = new Date();
    const none = await database.db.$transaction((tx) =>
      createSecondaryClaim(tx, { organizationId: alone.organizationId, priorClaimId: primaryAlone.claim.id, actor: alone.actor, now }),
    );
    expect(none).toEqual({
      claimId: null,
      reason: "no_next_coverage",
      message: `The patient has no secondary coverage in force on ${SERVICE_DATE}, the first date of service of ${primaryAlone.claim.displayNumber}.`,
    });

    // A secondary coverage that ended before the visit is not in force.
    const ended = await clinic({ secondary: false });
    await createTestSelfCoverage(database.db, {
      organizationId: ended.organizationId,
      patientId: ended.patient.id,
      payerId: ended.secondaryPayer.id,
      priority: 2,
      effectiveTo: daysAgo(11),
    });
    const primaryEnded = await submittedPrimaryClaim(ended);
    await firstPayment(ended, primaryEnded);
    expect(
      (
        await database.db.$transaction((tx) =>
          createSecondaryClaim(tx, { organizationId: ended.organizationId, priorClaimId: primaryEnded.claim.id, actor: ended.actor, now }),
        )
      ).reason,
    ).toBe("no_next_coverage");

    const c = await clinic();
    const primary = await submittedPrimaryClaim(c);
    const call = () =>
      database.db.$transaction((tx) => createSecondaryClaim(tx, { organizationId: c.organizationId, priorClaimId: primary.claim.id, actor: c.actor, now }));
    const notPosted = {
      claimId: null,
      reason: "prior_not_posted",
      message: `The primary payer's remittance for ${primary.claim.displayNumber} (${c.payer.name}) is not posted yet: the next claim must carry what it paid and adjusted.`,
    };
    expect(await call()).toEqual(notPosted);
    // Matched but not posted, reversed, and the reversal itself: still nothing the payer decided.
    const line = { claimLineId: primary.lines[0]!.id, code: "99213", modifiers: ["25"], charge: 15_000, paid: 5_200, adjustments: [] };
    await claimPayment(c, { claimId: primary.claim.id, claimNumber: primary.claim.displayNumber, status: "matched", paid: 5_200, lines: [line] });
    await claimPayment(c, { claimId: primary.claim.id, claimNumber: primary.claim.displayNumber, status: "reversed", paid: 5_200, lines: [line] });
    await claimPayment(c, {
      claimId: primary.claim.id,
      claimNumber: primary.claim.displayNumber,
      statusCode: "22",
      paid: -5_200,
      lines: [{ ...line, paid: -5_200 }],
    });
    expect(await call()).toEqual(notPosted);
    await expect(
      createSecondaryClaimOrThrow(database.db, { organizationId: c.organizationId, actor: c.actor, claimId: primary.claim.id }),
    ).rejects.toMatchObject({
      code: "CONFLICT",
      message: notPosted.message,
    });
    expect(await database.db.claim.count({ where: { organizationId: c.organizationId, priorClaimId: { not: null } } })).toBe(0);
  });
});

describe("the secondary claim's 837P", () => {
  it("carries the primary's posted payments summed (2320 CAS and AMT*D, 2330A, 2330B, 2430 per line), not the reversed ones, and passes the structure check", async () => {
    const c = await clinic();
    const primary = await submittedPrimaryClaim(c);
    await firstPayment(c, primary);
    // A second remittance: 10.00 more on 99213 (CO-45 reduced by 10.00), 0.20 sequestration (CO-253) at claim level.
    await claimPayment(c, {
      claimId: primary.claim.id,
      claimNumber: primary.claim.displayNumber,
      paid: 980,
      payerClaimControlNumber: "ICN-B-0002",
      paidOn: daysAgo(2),
      producedOn: daysAgo(3),
      claimAdjustments: [{ group: "CO", reason: "253", amount: 20 }],
      lines: [
        {
          claimLineId: primary.lines[0]!.id,
          code: "99213",
          modifiers: ["25"],
          charge: 15_000,
          paid: 1_000,
          adjustments: [{ group: "CO", reason: "45", amount: -1_000 }],
        },
      ],
    });
    // A payment taken back by a reversal, and the reversal itself: neither counts.
    const wrong = { claimLineId: primary.lines[1]!.id, code: "36415", charge: 2_500, paid: 2_500, adjustments: [{ group: "OA", reason: "94", amount: 77 }] };
    await claimPayment(c, {
      claimId: primary.claim.id,
      claimNumber: primary.claim.displayNumber,
      status: "reversed",
      paid: 2_500,
      paidOn: daysAgo(1),
      lines: [wrong],
    });
    await claimPayment(c, {
      claimId: primary.claim.id,
      claimNumber: primary.claim.displayNumber,
      statusCode: "22",
      paid: -2_500,
      paidOn: daysAgo(1),
      claimAdjustments: [{ group: "OA", reason: "94", amount: -77 }],
      lines: [{ ...wrong, paid: -2_500 }],
    });

    const created = await database.db.$transaction((tx) =>
      createSecondaryClaim(tx, { organizationId: c.organizationId, priorClaimId: primary.claim.id, actor: c.actor, now: new Date() }),
    );
    const claimId = created.claimId!;
    const input = await buildClaim837PInput(database.db, { organizationId: c.organizationId, claimId });
    expect(input.payerResponsibility).toBe("S");
    expect(input.otherPayers).toEqual([
      {
        payerResponsibility: "P",
        relationshipCode: "18",
        groupNumber: "GRP-0042",
        claimFilingIndicator: "CI",
        benefitsAssignmentCertified: "Y",
        adjustments: [{ groupCode: "CO", reasonCode: "253", amountCents: 20 }],
        paidCents: 6_420,
        subscriber: {
          lastName: "DOE",
          firstName: "JANE",
          memberId: "XYZ123456789",
          address: { line1: "12 Example Street", city: "Portland", state: "OR", postalCode: "97201" },
        },
        payer: { name: c.payer.name, payerId: c.payer.payerId, claimControlNumber: "ICN-B-0002" },
      },
    ]);

    const validated = await validateClaim(database.db, { organizationId: c.organizationId, actor: c.actor, claimId });
    expect(validated.problems).toEqual([]);
    const batch = await createClaimBatch(database.db, { organizationId: c.organizationId, actor: c.actor, claimIds: [claimId], channel: "download" });
    const { content } = await database.db.claimBatch.findUniqueOrThrow({ where: { id: batch.id }, select: { content: true } });
    expect(checkStructure(content, get837PLoopMap())).toEqual([]);
    const segments = readX12(content).segments.map((each) => [each.id, ...each.elements].join("*"));
    const from = (start: string) => segments.slice(segments.indexOf(start));
    const pid = c.payer.payerId;
    expect(segments).toContain("SBR*S*18*GRP-0042******CI");
    expect(from("SBR*P*18*GRP-0042******CI").slice(0, 11)).toEqual([
      "SBR*P*18*GRP-0042******CI",
      "CAS*CO*253*0.2",
      "AMT*D*64.2",
      "OI***Y***Y",
      "NM1*IL*1*DOE*JANE****MI*XYZ123456789",
      "N3*12 Example Street",
      "N4*Portland*OR*97201",
      `NM1*PR*2*${c.payer.name}*****PI*${pid}`,
      "REF*F8*ICN-B-0002",
      "LX*1",
      "SV1*HC:99213:25*150*UN*1***1:2",
    ]);
    // Line 1: both payments (52.00 + 10.00; CO-45 60.00 − 10.00), dated by the later one's BPR16.
    expect(from("LX*1").slice(3, 8)).toEqual([
      `SVD*${pid}*62*HC:99213:25**1`,
      "CAS*CO*45*50",
      "CAS*PR*3*25**2*13",
      `DTP*573*D8*${compact(daysAgo(2))}`,
      "LX*2",
    ]);
    // Line 2: the first payment only, dated the day it was imported in the clinic's time zone (no BPR16, no DTM*405).
    expect(from("LX*2").slice(3, 7)).toEqual([`SVD*${pid}*2.4*HC:36415**1`, "CAS*CO*45*22", "CAS*PR*2*0.6", `DTP*573*D8*${compact(daysAgo(5))}`]);
    expect(segments.some((each) => each.startsWith("CAS*OA"))).toBe(false);
  });

  it("a tertiary claim carries the primary's and the secondary's adjudications; a corrected secondary claim keeps its prior claim", async () => {
    const c = await clinic();
    const tertiaryPayer = await createTestPayer(database.db, { organizationId: c.organizationId, name: "EXAMPLE TERTIARY PLAN" });
    const tertiaryCoverage = await createTestSelfCoverage(database.db, {
      organizationId: c.organizationId,
      patientId: c.patient.id,
      payerId: tertiaryPayer.id,
      priority: 3,
    });
    const primary = await submittedPrimaryClaim(c);
    await firstPayment(c, primary);
    const now = new Date();
    const secondaryId = (
      await database.db.$transaction((tx) =>
        createSecondaryClaim(tx, { organizationId: c.organizationId, priorClaimId: primary.claim.id, actor: c.actor, now }),
      )
    ).claimId!;
    expect((await validateClaim(database.db, { organizationId: c.organizationId, actor: c.actor, claimId: secondaryId })).problems).toEqual([]);
    await createClaimBatch(database.db, { organizationId: c.organizationId, actor: c.actor, claimIds: [secondaryId], channel: "download" });
    const secondaryLines = await database.db.claimLine.findMany({ where: { claimId: secondaryId }, orderBy: { position: "asc" } });
    const secondary = await getClaimOrThrow(database.db, { organizationId: c.organizationId, claimId: secondaryId });
    await claimPayment(c, {
      payer: c.secondaryPayer,
      claimId: secondaryId,
      claimNumber: secondary.displayNumber,
      statusCode: "2",
      paid: 3_060,
      paidOn: daysAgo(1),
      lines: [
        {
          claimLineId: secondaryLines[0]!.id,
          code: "99213",
          modifiers: ["25"],
          charge: 15_000,
          paid: 3_000,
          adjustments: [{ group: "OA", reason: "23", amount: 12_000 }],
        },
        { claimLineId: secondaryLines[1]!.id, code: "36415", charge: 2_500, paid: 60, adjustments: [{ group: "OA", reason: "23", amount: 2_440 }] },
      ],
    });

    const tertiary = await database.db.$transaction((tx) =>
      createSecondaryClaim(tx, { organizationId: c.organizationId, priorClaimId: secondaryId, actor: c.actor, now }),
    );
    expect(tertiary.message).toBe(
      `${(await getClaimOrThrow(database.db, { organizationId: c.organizationId, claimId: tertiary.claimId! })).displayNumber} created for EXAMPLE TERTIARY PLAN (tertiary) from the secondary payer's remittance on ${secondary.displayNumber}.`,
    );
    const row = await database.db.claim.findUniqueOrThrow({ where: { id: tertiary.claimId! } });
    expect(row).toMatchObject({ priorClaimId: secondaryId, coverageId: tertiaryCoverage.id, payerId: tertiaryPayer.id, totalCharge: 17_500 });

    const input = await buildClaim837PInput(database.db, { organizationId: c.organizationId, claimId: row.id });
    expect(input.payerResponsibility).toBe("T");
    expect(input.otherPayers!.map((other) => [other.payerResponsibility, other.payer.payerId, other.paidCents])).toEqual([
      ["P", c.payer.payerId, 5_440],
      ["S", c.secondaryPayer.payerId, 3_060],
    ]);
    expect(input.serviceLines.map((line) => line.adjudications!.map((each) => [each.payerId, each.paidCents]))).toEqual([
      [
        [c.payer.payerId, 5_200],
        [c.secondaryPayer.payerId, 3_000],
      ],
      [
        [c.payer.payerId, 240],
        [c.secondaryPayer.payerId, 60],
      ],
    ]);
    expect((await validateClaim(database.db, { organizationId: c.organizationId, actor: c.actor, claimId: row.id })).problems).toEqual([]);
    const batch = await createClaimBatch(database.db, { organizationId: c.organizationId, actor: c.actor, claimIds: [row.id], channel: "download" });
    const { content } = await database.db.claimBatch.findUniqueOrThrow({ where: { id: batch.id }, select: { content: true } });
    expect(checkStructure(content, get837PLoopMap())).toEqual([]);
    expect(content).toContain(`SVD*${c.secondaryPayer.payerId}*30*HC:99213:25**1~\nCAS*OA*23*120~\nDTP*573*D8*${compact(daysAgo(1))}~`);

    // The secondary claim corrected (frequency 7): the replacement still carries the primary's adjudication.
    const file = await clearinghouseFile(c, { kind: "277CA" });
    await database.db.$transaction((tx) =>
      markClaimAccepted(tx, { organizationId: c.organizationId, claimId: secondaryId, actor: c.actor, payerClaimNumber: "SEC-ICN-9", fileId: file.id }),
    );
    const corrected = await createCorrectedClaim(database.db, { organizationId: c.organizationId, actor: c.actor, claimId: secondaryId });
    expect(await database.db.claim.findUniqueOrThrow({ where: { id: corrected.id }, select: { priorClaimId: true, frequencyCode: true } })).toEqual({
      priorClaimId: primary.claim.id,
      frequencyCode: "7",
    });
    const correctedInput = await buildClaim837PInput(database.db, { organizationId: c.organizationId, claimId: corrected.id });
    expect(correctedInput.otherPayers!.map((other) => [other.payerResponsibility, other.paidCents])).toEqual([["P", 5_440]]);
  });

  it("a claim whose primary payment is no longer posted is not ready: the problem says to post the primary's remittance first", async () => {
    const c = await clinic();
    const primary = await submittedPrimaryClaim(c);
    const payment = await firstPayment(c, primary);
    const created = await database.db.$transaction((tx) =>
      createSecondaryClaim(tx, { organizationId: c.organizationId, priorClaimId: primary.claim.id, actor: c.actor, now: new Date() }),
    );
    expect(await listClaimProblems(database.db, { organizationId: c.organizationId, claimId: created.claimId! })).toEqual([]);
    // The primary's payment was reversed since (posting marks it so).
    await database.db.remittanceClaim.update({ where: { id: payment.id }, data: { status: "reversed" } });
    const { problems, claim } = await validateClaim(database.db, { organizationId: c.organizationId, actor: c.actor, claimId: created.claimId! });
    expect(claim.status).toBe("draft");
    expect(problems).toEqual([
      {
        path: "priorClaimId",
        message: `The primary payer's remittance is not posted yet for claim ${primary.claim.displayNumber} (${c.payer.name}): this claim must carry what the primary payer paid and adjusted, so post that remittance first.`,
      },
    ]);
  });
});
