import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { RemittanceClaimStatus } from "@/lib/db/generated/enums";
import { upsertPayerFee } from "@/lib/insurance/fee-schedule";
import { addTestPayerFees, createTestBillingClinic, createTestPayer } from "@/tests/insurance-fixtures";
import { setupTestDatabase } from "@/tests/test-database";
import { listUnderpaidLines, type UnderpaidLineView } from "./underpaid";

/*
 * Posted remittances are written here row by row with Prisma (as posting leaves them), so each
 * line's amounts are the ones the test states; the fee schedule goes through upsertPayerFee.
 */

const database = setupTestDatabase();
const db = () => database.db;

let nextClaimNumber = 1;
let nextInterchange = 1;

type Clinic = Awaited<ReturnType<typeof clinic>>;

/** A clinic with a payer (its fee schedule: 99213 $100.00, 99213-25 $120.00, 36415 $3.00, 99214 $150.00, 97110 $40.00 a unit). */
async function clinic() {
  const c = await createTestBillingClinic(db());
  await addTestPayerFees(db(), {
    organizationId: c.organizationId,
    actor: c.actor,
    payerId: c.payer.id,
    fees: [
      ["99213", "", "100.00"],
      ["99213", "25", "120.00"],
      ["36415", "", "3.00"],
      ["99214", "", "150.00"],
      ["97110", "", "40.00"],
    ],
  });
  return c;
}

/** A claim of the clinic's patient to `payerId` (the clinic's payer unless given), with claim lines dated 2026-11-02. */
async function claim(c: Clinic, options: { payerId?: string; lines?: { procedureCode: string; units?: number }[] } = {}) {
  const { organizationId } = c;
  const visit = await db().visit.create({
    data: {
      organizationId,
      patientId: c.patient.id,
      serviceDate: new Date("2026-11-02T00:00:00Z"),
      placeOfService: "11",
      diagnoses: ["J069"],
      createdBy: "test",
    },
  });
  const lines = options.lines ?? [];
  return db().claim.create({
    data: {
      organizationId,
      number: nextClaimNumber++,
      patientId: c.patient.id,
      visitId: visit.id,
      coverageId: c.coverage.id,
      payerId: options.payerId ?? c.payer.id,
      status: "paid",
      placeOfService: "11",
      diagnoses: ["J069"],
      totalCharge: 0,
      lines: {
        create: lines.map((line, index) => ({
          organizationId,
          position: index + 1,
          procedureCode: line.procedureCode,
          modifiers: [],
          units: line.units ?? 1,
          chargeAmount: 0,
          serviceDate: new Date("2026-11-02T00:00:00Z"),
          diagnosisPointers: [1],
        })),
      },
    },
    include: { lines: { orderBy: { position: "asc" } } },
  });
}

/** A stored 835 payment from the clinic's payer (or `payerId`), status posted, with trace number `traceNumber`. */
async function remittance(c: Clinic, options: { traceNumber: string; payerId?: string }) {
  const { organizationId } = c;
  const interchange = String(nextInterchange++).padStart(9, "0");
  const file = await db().clearinghouseFile.create({
    data: {
      organizationId,
      kind: "835",
      source: "upload",
      fileName: `${options.traceNumber}.835`,
      content: "ISA*…",
      sha256: randomBytes(32).toString("hex"),
      senderId: "CLEARINGHOUSE",
      interchangeControlNumber: interchange,
      importedBy: "test",
    },
  });
  return db().remittance.create({
    data: {
      organizationId,
      clearinghouseFileId: file.id,
      transactionSetControlNumber: "0001",
      payerId: options.payerId ?? c.payer.id,
      payerName: "EXAMPLE HEALTH PLAN",
      traceOriginatorId: "1123456789",
      traceNumber: options.traceNumber,
      totalAmount: 0,
      handlingCode: "I",
      paymentMethod: "CHK",
      paidOn: new Date("2026-12-01T00:00:00Z"),
      payeeName: "EXAMPLE FAMILY CLINIC",
      status: "posted",
    },
  });
}

