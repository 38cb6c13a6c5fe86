import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { closeClaim, createCorrectedClaim } from "@/lib/claims/correct-claim";
import { createClaimBatch } from "@/lib/claims/submit-claims";
import { validateClaim } from "@/lib/claims/validate-claim";
import { addDays, todayIn } from "@/lib/invoices/dates";
import { checkLedger } from "@/lib/ledger/balances";
import { createTestBillingClinic } from "@/tests/insurance-fixtures";
import { importTest835, submitTestClaim, type Test835Claim } from "@/tests/remittance-files";
import { setupTestDatabase } from "@/tests/test-database";
import { addAppealNote, billDenialToPatient, getClaimDenial, listDenials, writeOffDenial } from "./denials";

const database = setupTestDatabase();
const SERVICE_DATE = addDays(todayIn("America/New_York"), -3);
const CLEAN_LEDGER = { unbalancedCurrencies: [], invoiceMismatches: [], patientCreditMismatches: [], allocationMismatches: [], claimMismatches: [] };

/** A clinic with one claim sent and accepted by the payer's 277CA (which gave its claim number, unless `payerClaimNumber` is null). */
async function clinicWithClaim(payerClaimNumber: string | null = "PCN-277CA-1") {
  const c = await createTestBillingClinic(database.db);
  const submitted = await submitTestClaim(database.db, c, SERVICE_DATE);
  await database.db.$executeRaw`UPDATE claims SET status = 'accepted', payer_claim_number = ${payerClaimNumber} WHERE id = ${submitted.claim.id}::uuid`;
  return { c, ...submitted };
}

/** The whole claim denied (CLP02 4) for filing too late: CO-29 on both lines, a remark on the first. */
const timelyFilingDenial = (number: string): Test835Claim => ({
  number,
  status: "4",
  charge: 17_500,
  paid: 0,
  patient: 0,
  payerClaimNumber: "PCN-835-1",
  lines: [
    {
      code: "99213",
      modifiers: ["25"],
      charge: 15_000,
      paid: 0,
      date: SERVICE_DATE,
      adjustments: [{ group: "CO", reason: "29", amount: 15_000 }],
      remarks: ["N130"],
    },
    { code: "36415", charge: 2_500, paid: 0, date: SERVICE_DATE, adjustments: [{ group: "CO", reason: "29", amount: 2_500 }] },
  ],
});

/** The office visit denied as included in another service (CO-97), the blood draw as not covered by the plan (OA-204): the patient may be billed for the latter only. */
const mixedDenial = (number: string): Test835Claim => ({
  number,
  status: "4",
  charge: 17_500,
  paid: 0,
  patient: 0,
  lines: [
    { code: "99213", modifiers: ["25"], charge: 15_000, paid: 0, date: SERVICE_DATE, adjustments: [{ group: "CO", reason: "97", amount: 15_000 }] },
    { code: "36415", charge: 2_500, paid: 0, date: SERVICE_DATE, adjustments: [{ group: "OA", reason: "204", amount: 2_500 }], remarks: ["N130"] },
  ],
});

async function claimRow(claimId: string) {
  return database.db.claim.findUniqueOrThrow({
    where: { id: claimId },
    select: { status: true, insuranceBalance: true, insurancePaid: true, contractualAdjusted: true, patientResponsibility: true, writtenOff: true },
  });
}

async function journalLines(organizationId: string, kind: string) {
  const lines = await database.db.journalLine.findMany({
    where: { organizationId, journalEntry: { kind } },
    select: { amount: true, claimId: true, account: { select: { code: true } } },
  });
  return lines.map((line) => [line.account.code, line.amount, line.claimId]).sort();
}

const lastEvent = async (claimId: string) => (await database.db.claimEvent.findMany({ where: { claimId }, orderBy: { createdAt: "asc" } })).at(-1);

