import { describe, expect, it } from "vitest";
import { createClaimFromVisit } from "@/lib/claims/create-claim";
import { recordVisit } from "@/lib/claims/visits";
import { addDays, todayIn } from "@/lib/invoices/dates";
import { checkLedger } from "@/lib/ledger/balances";
import { createTestPayer, createTestBillingClinic } from "@/tests/insurance-fixtures";
import { importTest835, submitTestClaim, type Test835Claim } from "@/tests/remittance-files";
import { setupTestDatabase } from "@/tests/test-database";
import { findClaimIdByNumber, listUnmatchedClaimPayments, matchClaimPaymentByHand, postHeldClaimPayment } from "./unmatched";

const database = setupTestDatabase();
const SERVICE_DATE = addDays(todayIn("America/New_York"), -3);
const CLEAN_LEDGER = { unbalancedCurrencies: [], invoiceMismatches: [], patientCreditMismatches: [], allocationMismatches: [], claimMismatches: [] };

async function clinicWithClaim() {
  const c = await createTestBillingClinic(database.db);
  const submitted = await submitTestClaim(database.db, c, SERVICE_DATE);
  await database.db.$executeRaw`UPDATE claims SET status = 'accepted' WHERE id = ${submitted.claim.id}::uuid`;
  return { c, ...submitted };
}

/** Paid in full less a contractual adjustment: 99213-25 paid 90.00 (CO-45 60.00), 36415 paid 3.00 (CO-45 22.00). */
const payment = (number: string): Test835Claim => ({
  number,
  charge: 17_500,
  paid: 9_300,
  lines: [
    { code: "99213", modifiers: ["25"], charge: 15_000, paid: 9_000, date: SERVICE_DATE, adjustments: [{ group: "CO", reason: "45", amount: 6_000 }] },
    { code: "36415", charge: 2_500, paid: 300, date: SERVICE_DATE, adjustments: [{ group: "CO", reason: "45", amount: 2_200 }] },
  ],
});

async function claimRow(claimId: string) {
  return database.db.claim.findUniqueOrThrow({ where: { id: claimId }, select: { status: true, insuranceBalance: true, insurancePaid: true } });
}