type Line = {
  procedureCode: string;
  modifiers?: string[];
  charge: number;
  paid: number;
  /** AMT*B6; left out when the payer did not send it. */
  allowed?: number;
  units?: number;
  /** DTM*472; null: not sent. */
  serviceDate?: string | null;
  claimLineId?: string;
  adjustments?: [group: string, reason: string, amount: number][];
};

/** One claim payment (CLP) in the remittance, with its lines and their CAS adjustments. */
async function claimPayment(
  c: Clinic,
  options: {
    remittanceId: string;
    claimId: string;
    position?: number;
    status?: RemittanceClaimStatus;
    statusCode?: string;
    postedAt?: string;
    lines: Line[];
    claimAdjustments?: [group: string, reason: string, amount: number][];
  },
) {
  const { organizationId } = c;
  const status = options.status ?? "posted";
  const payment = await db().remittanceClaim.create({
    data: {
      organizationId,
      remittanceId: options.remittanceId,
      claimId: options.claimId,
      position: options.position ?? 1,
      patientControlNumber: "CLM-000001",
      statusCode: options.statusCode ?? "1",
      chargeAmount: options.lines.reduce((sum, line) => sum + line.charge, 0),
      paidAmount: options.lines.reduce((sum, line) => sum + line.paid, 0),
      filingIndicator: "CI",
      patientName: "DOE, JANE",
      status,
      postedAt: status === "posted" || status === "reversed" ? new Date(options.postedAt ?? "2026-12-02T15:00:00Z") : null,
    },
  });
  let adjustmentPosition = 1;
  for (const [index, line] of options.lines.entries()) {
    const row = await db().remittanceLine.create({
      data: {
        organizationId,
        remittanceClaimId: payment.id,
        claimLineId: line.claimLineId ?? null,
        position: index + 1,
        procedureQualifier: "HC",
        procedureCode: line.procedureCode,
        modifiers: line.modifiers ?? [],
        chargeAmount: line.charge,
        paidAmount: line.paid,
        allowedAmount: line.allowed ?? null,
        units: line.units ?? 1,
        serviceDate: line.serviceDate === null ? null : new Date(`${line.serviceDate ?? "2026-11-02"}T00:00:00Z`),
      },
    });
    for (const [groupCode, reasonCode, amount] of line.adjustments ?? []) {
      await db().remittanceAdjustment.create({
        data: { organizationId, remittanceClaimId: payment.id, remittanceLineId: row.id, position: adjustmentPosition++, groupCode, reasonCode, amount },
      });
    }
  }
  for (const [groupCode, reasonCode, amount] of options.claimAdjustments ?? []) {
    await db().remittanceAdjustment.create({
      data: { organizationId, remittanceClaimId: payment.id, remittanceLineId: null, position: adjustmentPosition++, groupCode, reasonCode, amount },
    });
  }
  return payment;
}

/** The queue as [code-modifiers, units, expected, allowed, paid, shortfall], in its order. */
const amounts = (lines: UnderpaidLineView[]) =>
  lines.map((line) => [
    [line.procedureCode, ...line.modifiers].join("-"),
    line.units,
    line.expectedAmount,
    line.allowedAmount,
    line.paidAmount,
    line.shortfall,
  ]);

async function allPages(organizationId: string, limit: number): Promise<UnderpaidLineView[]> {
  const lines: UnderpaidLineView[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 20; page++) {
    const result = await listUnderpaidLines(db(), { organizationId, cursor, limit });
    expect(result.lines.length).toBeLessThanOrEqual(limit);
    lines.push(...result.lines);
    if (!result.nextCursor) return lines;
    cursor = result.nextCursor;
  }
  throw new Error("the pages never ended");
}