describe("the denial queue", () => {
  it("lists a CO-29 denial with the payer's reasons in words, the lines they are on and the actions allowed (never billing the patient for CO)", async () => {
    const { c, claim } = await clinicWithClaim();
    await importTest835(database.db, c, [timelyFilingDenial(claim.displayNumber)]);

    const page = await listDenials(database.db, { organizationId: c.organizationId, limit: 10 });
    expect(page.nextCursor).toBeNull();
    expect(page.denials).toHaveLength(1);
    const [denial] = page.denials;
    expect(denial).toMatchObject({
      claim: { id: claim.id, displayNumber: claim.displayNumber, status: "denied", statusLabel: "Denied" },
      patient: { id: c.patient.id },
      payer: { id: c.payer.id, name: c.payer.name },
      serviceFrom: SERVICE_DATE,
      serviceTo: SERVICE_DATE,
      totalCharge: 17_500,
      insurancePaid: 0,
      openBalance: 17_500,
      correction: null,
    });
    expect(denial!.reasons.map((reason) => [reason.code, reason.amount, reason.line?.procedureCode ?? null, reason.patientMayBeBilled])).toEqual([
      ["CO-29", 15_000, "99213", false],
      ["CO-29", 2_500, "36415", false],
    ]);
    expect(denial!.reasons[0]!.description).toBe("CO-29: Contractual obligation — The time limit for filing has expired.");
    expect(denial!.reasons[0]!.line).toEqual({ procedureCode: "99213", modifiers: ["25"], serviceDate: SERVICE_DATE, chargeAmount: 15_000 });
    expect(denial!.reasons[0]!.remarks).toEqual([
      { code: "N130", description: "Consult plan benefit documents/guidelines for information about restrictions for this service." },
    ]);
    expect(denial!.reasons[1]!.remarks).toEqual([]);
    expect(denial!.actions).toEqual({
      correct: true,
      correctRefusal: null,
      appeal: true,
      writeOff: true,
      billPatient: false,
      billPatientAmount: 0,
      billPatientRefusal: expect.stringMatching(/^The payer denied it as CO-29 \(contractual obligation\): the patient may never be billed/),
    });
    expect(await getClaimDenial(database.db, { organizationId: c.organizationId, claimId: claim.id })).toEqual(denial);

    // Another clinic sees nothing of it; a paid claim is not in the queue.
    const other = await createTestBillingClinic(database.db);
    expect((await listDenials(database.db, { organizationId: other.organizationId, limit: 10 })).denials).toEqual([]);
  });

  it("pages by claim, newest first, and lists a partially paid claim with only its denied line", async () => {
    const { c, claim: first } = await clinicWithClaim();
    const { claim: second } = await submitTestClaim(database.db, c, SERVICE_DATE);
    await database.db.$executeRaw`UPDATE claims SET status = 'accepted' WHERE id = ${second.id}::uuid`;
    await importTest835(database.db, c, [
      timelyFilingDenial(first.displayNumber),
      {
        number: second.displayNumber,
        charge: 17_500,
        paid: 9_000,
        lines: [
          { code: "99213", modifiers: ["25"], charge: 15_000, paid: 9_000, date: SERVICE_DATE, adjustments: [{ group: "CO", reason: "45", amount: 6_000 }] },
          { code: "36415", charge: 2_500, paid: 0, date: SERVICE_DATE, adjustments: [{ group: "CO", reason: "16", amount: 2_500 }], remarks: ["N130"] },
        ],
      },
    ]);
    const one = await listDenials(database.db, { organizationId: c.organizationId, limit: 1 });
    expect(one.denials.map((denial) => denial.claim.id)).toEqual([second.id]);
    expect(one.denials[0]).toMatchObject({ claim: { status: "partially_paid" }, openBalance: 2_500, insurancePaid: 9_000 });
    expect(one.denials[0]!.reasons.map((reason) => [reason.code, reason.amount])).toEqual([["CO-16", 2_500]]);
    expect(one.denials[0]!.reasons[0]!.description).toMatch(/^CO-16: Contractual obligation — Claim\/service lacks information/);
    const two = await listDenials(database.db, { organizationId: c.organizationId, limit: 1, cursor: one.nextCursor! });
    expect(two.denials.map((denial) => denial.claim.id)).toEqual([first.id]);
    expect(two.nextCursor).toBeNull();
  });

  it("writes off a denial: the journal posted, the claim closed with the reason, its balance 0 and the ledger clean", async () => {
    const { c, claim } = await clinicWithClaim();
    await importTest835(database.db, c, [timelyFilingDenial(claim.displayNumber)]);

    const result = await writeOffDenial(database.db, {
      organizationId: c.organizationId,
      claimId: claim.id,
      reason: "Filed late after the front desk lost the card",
      actor: c.actor,
    });
    expect(result).toEqual({ amount: 17_500, message: `${claim.displayNumber}: $175.00 written off; the claim is closed.` });
    expect(await journalLines(c.organizationId, "claim.written_off")).toEqual([
      ["1110", -17_500, claim.id],
      ["4930", 17_500, null],
    ]);
    expect(await claimRow(claim.id)).toEqual({
      status: "closed",
      insuranceBalance: 0,
      insurancePaid: 0,
      contractualAdjusted: 0,
      patientResponsibility: 0,
      writtenOff: 17_500,
    });
    expect(await lastEvent(claim.id)).toMatchObject({
      fromStatus: "denied",
      toStatus: "closed",
      kind: "written_off",
      message: "Wrote off $175.00 the payer denied: Filed late after the front desk lost the card",
    });
    expect(await database.db.auditEvent.count({ where: { organizationId: c.organizationId, action: "claim.written_off", targetId: claim.id } })).toBe(1);
    expect(await checkLedger(database.db)).toEqual(CLEAN_LEDGER);
    expect((await listDenials(database.db, { organizationId: c.organizationId, limit: 10 })).denials).toEqual([]);

    // Nothing is written off twice; a reason is required.
    await expect(writeOffDenial(database.db, { organizationId: c.organizationId, claimId: claim.id, reason: "again", actor: c.actor })).rejects.toThrow(
      `${claim.displayNumber} is closed: only a denied or partially paid claim can be written off from the denial queue.`,
    );
    await expect(writeOffDenial(database.db, { organizationId: c.organizationId, claimId: claim.id, reason: " ", actor: c.actor })).rejects.toBeInstanceOf(
      ZodError,
    );
  });

  it("refuses to write off another clinic's claim or a claim that is not denied", async () => {
    const { c, claim } = await clinicWithClaim();
    const other = await createTestBillingClinic(database.db);
    await importTest835(database.db, c, [timelyFilingDenial(claim.displayNumber)]);
    await expect(
      writeOffDenial(database.db, { organizationId: other.organizationId, claimId: claim.id, reason: "not mine", actor: other.actor }),
    ).rejects.toThrow("Claim not found.");
    const { claim: accepted } = await submitTestClaim(database.db, c, SERVICE_DATE);
    await expect(writeOffDenial(database.db, { organizationId: c.organizationId, claimId: accepted.id, reason: "too early", actor: c.actor })).rejects.toThrow(
      /is submitted: only a denied or partially paid claim/,
    );
    expect(await claimRow(claim.id)).toMatchObject({ status: "denied", insuranceBalance: 17_500 });
  });

  it("refuses to bill the patient for a CO denial, naming the codes", async () => {
    const { c, claim } = await clinicWithClaim();
    await importTest835(database.db, c, [timelyFilingDenial(claim.displayNumber)]);
    await expect(billDenialToPatient(database.db, { organizationId: c.organizationId, claimId: claim.id, actor: c.actor })).rejects.toThrow(
      `${claim.displayNumber}: The payer denied it as CO-29 (contractual obligation): the patient may never be billed for a CO denial. Correct and resubmit, appeal, or write it off.`,
    );
    expect(await database.db.invoice.count({ where: { organizationId: c.organizationId } })).toBe(0);
    expect(await claimRow(claim.id)).toMatchObject({ status: "denied", insuranceBalance: 17_500, patientResponsibility: 0 });
  });

  it("bills the patient for the OA part of a denial only: an invoice line per service and reason, the CO part left open, each adjustment billed once", async () => {
    const { c, claim } = await clinicWithClaim();
    await importTest835(database.db, c, [mixedDenial(claim.displayNumber)]);
    const before = await getClaimDenial(database.db, { organizationId: c.organizationId, claimId: claim.id });
    expect(before!.actions).toMatchObject({ billPatient: true, billPatientAmount: 2_500, billPatientRefusal: null });

    const result = await billDenialToPatient(database.db, { organizationId: c.organizationId, claimId: claim.id, actor: c.actor });
    expect(result.amount).toBe(2_500);
    expect(result.message).toBe(`${claim.displayNumber}: $25.00 (OA-204) billed to ${before!.patient.name}. $150.00 stays open on the claim.`);
    const invoices = await database.db.invoice.findMany({
      where: { organizationId: c.organizationId },
      include: { lines: { orderBy: { position: "asc" } } },
    });
    expect(invoices.map((invoice) => invoice.id)).toEqual(result.invoiceIds);
    expect(invoices[0]).toMatchObject({ status: "open", total: 2_500, amountDue: 2_500, patientId: c.patient.id });
    expect(invoices[0]!.lines.map((line) => [line.description, line.serviceCode, line.unitAmount])).toEqual([
      [`This service/equipment/drug is not covered under the patient's current benefit plan (OA-204) — blood draw 36415 on ${SERVICE_DATE}`, "36415", 2_500],
    ]);
    expect(await claimRow(claim.id)).toEqual({
      status: "denied",
      insuranceBalance: 15_000,
      insurancePaid: 0,
      contractualAdjusted: 0,
      patientResponsibility: 2_500,
      writtenOff: 0,
    });
    expect(await lastEvent(claim.id)).toMatchObject({ kind: "denial_billed_to_patient", toStatus: "denied" });
    expect(await checkLedger(database.db)).toEqual(CLEAN_LEDGER);

    // Still in the queue for the CO-97 part; the OA-204 part is billed and not offered again.
    const after = await getClaimDenial(database.db, { organizationId: c.organizationId, claimId: claim.id });
    expect(after!.openBalance).toBe(15_000);
    expect(after!.reasons.map((reason) => [reason.code, reason.billedToPatient])).toEqual([
      ["CO-97", false],
      ["OA-204", true],
    ]);
    expect(after!.actions).toMatchObject({ billPatient: false, billPatientAmount: 0 });
    await expect(billDenialToPatient(database.db, { organizationId: c.organizationId, claimId: claim.id, actor: c.actor })).rejects.toThrow(/CO-97/);
    expect(await database.db.invoice.count({ where: { organizationId: c.organizationId } })).toBe(1);

    // The rest written off: nothing open, the ledger clean.
    await writeOffDenial(database.db, { organizationId: c.organizationId, claimId: claim.id, reason: "Bundled; not worth an appeal", actor: c.actor });
    expect(await claimRow(claim.id)).toMatchObject({ status: "closed", insuranceBalance: 0, writtenOff: 15_000, patientResponsibility: 2_500 });
    expect(await checkLedger(database.db)).toEqual(CLEAN_LEDGER);
  });

  it("two staff billing the same denial at once: one invoice, the other refused", async () => {
    const { c, claim } = await clinicWithClaim();
    await importTest835(database.db, c, [mixedDenial(claim.displayNumber)]);
    const bill = () => billDenialToPatient(database.db, { organizationId: c.organizationId, claimId: claim.id, actor: c.actor });
    const results = await Promise.allSettled([bill(), bill()]);
    expect(results.map((result) => result.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect(await database.db.invoice.count({ where: { organizationId: c.organizationId } })).toBe(1);
    expect(await claimRow(claim.id)).toMatchObject({ insuranceBalance: 15_000, patientResponsibility: 2_500 });
    expect(await checkLedger(database.db)).toEqual(CLEAN_LEDGER);
  });

  it("billing the patient for the whole open amount leaves the claim as the payer decided it, out of the queue", async () => {
    const { c, claim } = await clinicWithClaim();
    await importTest835(database.db, c, [
      {
        number: claim.displayNumber,
        charge: 17_500,
        paid: 9_000,
        lines: [
          { code: "99213", modifiers: ["25"], charge: 15_000, paid: 9_000, date: SERVICE_DATE, adjustments: [{ group: "CO", reason: "45", amount: 6_000 }] },
          { code: "36415", charge: 2_500, paid: 0, date: SERVICE_DATE, adjustments: [{ group: "PI", reason: "204", amount: 2_500 }] },
        ],
      },
    ]);
    expect(await claimRow(claim.id)).toMatchObject({ status: "partially_paid", insuranceBalance: 2_500 });
    const result = await billDenialToPatient(database.db, { organizationId: c.organizationId, claimId: claim.id, actor: c.actor });
    expect(result.message).toMatch(/: \$25\.00 \(PI-204\) billed to .+\.$/);
    expect(await claimRow(claim.id)).toMatchObject({ status: "partially_paid", insuranceBalance: 0, patientResponsibility: 2_500 });
    expect(await getClaimDenial(database.db, { organizationId: c.organizationId, claimId: claim.id })).toBeNull();
    expect((await listDenials(database.db, { organizationId: c.organizationId, limit: 10 })).denials).toEqual([]);
    expect(await checkLedger(database.db)).toEqual(CLEAN_LEDGER);
  });

  it("keeps an appeal note in the claim's history", async () => {
    const { c, claim } = await clinicWithClaim();
    await importTest835(database.db, c, [timelyFilingDenial(claim.displayNumber)]);
    await addAppealNote(database.db, {
      organizationId: c.organizationId,
      claimId: claim.id,
      note: "Appealed by fax on 12/05 with proof of timely filing (clearinghouse report).",
      actor: c.actor,
    });
    expect(await lastEvent(claim.id)).toMatchObject({
      fromStatus: "denied",
      toStatus: "denied",
      kind: "appeal_note",
      message: "Appealed by fax on 12/05 with proof of timely filing (clearinghouse report).",
    });
    expect(await claimRow(claim.id)).toMatchObject({ status: "denied", insuranceBalance: 17_500 });
    await expect(addAppealNote(database.db, { organizationId: c.organizationId, claimId: claim.id, note: "ok", actor: c.actor })).rejects.toBeInstanceOf(
      ZodError,
    );
    await expect(
      addAppealNote(database.db, { organizationId: c.organizationId, claimId: claim.id, note: "x".repeat(2_001), actor: c.actor }),
    ).rejects.toBeInstanceOf(ZodError);
    const other = await createTestBillingClinic(database.db);
    await expect(addAppealNote(database.db, { organizationId: other.organizationId, claimId: claim.id, note: "Not mine", actor: other.actor })).rejects.toThrow(
      "Claim not found.",
    );
  });

  it("corrects a denied claim (frequency 7, the payer's claim number from its remittance when no 277CA gave one); submitting the correction moves the open balance to it", async () => {
    const { c, claim } = await clinicWithClaim(null);
    await importTest835(database.db, c, [timelyFilingDenial(claim.displayNumber)]);
    // Posting keeps CLP07 as the payer's claim number when no 277CA gave one.
    expect((await database.db.claim.findUniqueOrThrow({ where: { id: claim.id } })).payerClaimNumber).toBe("PCN-835-1");
    // A claim posted before posting kept it: the correction still finds it on the posted payment.
    await database.db.$executeRaw`UPDATE claims SET payer_claim_number = NULL WHERE id = ${claim.id}::uuid`;
    expect((await getClaimDenial(database.db, { organizationId: c.organizationId, claimId: claim.id }))!.actions.correct).toBe(true);

    const correction = await createCorrectedClaim(database.db, { organizationId: c.organizationId, actor: c.actor, claimId: claim.id });
    expect(correction).toMatchObject({ status: "draft", frequencyCode: "7", payerClaimNumber: "PCN-835-1", replacesClaim: { id: claim.id } });
    const pending = await getClaimDenial(database.db, { organizationId: c.organizationId, claimId: claim.id });
    expect(pending!.correction).toEqual({ id: correction.id, displayNumber: correction.displayNumber, status: "draft" });
    expect(pending!.actions).toMatchObject({ correct: false, correctRefusal: `${correction.displayNumber} already corrects this claim (draft).` });
    await expect(
      writeOffDenial(database.db, { organizationId: c.organizationId, claimId: claim.id, reason: "changed my mind", actor: c.actor }),
    ).rejects.toThrow(/corrects .+ close the correction first/);

    const { problems } = await validateClaim(database.db, { organizationId: c.organizationId, actor: c.actor, claimId: correction.id });
    expect(problems).toEqual([]);
    await createClaimBatch(database.db, { organizationId: c.organizationId, actor: c.actor, claimIds: [correction.id], channel: "download" });
    expect(await claimRow(claim.id)).toMatchObject({ status: "denied", insuranceBalance: 0 });
    expect(await claimRow(correction.id)).toMatchObject({ status: "submitted", insuranceBalance: 17_500 });
    expect((await listDenials(database.db, { organizationId: c.organizationId, limit: 10 })).denials).toEqual([]);
    expect(await checkLedger(database.db)).toEqual(CLEAN_LEDGER);
  });

  it("a correction rejected and closed gives back what it took over and what it charged, so a second correction moves the balance again and charges nothing twice", async () => {
    const { c, claim } = await clinicWithClaim(null);
    await importTest835(database.db, c, [timelyFilingDenial(claim.displayNumber)]);
    const first = await createCorrectedClaim(database.db, { organizationId: c.organizationId, actor: c.actor, claimId: claim.id });
    // The correction bills the office visit at 160.00 instead of 150.00: it charges 10.00 more.
    await database.db.$executeRaw`UPDATE claim_lines SET charge_amount = 16000 WHERE claim_id = ${first.id}::uuid AND procedure_code = '99213'`;
    await database.db.$executeRaw`UPDATE claims SET total_charge = 18500 WHERE id = ${first.id}::uuid`;
    expect((await validateClaim(database.db, { organizationId: c.organizationId, actor: c.actor, claimId: first.id })).problems).toEqual([]);
    await createClaimBatch(database.db, { organizationId: c.organizationId, actor: c.actor, claimIds: [first.id], channel: "download" });
    expect(await claimRow(first.id)).toMatchObject({ insuranceBalance: 18_500 });
    expect(await claimRow(claim.id)).toMatchObject({ insuranceBalance: 0 });

    // The payer rejects it; staff close it.
    await database.db.$executeRaw`UPDATE claims SET status = 'rejected' WHERE id = ${first.id}::uuid`;
    await closeClaim(database.db, {
      organizationId: c.organizationId,
      actor: c.actor,
      claimId: first.id,
      reason: "Rejected; we will correct the original again",
    });
    expect(await claimRow(first.id)).toMatchObject({ status: "closed", insuranceBalance: 0 });
    expect(await claimRow(claim.id)).toMatchObject({ status: "denied", insuranceBalance: 17_500 });
    expect(await journalLines(c.organizationId, "claim.replaced")).toEqual(
      [
        ["1110", 17_500, first.id],
        ["1110", -17_500, claim.id],
        ["1110", 17_500, claim.id],
        ["1110", -17_500, first.id],
      ].sort(),
    );
    expect(await journalLines(c.organizationId, "claim.charge_adjusted")).toEqual(
      [
        ["1110", 1_000, first.id],
        ["4000", -1_000, null],
        ["1110", -1_000, first.id],
        ["4000", 1_000, null],
      ].sort(),
    );
    expect(await database.db.auditEvent.findFirstOrThrow({ where: { organizationId: c.organizationId, action: "claim.closed" } })).toMatchObject({
      after: { balanceReturnedTo: claim.id, movedBack: 17_500, unCharged: 1_000 },
    });
    expect(await listDenials(database.db, { organizationId: c.organizationId, limit: 10 })).toMatchObject({
      denials: [{ claim: { id: claim.id }, actions: { correct: true } }],
    });
    expect(await checkLedger(database.db)).toEqual(CLEAN_LEDGER);

    // A second correction, at the original's total: the balance moves to it, nothing is charged again.
    const second = await createCorrectedClaim(database.db, { organizationId: c.organizationId, actor: c.actor, claimId: claim.id });
    expect((await validateClaim(database.db, { organizationId: c.organizationId, actor: c.actor, claimId: second.id })).problems).toEqual([]);
    await createClaimBatch(database.db, { organizationId: c.organizationId, actor: c.actor, claimIds: [second.id], channel: "download" });
    expect(await claimRow(second.id)).toMatchObject({ insuranceBalance: 17_500 });
    expect(await claimRow(claim.id)).toMatchObject({ insuranceBalance: 0 });
    const revenue = await database.db.journalLine.aggregate({
      where: { organizationId: c.organizationId, account: { code: "4000" } },
      _sum: { amount: true },
    });
    expect(revenue._sum.amount).toBe(-17_500);
    expect(await checkLedger(database.db)).toEqual(CLEAN_LEDGER);
  });

  it("closing a correction the payer accepted leaves its balance where it is", async () => {
    const { c, claim } = await clinicWithClaim(null);
    await importTest835(database.db, c, [timelyFilingDenial(claim.displayNumber)]);
    const correction = await createCorrectedClaim(database.db, { organizationId: c.organizationId, actor: c.actor, claimId: claim.id });
    expect((await validateClaim(database.db, { organizationId: c.organizationId, actor: c.actor, claimId: correction.id })).problems).toEqual([]);
    await createClaimBatch(database.db, { organizationId: c.organizationId, actor: c.actor, claimIds: [correction.id], channel: "download" });
    // The payer's 277CA accepted it once (its history says so), a later one rejected it.
    await database.db.claimEvent.create({
      data: {
        organizationId: c.organizationId,
        claimId: correction.id,
        fromStatus: "submitted",
        toStatus: "accepted",
        kind: "acknowledged_277ca",
        actor: "test",
      },
    });
    await database.db.$executeRaw`UPDATE claims SET status = 'rejected' WHERE id = ${correction.id}::uuid`;
    await closeClaim(database.db, { organizationId: c.organizationId, actor: c.actor, claimId: correction.id, reason: "Closed by staff" });
    expect(await claimRow(correction.id)).toMatchObject({ status: "closed", insuranceBalance: 17_500 });
    expect(await claimRow(claim.id)).toMatchObject({ insuranceBalance: 0 });
    expect(await checkLedger(database.db)).toEqual(CLEAN_LEDGER);
  });

  it("a partially paid claim can be corrected too", async () => {
    const { c, claim } = await clinicWithClaim();
    await importTest835(database.db, c, [
      {
        number: claim.displayNumber,
        charge: 17_500,
        paid: 9_000,
        lines: [
          { code: "99213", modifiers: ["25"], charge: 15_000, paid: 9_000, date: SERVICE_DATE, adjustments: [{ group: "CO", reason: "45", amount: 6_000 }] },
          { code: "36415", charge: 2_500, paid: 0, date: SERVICE_DATE, adjustments: [{ group: "CO", reason: "16", amount: 2_500 }] },
        ],
      },
    ]);
    const correction = await createCorrectedClaim(database.db, { organizationId: c.organizationId, actor: c.actor, claimId: claim.id });
    expect(correction).toMatchObject({ status: "draft", frequencyCode: "7", payerClaimNumber: "PCN-277CA-1" });
  });
});