describe("the unmatched remittances queue", () => {
  it("lists a claim payment whose CLP01 is not ours with why; matched by hand to the right claim, its lines matched, it posts", async () => {
    const { c, claim, lines } = await clinicWithClaim();
    // The payer keyed the claim number wrong.
    await importTest835(database.db, c, [payment("CLM-00012X")], { trace: "EFT-UNMATCHED" });
    const page = await listUnmatchedClaimPayments(database.db, { organizationId: c.organizationId, limit: 10 });
    expect(page.nextCursor).toBeNull();
    expect(page.payments).toHaveLength(1);
    const [row] = page.payments;
    expect(row).toMatchObject({
      status: "unmatched",
      reason: '"CLM-00012X" (CLP01) is not a Carebill claim number.',
      patientControlNumber: "CLM-00012X",
      patientName: "DOE, JANE",
      statusCode: "1",
      statusDescription: "Processed as primary",
      chargeAmount: 17_500,
      paidAmount: 9_300,
      claim: null,
      remittance: { traceNumber: "EFT-UNMATCHED", payerName: "EXAMPLE HEALTH PLAN", payer: { id: c.payer.id }, needsReview: false },
    });
    expect(await claimRow(claim.id)).toMatchObject({ status: "accepted", insuranceBalance: 17_500 });

    const claimId = await findClaimIdByNumber(database.db, { organizationId: c.organizationId, claimNumber: claim.displayNumber });
    expect(claimId).toBe(claim.id);
    const result = await matchClaimPaymentByHand(database.db, { organizationId: c.organizationId, remittanceClaimId: row!.id, claimId, actor: c.actor });
    expect(result.outcome).toBe("posted");
    expect(result.message).toMatch(new RegExp(`^Matched to ${claim.displayNumber}\\. ${claim.displayNumber}: posted\\. EXAMPLE HEALTH PLAN paid \\$93\\.00`));
    expect(await claimRow(claim.id)).toEqual({ status: "paid", insuranceBalance: 0, insurancePaid: 9_300 });
    const stored = await database.db.remittanceClaim.findUniqueOrThrow({
      where: { id: row!.id },
      include: { lines: { orderBy: { position: "asc" } }, remittance: true },
    });
    expect(stored).toMatchObject({ status: "posted", claimId: claim.id, unmatchedReason: null });
    expect(stored.lines.map((line) => line.claimLineId)).toEqual(lines.map((line) => line.id));
    expect(stored.remittance.status).toBe("posted");
    const kinds = (await database.db.claimEvent.findMany({ where: { claimId: claim.id }, orderBy: { createdAt: "asc" } })).map((event) => event.kind);
    expect(kinds.slice(-2)).toEqual(["remittance_matched_by_hand", "remittance_posted"]);
    expect(await database.db.auditEvent.count({ where: { organizationId: c.organizationId, action: "remittance.claim_payment_matched" } })).toBe(1);
    expect((await listUnmatchedClaimPayments(database.db, { organizationId: c.organizationId, limit: 10 })).payments).toEqual([]);
    expect(await checkLedger(database.db)).toEqual(CLEAN_LEDGER);

    // Matched once only.
    await expect(
      matchClaimPaymentByHand(database.db, { organizationId: c.organizationId, remittanceClaimId: row!.id, claimId, actor: c.actor }),
    ).rejects.toThrow("This claim payment is posted: only an unmatched one is matched by hand.");
  });

  it("refuses another clinic's claim, a claim not sent, a claim billed to another payer, and a number that is not a claim", async () => {
    const { c, claim } = await clinicWithClaim();
    const other = await createTestBillingClinic(database.db);
    const { claim: theirs } = await submitTestClaim(database.db, other, SERVICE_DATE);
    await importTest835(database.db, c, [payment("NOT-OURS-1")]);
    const [row] = (await listUnmatchedClaimPayments(database.db, { organizationId: c.organizationId, limit: 10 })).payments;
    const match = (claimId: string) =>
      matchClaimPaymentByHand(database.db, { organizationId: c.organizationId, remittanceClaimId: row!.id, claimId, actor: c.actor });

    await expect(match(theirs.id)).rejects.toThrow("That claim is not one of this clinic's.");
    await expect(findClaimIdByNumber(database.db, { organizationId: c.organizationId, claimNumber: "CLM-999999" })).rejects.toThrow(
      "CLM-999999 is not a claim of this clinic.",
    );
    await expect(findClaimIdByNumber(database.db, { organizationId: c.organizationId, claimNumber: "hello" })).rejects.toThrow(
      '"hello" is not a claim number (CLM-000123).',
    );
    // Another clinic cannot match this clinic's payment either.
    await expect(
      matchClaimPaymentByHand(database.db, { organizationId: other.organizationId, remittanceClaimId: row!.id, claimId: theirs.id, actor: other.actor }),
    ).rejects.toThrow("Claim payment not found.");

    const visit = await recordVisit(database.db, {
      organizationId: c.organizationId,
      actor: c.actor,
      patientId: c.patient.id,
      input: {
        serviceDate: SERVICE_DATE,
        renderingProviderId: c.provider.id,
        diagnoses: ["J06.9"],
        charges: [{ procedureCode: "99213", description: "Office visit", units: 1, chargeAmount: 15_000, diagnosisPointers: [1] }],
      },
    });
    const draft = await createClaimFromVisit(database.db, { organizationId: c.organizationId, actor: c.actor, visitId: visit.id });
    await expect(match(draft.id)).rejects.toThrow(`${draft.displayNumber} has not been sent to the payer yet (it is draft): a payment cannot be for it.`);

    // A claim billed to another of the clinic's payers.
    const secondPayer = await createTestPayer(database.db, { organizationId: c.organizationId, name: "OTHER PLAN", payerId: "OTH01" });
    await database.db.$executeRaw`UPDATE claims SET payer_id = ${secondPayer.id}::uuid WHERE id = ${claim.id}::uuid`;
    await expect(match(claim.id)).rejects.toThrow(
      `${claim.displayNumber} was billed to OTHER PLAN (payer OTH01), but this payment comes from EXAMPLE HEALTH PLAN (payer ${c.payer.payerId}).`,
    );
    const unchanged = await database.db.remittanceClaim.findUniqueOrThrow({ where: { id: row!.id } });
    expect(unchanged).toMatchObject({ status: "unmatched", claimId: null });
  });

  it("a payment from another payer that names our claim is unmatched with why, and cannot be matched to it by hand", async () => {
    const { c, claim } = await clinicWithClaim();
    const secondPayer = await createTestPayer(database.db, { organizationId: c.organizationId, name: "OTHER PLAN", payerId: "OTH02" });
    await importTest835(database.db, c, [payment(claim.displayNumber)], { payerId: secondPayer.payerId, payerName: "OTHER PLAN" });
    const [row] = (await listUnmatchedClaimPayments(database.db, { organizationId: c.organizationId, limit: 10 })).payments;
    expect(row!.reason).toBe(
      `${claim.displayNumber} was billed to EXAMPLE HEALTH PLAN (payer ${c.payer.payerId}), but this payment comes from OTHER PLAN (payer OTH02).`,
    );
    await expect(
      matchClaimPaymentByHand(database.db, { organizationId: c.organizationId, remittanceClaimId: row!.id, claimId: claim.id, actor: c.actor }),
    ).rejects.toThrow(/was billed to EXAMPLE HEALTH PLAN .+ but this payment comes from OTHER PLAN/);
    expect(await claimRow(claim.id)).toMatchObject({ status: "accepted", insuranceBalance: 17_500 });
  });

  it("a match whose posting is refused ends held with the reason, listed; posted again once fixed", async () => {
    const { c, claim } = await clinicWithClaim();
    await importTest835(database.db, c, [payment("CLM-0000X1")]);
    const [row] = (await listUnmatchedClaimPayments(database.db, { organizationId: c.organizationId, limit: 10 })).payments;
    // The claim was closed in the meantime: posting refuses.
    await database.db.$executeRaw`UPDATE claims SET status = 'closed' WHERE id = ${claim.id}::uuid`;
    const result = await matchClaimPaymentByHand(database.db, {
      organizationId: c.organizationId,
      remittanceClaimId: row!.id,
      claimId: claim.id,
      actor: c.actor,
    });
    expect(result).toEqual({
      outcome: "held",
      claimId: claim.id,
      message: expect.stringMatching(
        new RegExp(`^Matched to ${claim.displayNumber}\\. Not posted: ${claim.displayNumber} is closed: a payment for it is not posted\\.`),
      ),
    });
    const [held] = (await listUnmatchedClaimPayments(database.db, { organizationId: c.organizationId, limit: 10 })).payments;
    expect(held).toMatchObject({ id: row!.id, status: "held", claim: { id: claim.id, displayNumber: claim.displayNumber } });
    expect(held!.reason).toMatch(/is closed: a payment for it is not posted/);

    // Posting again while still closed: still held.
    const again = await postHeldClaimPayment(database.db, { organizationId: c.organizationId, remittanceClaimId: row!.id, actor: c.actor });
    expect(again.outcome).toBe("held");
    await database.db.$executeRaw`UPDATE claims SET status = 'accepted' WHERE id = ${claim.id}::uuid`;
    const posted = await postHeldClaimPayment(database.db, { organizationId: c.organizationId, remittanceClaimId: row!.id, actor: c.actor });
    expect(posted).toMatchObject({ outcome: "posted", claimId: claim.id, message: expect.stringMatching(/: posted\./) });
    expect(await claimRow(claim.id)).toEqual({ status: "paid", insuranceBalance: 0, insurancePaid: 9_300 });
    expect((await listUnmatchedClaimPayments(database.db, { organizationId: c.organizationId, limit: 10 })).payments).toEqual([]);
    await expect(postHeldClaimPayment(database.db, { organizationId: c.organizationId, remittanceClaimId: row!.id, actor: c.actor })).rejects.toThrow(
      "This claim payment is posted: only a held one is posted again here.",
    );
    expect(await checkLedger(database.db)).toEqual(CLEAN_LEDGER);
  });

  it("a payment from a payer the clinic has not set up is held on import, then posted again once the payer is added", async () => {
    const { c, claim } = await clinicWithClaim();
    await importTest835(database.db, c, [payment(claim.displayNumber)], { payerId: "99999", payerName: "UNKNOWN PLAN" });
    const [held] = (await listUnmatchedClaimPayments(database.db, { organizationId: c.organizationId, limit: 10 })).payments;
    expect(held).toMatchObject({
      status: "held",
      reason: "UNKNOWN PLAN is not one of this clinic's payers (no payer has the id 99999). Add it in Settings → Payers, then post this payment again.",
      remittance: { payer: null, payerName: "UNKNOWN PLAN" },
    });
    await database.db.remittance.updateMany({ where: { organizationId: c.organizationId }, data: { payerId: c.payer.id } });
    const posted = await postHeldClaimPayment(database.db, { organizationId: c.organizationId, remittanceClaimId: held!.id, actor: c.actor });
    expect(posted.outcome).toBe("posted");
    expect(await claimRow(claim.id)).toMatchObject({ status: "paid", insuranceBalance: 0 });
  });

  it("pages newest payment first", async () => {
    const { c } = await clinicWithClaim();
    await importTest835(database.db, c, [payment("X-1"), payment("X-2")], { trace: "EFT-FIRST" });
    await importTest835(database.db, c, [payment("Y-1")], { trace: "EFT-SECOND" });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listUnmatchedClaimPayments(database.db, { organizationId: c.organizationId, limit: 2, cursor });
      seen.push(...page.payments.map((row) => row.patientControlNumber));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(["Y-1", "X-1", "X-2"]);
  });

  it("a payment whose patient is clearly not the claim's lands unmatched with both names; matched by hand once staff confirm, it posts", async () => {
    const { c, claim } = await clinicWithClaim();
    // The payer paid CLM-… for someone else: different last and first name, and another member id.
    const result = await importTest835(
      database.db,
      c,
      [{ ...payment(claim.displayNumber), patientName: { lastName: "SMITH", firstName: "ROBERT", memberId: "R555" } }],
      {
        trace: "EFT-NAME",
      },
    );
    const reason = `Patient name mismatch: the payer's patient is SMITH, ROBERT (NM1*QC), but ${claim.displayNumber} is for DOE, JANE. The member id sent (R555) is not the coverage's (XYZ123456789). Match it by hand if it is the same person.`;
    expect(result.summary.map((line) => line.message)).toContainEqual(expect.stringContaining(`Not matched: ${reason}`));
    const [row] = (await listUnmatchedClaimPayments(database.db, { organizationId: c.organizationId, limit: 10 })).payments;
    expect(row).toMatchObject({
      status: "unmatched",
      reason,
      patientName: "SMITH, ROBERT",
      claim: null,
      namedClaim: { id: claim.id, displayNumber: claim.displayNumber, patientName: "JANE DOE" },
      nameMismatch: true,
    });
    // Nothing posted.
    expect(await claimRow(claim.id)).toEqual({ status: "accepted", insuranceBalance: 17_500, insurancePaid: 0 });
    expect(await database.db.invoice.count({ where: { organizationId: c.organizationId } })).toBe(0);

    // Staff must confirm the names differ.
    const match = (confirmNameMismatch?: boolean) =>
      matchClaimPaymentByHand(database.db, {
        organizationId: c.organizationId,
        remittanceClaimId: row!.id,
        claimId: claim.id,
        actor: c.actor,
        confirmNameMismatch,
      });
    await expect(match()).rejects.toMatchObject({
      code: "CONFLICT",
      fields: {
        confirmNameMismatch: [`The payer's patient is SMITH, ROBERT, but ${claim.displayNumber} is for JANE DOE. Confirm it is the same person to match it.`],
      },
    });
    expect(await database.db.remittanceClaim.findUniqueOrThrow({ where: { id: row!.id }, select: { status: true, claimId: true } })).toEqual({
      status: "unmatched",
      claimId: null,
    });

    const posted = await match(true);
    expect(posted.outcome).toBe("posted");
    expect(await claimRow(claim.id)).toEqual({ status: "paid", insuranceBalance: 0, insurancePaid: 9_300 });
    const audit = await database.db.auditEvent.findFirstOrThrow({ where: { organizationId: c.organizationId, action: "remittance.claim_payment_matched" } });
    expect(audit.before).toEqual({ status: "unmatched", unmatchedReason: reason });
    expect(audit.after).toMatchObject({ status: "matched", claimId: claim.id, patientNameMismatchConfirmed: true });
    const event = await database.db.claimEvent.findFirstOrThrow({ where: { claimId: claim.id, kind: "remittance_matched_by_hand" } });
    expect(event.message).toContain("The payer names the patient SMITH, ROBERT: staff confirmed it is this claim's patient.");
    expect((await listUnmatchedClaimPayments(database.db, { organizationId: c.organizationId, limit: 10 })).payments).toEqual([]);
    expect(await checkLedger(database.db)).toEqual(CLEAN_LEDGER);
  });

  it("a name the payer wrote its own way matches on import: accents, a suffix, a compound last name cut to one part, a first initial", async () => {
    const { c, claim } = await clinicWithClaim();
    await database.db.patient.update({ where: { id: c.patient.id }, data: { firstName: "Jane", lastName: "Doe-Núñez" } });
    await importTest835(database.db, c, [{ ...payment(claim.displayNumber), patientName: { lastName: "DOE JR", firstName: "J" } }]);
    expect((await listUnmatchedClaimPayments(database.db, { organizationId: c.organizationId, limit: 10 })).payments).toEqual([]);
    expect(await claimRow(claim.id)).toMatchObject({ status: "paid", insurancePaid: 9_300 });
  });

  it("a changed last name matches when the member id is the coverage's; the insured (NM1*IL) must be the subscriber or the patient", async () => {
    const first = await clinicWithClaim();
    await importTest835(database.db, first.c, [
      { ...payment(first.claim.displayNumber), patientName: { lastName: "SMITH", firstName: "JANE", memberId: "XYZ-123456789" } },
    ]);
    expect(await claimRow(first.claim.id)).toMatchObject({ status: "paid" });

    const second = await clinicWithClaim();
    await importTest835(database.db, second.c, [
      { ...payment(second.claim.displayNumber), patientName: { lastName: "SMITH", firstName: "JANE", memberId: null } },
      { ...payment(second.claim.displayNumber), insuredName: { lastName: "ROE", firstName: "RICHARD", memberId: "XYZ123456789" } },
    ]);
    const rows = (await listUnmatchedClaimPayments(database.db, { organizationId: second.c.organizationId, limit: 10 })).payments;
    expect(rows.map((row) => row.reason)).toEqual([
      `Patient name mismatch: the payer's patient is SMITH, JANE (NM1*QC), but ${second.claim.displayNumber} is for DOE, JANE. Match it by hand if it is the same person.`,
      `Patient name mismatch: the payer's insured is ROE, RICHARD (NM1*IL), but ${second.claim.displayNumber} is for DOE, JANE. The member id sent (W123456789, XYZ123456789) is the coverage's. Match it by hand if it is the same person.`,
    ]);
    expect(await claimRow(second.claim.id)).toEqual({ status: "accepted", insuranceBalance: 17_500, insurancePaid: 0 });
  });
});