describe("the underpaid queue", () => {
  it("lists posted lines allowed below the fee × units (a modifier's own fee first), with what to chase; never another clinic's, an unposted or reversed payment's", async () => {
    const c = await clinic();
    const other = await clinic();
    const secondPayer = await createTestPayer(db(), { organizationId: c.organizationId, name: "SECOND PLAN" });

    const paid = await claim(c, { lines: [{ procedureCode: "99213" }, { procedureCode: "36415" }, { procedureCode: "97110", units: 3 }] });
    const check = await remittance(c, { traceNumber: "CHK000000001" });
    await claimPayment(c, {
      remittanceId: check.id,
      claimId: paid.id,
      claimAdjustments: [["CO", "45", 1_000]], // claim level: never part of a line's allowed amount
      lines: [
        // Allowed $90.00 (AMT*B6) against $100.00: $10.00 short.
        {
          procedureCode: "99213",
          charge: 15_000,
          paid: 7_200,
          allowed: 9_000,
          adjustments: [
            ["CO", "45", 6_000],
            ["PR", "2", 1_800],
          ],
        },
        // Allowed $25.00 − CO-45 $22.00 = $3.00: exactly the fee.
        {
          procedureCode: "36415",
          charge: 2_500,
          paid: 240,
          adjustments: [
            ["CO", "45", 2_200],
            ["PR", "2", 60],
          ],
        },
        // 99213-25 has its own fee ($120.00): allowed $150.00 − CO-45 $30.00 − OA-23 $5.00 = $115.00 (PR not taken off): $5.00 short,
        // though above the any-modifier fee of $100.00.
        {
          procedureCode: "99213",
          modifiers: ["25"],
          charge: 15_000,
          paid: 9_500,
          adjustments: [
            ["CO", "45", 3_000],
            ["OA", "23", 500],
            ["PR", "2", 2_000],
          ],
        },
        // 99214-59: no 59 entry, so the any-modifier $150.00; allowed $160.00, above it.
        { procedureCode: "99214", modifiers: ["59"], charge: 20_000, paid: 16_000, allowed: 16_000, adjustments: [["CO", "45", 4_000]] },
        // 97110 × 3 at $40.00 = $120.00 expected; allowed $100.00 (PI-45 $50.00 off $150.00): $20.00 short. No DTM*472: the claim line's date.
        {
          procedureCode: "97110",
          units: 3,
          charge: 15_000,
          paid: 10_000,
          adjustments: [["PI", "45", 5_000]],
          serviceDate: null,
          claimLineId: paid.lines[2]!.id,
        },
        // No fee schedule entry for 99215: not in the queue whatever it was allowed.
        { procedureCode: "99215", charge: 25_000, paid: 1_000, allowed: 1_000, adjustments: [["CO", "45", 24_000]] },
        // Denied (CO-97: allowed nothing): the denial queue's, not this one's.
        { procedureCode: "99213", charge: 15_000, paid: 0, adjustments: [["CO", "97", 15_000]] },
      ],
    });

    // Not posted, reversed, or the reversal itself: not in the queue, though each is allowed $50.00 for 99213.
    const low = (): Line => ({ procedureCode: "99213", charge: 15_000, paid: 4_000, allowed: 5_000, adjustments: [["CO", "45", 10_000]] });
    const others = await remittance(c, { traceNumber: "CHK000000002" });
    await claimPayment(c, { remittanceId: others.id, claimId: (await claim(c)).id, position: 1, status: "matched", lines: [low()] });
    await claimPayment(c, { remittanceId: others.id, claimId: (await claim(c)).id, position: 2, status: "held", lines: [low()] });
    const reversedClaim = await claim(c);
    await claimPayment(c, { remittanceId: others.id, claimId: reversedClaim.id, position: 3, status: "reversed", lines: [low()] });
    await claimPayment(c, {
      remittanceId: others.id,
      claimId: reversedClaim.id,
      position: 4,
      statusCode: "22",
      lines: [{ procedureCode: "99213", charge: -15_000, paid: -4_000, allowed: -5_000, adjustments: [["CO", "45", -10_000]] }],
    });
    // Another payer of the clinic, with no fee schedule: the first payer's fees do not apply to it.
    const fromSecond = await remittance(c, { traceNumber: "CHK000000003", payerId: secondPayer.id });
    await claimPayment(c, { remittanceId: fromSecond.id, claimId: (await claim(c, { payerId: secondPayer.id })).id, lines: [low()] });
    // Another clinic's underpaid line: theirs only.
    const theirs = await remittance(other, { traceNumber: "CHK000000001" });
    await claimPayment(other, { remittanceId: theirs.id, claimId: (await claim(other)).id, lines: [low()] });

    const page = await listUnderpaidLines(db(), { organizationId: c.organizationId, limit: 25 });
    expect(page.nextCursor).toBeNull();
    // One posting: lines in id order, newest first; compare them by code.
    expect(amounts(page.lines).sort()).toEqual([
      ["97110", 3, 12_000, 10_000, 10_000, 2_000],
      ["99213", 1, 10_000, 9_000, 7_200, 1_000],
      ["99213-25", 1, 12_000, 11_500, 9_500, 500],
    ]);
    const first = page.lines.find((line) => line.procedureCode === "99213" && line.modifiers.length === 0)!;
    expect(first).toMatchObject({
      claim: { id: paid.id, displayNumber: `CLM-${String(paid.number).padStart(6, "0")}` },
      patient: { id: c.patient.id, name: "JANE DOE" },
      payer: { id: c.payer.id, name: c.payer.name },
      serviceDate: "2026-11-02",
      remittance: { id: check.id, traceNumber: "CHK000000001" },
      postedAt: "2026-12-02T15:00:00.000Z",
    });
    expect(page.lines.find((line) => line.procedureCode === "97110")!.serviceDate).toBe("2026-11-02");

    expect(amounts((await listUnderpaidLines(db(), { organizationId: other.organizationId, limit: 25 })).lines)).toEqual([
      ["99213", 1, 10_000, 5_000, 4_000, 5_000],
    ]);
  });

  it("pages newest posting first with a cursor, each line once; changing the fee schedule changes the queue", async () => {
    const c = await clinic();
    const older = await remittance(c, { traceNumber: "EFT000000001" });
    await claimPayment(c, {
      remittanceId: older.id,
      claimId: (await claim(c)).id,
      postedAt: "2026-12-01T10:00:00Z",
      lines: [
        { procedureCode: "99213", charge: 15_000, paid: 6_000, allowed: 8_000 },
        { procedureCode: "99214", charge: 20_000, paid: 10_000, allowed: 12_000 },
      ],
    });
    const newer = await remittance(c, { traceNumber: "EFT000000002" });
    await claimPayment(c, {
      remittanceId: newer.id,
      claimId: (await claim(c)).id,
      postedAt: "2026-12-03T10:00:00Z",
      lines: [
        { procedureCode: "99213", charge: 15_000, paid: 7_000, allowed: 9_500 },
        { procedureCode: "36415", charge: 2_500, paid: 100, allowed: 150 },
        { procedureCode: "99214", charge: 20_000, paid: 11_000, allowed: 14_000 },
      ],
    });

    const whole = await listUnderpaidLines(db(), { organizationId: c.organizationId, limit: 100 });
    expect(whole.lines.map((line) => line.remittance.traceNumber)).toEqual(["EFT000000002", "EFT000000002", "EFT000000002", "EFT000000001", "EFT000000001"]);
    // Within one posting, by line id (descending): a stable order for the cursor.
    const newest = whole.lines.slice(0, 3).map((line) => line.id);
    expect(newest).toEqual([...newest].sort().reverse());
    for (const limit of [1, 2, 3]) expect((await allPages(c.organizationId, limit)).map((line) => line.id)).toEqual(whole.lines.map((line) => line.id));

    const firstPage = await listUnderpaidLines(db(), { organizationId: c.organizationId, limit: 2 });
    expect(firstPage.nextCursor).toBe(whole.lines[1]!.id);

    // Lowering 99214's fee to $120.00 takes both 99214 lines out: allowed exactly $120.00, and $140.00.
    await upsertPayerFee(db(), {
      organizationId: c.organizationId,
      actor: c.adminActor,
      payerId: c.payer.id,
      input: { procedureCode: "99214", allowedAmount: "120.00" },
    });
    expect(amounts((await listUnderpaidLines(db(), { organizationId: c.organizationId, limit: 100 })).lines).sort()).toEqual([
      ["36415", 1, 300, 150, 100, 150],
      ["99213", 1, 10_000, 8_000, 6_000, 2_000],
      ["99213", 1, 10_000, 9_500, 7_000, 500],
    ]);
  });
});
