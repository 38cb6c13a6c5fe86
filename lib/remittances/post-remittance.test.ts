import { describe, expect, it } from "vitest";
import { importClearinghouseFile } from "@/lib/clearinghouse/import-file";
import { addDays, todayIn } from "@/lib/invoices/dates";
import { checkLedger, getTrialBalance } from "@/lib/ledger/balances";
import { createCorrectedClaim } from "@/lib/claims/correct-claim";
import { createClaimBatch } from "@/lib/claims/submit-claims";
import { validateClaim } from "@/lib/claims/validate-claim";
import { BILLING_NPI, createTestPayer, createTestSelfCoverage, createTestBillingClinic, type TestBillingClinic } from "@/tests/insurance-fixtures";
import { deniedTest835Claim, build835, submitTestClaim, usualTest835Claim, type Test835Claim } from "@/tests/remittance-files";
import { setupTestDatabase } from "@/tests/test-database";
import { applyPatientCredit } from "@/lib/patient-credit/apply-patient-credit";
import { unapplyPatientCredit } from "@/lib/patient-credit/unapply-patient-credit";
import { recordManualPayment } from "@/lib/payments/record-manual-payment";
import { createTestOpenInvoice } from "@/tests/factories";
import { postClaimPaymentAgain } from "./post-remittance";
import { postHeldClaimPayment } from "./unmatched";

const database = setupTestDatabase();
const SERVICE_DATE = addDays(todayIn("America/New_York"), -3);
const CLEAN_LEDGER = { unbalancedCurrencies: [], invoiceMismatches: [], patientCreditMismatches: [], allocationMismatches: [], claimMismatches: [] };
let nextInterchange = 4_100;
let nextTrace = 880_000;

async function clinicWithClaim() {
  const c = await createTestBillingClinic(database.db);
  const submitted = await submitTestClaim(database.db, c, SERVICE_DATE);
  // The payer's 277CA accepted it (the usual path); a remittance for a claim still "submitted" accepts it itself (tested below).
  await database.db.$executeRaw`UPDATE claims SET status = 'accepted' WHERE id = ${submitted.claim.id}::uuid`;
  // The plan's amounts on file (the accumulators move only where a limit is known).
  await database.db.coverage.update({
    where: { id: c.coverage.id },
    data: { deductibleIndividual: 50_000, deductibleIndividualMet: 10_000, outOfPocketMaxIndividual: 400_000, outOfPocketMaxIndividualMet: 20_000 },
  });
  return { c, ...submitted };
}

const importRemittance = (
  c: TestBillingClinic,
  claims: Test835Claim[],
  extra: { trace?: string; providerAdjustments?: { reason: string; amount: number }[]; payerId?: string; payerName?: string } = {},
) =>
  importClearinghouseFile(database.db, {
    organizationId: c.organizationId,
    actor: c.actor,
    fileName: `remit-${nextInterchange}.835`,
    content: build835({
      submitterId: c.submitterId,
      interchangeControlNumber: nextInterchange++,
      payerId: extra.payerId ?? c.payer.payerId,
      payerName: extra.payerName,
      trace: extra.trace ?? `EFT${nextTrace++}`,
      payeeNpi: BILLING_NPI,
      claims,
      providerAdjustments: extra.providerAdjustments,
    }),
    source: "upload",
  });

/** tests/remittance-files.ts usualTest835Claim: charged 175.00, paid 38.40, contractual 82.00, the patient's share 54.60. */
function usualPayment(number: string, sign: 1 | -1 = 1): Test835Claim {
  return usualTest835Claim(number, SERVICE_DATE, sign);
}

/** Each account's balance by its code (debits positive). */
async function balancesByCode(organizationId: string): Promise<Record<string, number>> {
  return Object.fromEntries((await getTrialBalance(database.db, organizationId)).map((row) => [row.code, row.balance]));
}

async function claimRow(claimId: string) {
  return database.db.claim.findUniqueOrThrow({
    where: { id: claimId },
    select: { status: true, insuranceBalance: true, insurancePaid: true, contractualAdjusted: true, patientResponsibility: true, writtenOff: true },
  });
}

async function shareInvoices(organizationId: string) {
  const invoices = await database.db.invoice.findMany({
    where: { organizationId },
    orderBy: { createdAt: "asc" },
    include: { lines: { orderBy: { position: "asc" } } },
  });
  return invoices.map((invoice) => ({
    status: invoice.status,
    total: invoice.total,
    amountDue: invoice.amountDue,
    lines: invoice.lines.map((line) => [line.description, line.serviceCode, line.unitAmount]),
  }));
}

async function journalLines(organizationId: string, kind: string) {
  const lines = await database.db.journalLine.findMany({
    where: { organizationId, journalEntry: { kind } },
    select: { amount: true, claimId: true, account: { select: { code: true } } },
  });
  return lines.map((line) => [line.account.code, line.amount]).sort();
}

/**
 * The secondary payer's payment of the usual claim's share: by default 40.00 paid, the patient left
 * the 10.00 co-pay (PR-3), 4.60 written off; `share` changes what it paid and left the patient.
 */
function secondaryPayment(share: { paid: number; patient: number; reason: string } = { paid: 4_000, patient: 1_000, reason: "3" }): Test835Claim {
  return {
    number: "CLM-000002",
    status: "2",
    charge: 17_500,
    paid: share.paid,
    patient: share.patient,
    lines: [
      {
        code: "99213",
        modifiers: ["25"],
        charge: 15_000,
        paid: share.paid,
        date: SERVICE_DATE,
        adjustments: [
          { group: "OA", reason: "23", amount: 10_000 },
          { group: "PR", reason: share.reason, amount: share.patient },
        ],
      },
      { code: "36415", charge: 2_500, paid: 0, date: SERVICE_DATE, adjustments: [{ group: "OA", reason: "23", amount: 2_500 }] },
    ],
  };
}

/** The same claim payment with every amount negated, CLP02 22. */
function reversalOf(claim: Test835Claim): Test835Claim {
  return {
    ...claim,
    status: "22",
    charge: -claim.charge,
    paid: -claim.paid,
    patient: claim.patient === undefined ? undefined : -claim.patient,
    lines: claim.lines.map((line) => ({
      ...line,
      charge: -line.charge,
      paid: -line.paid,
      adjustments: (line.adjustments ?? []).map((adjustment) => ({ ...adjustment, amount: -adjustment.amount })),
    })),
  };
}

/** The usual claim paid by the primary, its secondary claim sent and paid (secondaryPayment); optionally the patient paid the share at the desk first. */
async function clinicWithSecondaryPaid(options: { patientPaysShareFirst?: boolean } = {}) {
  const { c, claim } = await clinicWithClaim();
  const secondaryPayer = await createTestPayer(database.db, { organizationId: c.organizationId, name: "SECOND PLAN", payerId: "87726" });
  await createTestSelfCoverage(database.db, { organizationId: c.organizationId, patientId: c.patient.id, payerId: secondaryPayer.id, priority: 2 });
  await importRemittance(c, [usualPayment(claim.displayNumber)]);
  const secondary = await database.db.claim.findFirstOrThrow({ where: { organizationId: c.organizationId, priorClaimId: claim.id } });
  expect((await validateClaim(database.db, { organizationId: c.organizationId, actor: c.actor, claimId: secondary.id })).problems).toEqual([]);
  await createClaimBatch(database.db, { organizationId: c.organizationId, actor: c.actor, claimIds: [secondary.id], channel: "download" });
  if (options.patientPaysShareFirst) {
    const share = await database.db.invoice.findFirstOrThrow({ where: { organizationId: c.organizationId } });
    await recordManualPayment(database.db, {
      organizationId: c.organizationId,
      actor: c.actor,
      input: { patientId: c.patient.id, method: "cash", amount: 5_460, invoiceId: share.id },
    });
  }
  await importRemittance(c, [secondaryPayment()], { payerId: "87726", payerName: "SECOND PLAN" });
  expect(await database.db.remittanceClaim.count({ where: { organizationId: c.organizationId, claimId: secondary.id, status: "posted" } })).toBe(1);
  return { c, claim, secondary };
}

const creditOf = async (patientId: string) =>
  (await database.db.patientCreditBalance.findUnique({ where: { patientId_currency: { patientId, currency: "USD" } } }))?.balance ?? 0;

describe("posting a remittance", () => {
  it("posts a primary payment: the insurer's payment and write-off off the claim, the patient's share on an invoice they can read, the claim paid, the accumulators moved", async () => {
    const { c, claim } = await clinicWithClaim();
    const before = await database.db.coverage.findUniqueOrThrow({ where: { id: c.coverage.id } });
    const result = await importRemittance(c, [usualPayment(claim.displayNumber)]);

    expect(result.summary.at(-1)).toEqual({
      claimId: claim.id,
      message: expect.stringMatching(
        new RegExp(
          `^${claim.displayNumber}: posted\\. EXAMPLE HEALTH PLAN paid \\$38\\.40, contractual adjustments \\$82\\.00, the patient's share \\$54\\.60 \\(payment EFT\\d+\\); the claim is paid\\.$`,
        ),
      ),
    });
    expect(await claimRow(claim.id)).toEqual({
      status: "paid",
      insuranceBalance: 0,
      insurancePaid: 3_840,
      contractualAdjusted: 8_200,
      patientResponsibility: 5_460,
      writtenOff: 0,
    });
    expect(await shareInvoices(c.organizationId)).toEqual([
      {
        status: "open",
        total: 5_460,
        amountDue: 5_460,
        lines: [
          [`Co-pay — office visit 99213 on ${SERVICE_DATE}`, "99213", 2_500],
          [`Deductible — office visit 99213 on ${SERVICE_DATE}`, "99213", 2_000],
          [`Coinsurance — office visit 99213 on ${SERVICE_DATE}`, "99213", 900],
          [`Coinsurance — blood draw 36415 on ${SERVICE_DATE}`, "36415", 60],
        ],
      },
    ]);
    // Journals: the payment and the contractual adjustment; the share moved from the insurance receivable to the patient's.
    expect(await journalLines(c.organizationId, "remittance.claim_paid")).toEqual([
      ["1040", 3_840],
      ["1110", -12_040],
      ["4920", 8_200],
    ]);
    expect(await journalLines(c.organizationId, "invoice.finalized")).toEqual([
      ["1100", 5_460],
      ["1110", -5_460],
    ]);
    const balances = await balancesByCode(c.organizationId);
    expect(balances).toMatchObject({ "1110": 0, "1100": 5_460, "1040": 3_840, "4920": 8_200, "4000": -17_500 });
    expect(await checkLedger(database.db)).toEqual(CLEAN_LEDGER);

    const after = await database.db.coverage.findUniqueOrThrow({ where: { id: c.coverage.id } });
    expect(after.deductibleIndividualMet).toBe(before.deductibleIndividualMet! + 2_000);
    expect(after.outOfPocketMaxIndividualMet).toBe(before.outOfPocketMaxIndividualMet! + 5_460);
    // No family amounts on file: nothing tracked against them.
    expect([after.deductibleFamilyMet, after.outOfPocketMaxFamilyMet]).toEqual([null, null]);
    expect(after.version).toBe(before.version + 1);
    expect(await database.db.coverageRevision.count({ where: { coverageId: c.coverage.id, change: "remittance_applied" } })).toBe(1);

    const [remittance] = await database.db.remittance.findMany({ where: { organizationId: c.organizationId }, include: { claims: true } });
    expect(remittance).toMatchObject({ status: "posted" });
    expect(remittance!.claims[0]).toMatchObject({ status: "posted", heldReason: null });
    expect(remittance!.claims[0]!.patientShareInvoiceId).not.toBeNull();
    const events = await database.db.claimEvent.findMany({ where: { claimId: claim.id }, orderBy: { createdAt: "asc" } });
    expect(events.at(-1)).toMatchObject({ fromStatus: "accepted", toStatus: "paid", kind: "remittance_posted", fileId: result.fileId });
  });

  it("the same payment again (a new envelope, or the same claim payment in another payment) posts nothing more", async () => {
    const { c, claim } = await clinicWithClaim();
    await importRemittance(c, [usualPayment(claim.displayNumber)], { trace: "EFT-SAME" });
    const again = await importRemittance(c, [usualPayment(claim.displayNumber)], { trace: "EFT-SAME" });
    expect(again.summary).toEqual([{ message: expect.stringMatching(/^Payment EFT-SAME from EXAMPLE HEALTH PLAN \(\$38\.40\) was already stored from file/) }]);
    const elsewhere = await importRemittance(c, [usualPayment(claim.displayNumber)], { trace: "EFT-OTHER" });
    expect(elsewhere.summary.at(-1)!.message).toBe(
      `${claim.displayNumber}: this claim payment was posted before (payment EFT-SAME); nothing was posted again.`,
    );

    expect(await claimRow(claim.id)).toMatchObject({ insurancePaid: 3_840, patientResponsibility: 5_460, insuranceBalance: 0 });
    expect(await shareInvoices(c.organizationId)).toHaveLength(1);
    expect(await journalLines(c.organizationId, "remittance.claim_paid")).toHaveLength(3);
    expect(await checkLedger(database.db)).toEqual(CLEAN_LEDGER);
  });

  it("a reversal (CLP02 22) followed by a corrected payment: the first posting is reversed with journals and its share invoice voided, the correction posted", async () => {
    const { c, claim } = await clinicWithClaim();
    const metBefore = (await database.db.coverage.findUniqueOrThrow({ where: { id: c.coverage.id } })).deductibleIndividualMet ?? 0;
    await importRemittance(c, [usualPayment(claim.displayNumber)]);
    // The payer finds the deductible was already met: it reverses and pays 58.40 with the patient owing 34.60 (co-pay 25.00 + coinsurance 9.60).
    const corrected: Test835Claim = {
      number: claim.displayNumber,
      charge: 17_500,
      paid: 5_840,
      patient: 3_460,
      payerClaimNumber: "PCN0000000002",
      lines: [
        {
          code: "99213",
          modifiers: ["25"],
          charge: 15_000,
          paid: 5_600,
          date: SERVICE_DATE,
          adjustments: [
            { group: "CO", reason: "45", amount: 6_000 },
            { group: "PR", reason: "3", amount: 2_500 },
            { group: "PR", reason: "2", amount: 900 },
          ],
        },
        {
          code: "36415",
          charge: 2_500,
          paid: 240,
          date: SERVICE_DATE,
          adjustments: [
            { group: "CO", reason: "45", amount: 2_200 },
            { group: "PR", reason: "2", amount: 60 },
          ],
        },
      ],
    };
    const result = await importRemittance(c, [usualPayment(claim.displayNumber, -1), corrected]);
    expect(result.summary.map((line) => line.message).slice(-2)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^${claim.displayNumber}: EXAMPLE HEALTH PLAN reversed its payment EFT\\d+ of \\$38\\.40; its journals are reversed and the patient's share invoice voided\\.$`,
        ),
      ),
      expect.stringMatching(
        new RegExp(
          `^${claim.displayNumber}: posted\\. EXAMPLE HEALTH PLAN paid \\$58\\.40, contractual adjustments \\$82\\.00, the patient's share \\$34\\.60`,
        ),
      ),
    ]);
    expect(await claimRow(claim.id)).toEqual({
      status: "paid",
      insuranceBalance: 0,
      insurancePaid: 5_840,
      contractualAdjusted: 8_200,
      patientResponsibility: 3_460,
      writtenOff: 0,
    });
    const invoices = await shareInvoices(c.organizationId);
    expect(invoices.map((invoice) => [invoice.status, invoice.total, invoice.amountDue])).toEqual([
      ["void", 5_460, 0],
      ["open", 3_460, 3_460],
    ]);
    expect(await journalLines(c.organizationId, "remittance.claim_payment_reversed")).toEqual([
      ["1040", -3_840],
      ["1110", 12_040],
      ["4920", -8_200],
    ]);
    const balances = await balancesByCode(c.organizationId);
    expect(balances).toMatchObject({ "1110": 0, "1100": 3_460, "1040": 5_840, "4920": 8_200 });
    expect(await checkLedger(database.db)).toEqual(CLEAN_LEDGER);
    const rows = await database.db.remittanceClaim.findMany({
      where: { organizationId: c.organizationId },
      orderBy: [{ remittance: { createdAt: "asc" } }, { position: "asc" }],
    });
    expect(rows.map((row) => row.status)).toEqual(["reversed", "posted", "posted"]);
    // The reversal's lines (amounts negated) match the claim's lines too.
    const reversalLines = await database.db.remittanceLine.findMany({ where: { organizationId: c.organizationId, chargeAmount: { lt: 0 } } });
    expect(reversalLines.map((line) => line.claimLineId !== null)).toEqual([true, true]);
    // The deductible taken back: the correction applied none.
    const coverage = await database.db.coverage.findUniqueOrThrow({ where: { id: c.coverage.id } });
    const revisions = await database.db.coverageRevision.count({ where: { coverageId: c.coverage.id, change: "remittance_applied" } });
    expect(revisions).toBe(3);
    expect(coverage.deductibleIndividualMet ?? 0).toBe(metBefore);
  });

  it("a claim-level CO adjustment with line-level PR: both posted, the claim-level amount never put on an invented line", async () => {
    const { c, claim } = await clinicWithClaim();
    await importRemittance(c, [
      {
        number: claim.displayNumber,
        charge: 17_500,
        paid: 10_000,
        patient: 2_500,
        adjustments: [{ group: "CO", reason: "45", amount: 5_000 }],
        lines: [
          // The lines balance on their own; the claim-level CO-45 comes off the claim's payment (CLP04 = the lines' 150.00 − 50.00).
          { code: "99213", modifiers: ["25"], charge: 15_000, paid: 12_500, date: SERVICE_DATE, adjustments: [{ group: "PR", reason: "3", amount: 2_500 }] },
          { code: "36415", charge: 2_500, paid: 2_500, date: SERVICE_DATE },
        ],
      },
    ]);
    expect(await claimRow(claim.id)).toMatchObject({
      status: "paid",
      insuranceBalance: 0,
      insurancePaid: 10_000,
      contractualAdjusted: 5_000,
      patientResponsibility: 2_500,
    });
    expect((await shareInvoices(c.organizationId))[0]!.lines).toEqual([[`Co-pay — office visit 99213 on ${SERVICE_DATE}`, "99213", 2_500]]);
    const adjustments = await database.db.remittanceAdjustment.findMany({ where: { organizationId: c.organizationId }, orderBy: { position: "asc" } });
    expect(adjustments.map((row) => [row.remittanceLineId === null ? "claim" : "line", row.groupCode, row.reasonCode, row.amount])).toEqual([
      ["claim", "CO", "45", 5_000],
      ["line", "PR", "3", 2_500],
    ]);
    expect(await checkLedger(database.db)).toEqual(CLEAN_LEDGER);
  });

  it("a denial (CO-29, nothing paid, nothing owed by the patient): the claim denied, nothing billed to the patient, the charge left open for the denial queue", async () => {
    const { c, claim } = await clinicWithClaim();
    await importRemittance(c, [deniedTest835Claim(claim.displayNumber, SERVICE_DATE)]);
    expect(await claimRow(claim.id)).toMatchObject({
      status: "denied",
      insuranceBalance: 17_500,
      insurancePaid: 0,
      contractualAdjusted: 0,
      patientResponsibility: 0,
    });
    expect(await shareInvoices(c.organizationId)).toEqual([]);
    expect(await checkLedger(database.db)).toEqual(CLEAN_LEDGER);
  });

  it("one line denied and one paid: the claim partially paid; a claim paid by two remittances sums", async () => {
    const { c, claim } = await clinicWithClaim();
    await importRemittance(c, [
      {
        number: claim.displayNumber,
        charge: 15_000,
        paid: 9_000,
        lines: [
          { code: "99213", modifiers: ["25"], charge: 15_000, paid: 9_000, date: SERVICE_DATE, adjustments: [{ group: "CO", reason: "45", amount: 6_000 }] },
        ],
      },
    ]);
    expect(await claimRow(claim.id)).toMatchObject({ status: "paid", insuranceBalance: 2_500, insurancePaid: 9_000 });
    await importRemittance(c, [
      {
        number: claim.displayNumber,
        charge: 2_500,
        paid: 0,
        payerClaimNumber: "PCN0000000009",
        lines: [{ code: "36415", charge: 2_500, paid: 0, date: SERVICE_DATE, adjustments: [{ group: "CO", reason: "97", amount: 2_500 }] }],
      },
    ]);
    // The denied line (CO-97) stays open on the claim for the denial queue.
    expect(await claimRow(claim.id)).toMatchObject({ status: "partially_paid", insuranceBalance: 2_500, insurancePaid: 9_000, contractualAdjusted: 6_000 });
    expect(await checkLedger(database.db)).toEqual(CLEAN_LEDGER);
  });

  it("a dropped modifier still matches and posts; a remittance for a claim still 'submitted' accepts it first", async () => {
    const c = await createTestBillingClinic(database.db);
    const { claim } = await submitTestClaim(database.db, c, SERVICE_DATE);
    const payment = usualPayment(claim.displayNumber);
    payment.lines[0]!.modifiers = [];
    await importRemittance(c, [payment]);
    const lines = await database.db.remittanceLine.findMany({ where: { organizationId: c.organizationId }, orderBy: { position: "asc" } });
    expect(lines.every((line) => line.claimLineId !== null)).toBe(true);
    expect(await claimRow(claim.id)).toMatchObject({ status: "paid", insuranceBalance: 0 });
    const kinds = (await database.db.claimEvent.findMany({ where: { claimId: claim.id }, orderBy: { createdAt: "asc" } })).map((event) => event.kind);
    expect(kinds.slice(-2)).toEqual(["accepted_by_remittance", "remittance_posted"]);
  });

  it("what cannot be posted is held with its reason and nothing of it written: more than the payer owes, a negative patient share, a closed claim; posted again once fixed", async () => {
    const { c, claim } = await clinicWithClaim();
    const tooMuch = usualPayment(claim.displayNumber);
    tooMuch.charge = 20_000;
    tooMuch.lines[1]!.charge = 5_000;
    tooMuch.lines[1]!.adjustments![0]!.amount = 4_700;
    const result = await importRemittance(c, [tooMuch]);
    expect(result.summary.at(-1)!.message).toBe(
      `Not posted: ${claim.displayNumber}: this payment accounts for $200.00 (paid $38.40, adjusted $107.00, the patient's share $54.60), more than the $175.00 the payer still owes on the claim.`,
    );
    expect(await claimRow(claim.id)).toMatchObject({ status: "accepted", insuranceBalance: 17_500, insurancePaid: 0 });
    expect(await shareInvoices(c.organizationId)).toEqual([]);
    expect(await database.db.journalEntry.count({ where: { organizationId: c.organizationId, kind: { startsWith: "remittance." } } })).toBe(0);
    const [held] = await database.db.remittanceClaim.findMany({ where: { organizationId: c.organizationId } });
    expect(held).toMatchObject({ status: "held" });
    expect((await database.db.remittance.findFirstOrThrow({ where: { organizationId: c.organizationId } })).status).toBe("received");
    // Still too much when posted again: refused, still held.
    await expect(postClaimPaymentAgain(database.db, { organizationId: c.organizationId, remittanceClaimId: held!.id, actor: c.actor })).rejects.toThrow(
      /more than the \$175\.00/,
    );
    expect((await database.db.remittanceClaim.findUniqueOrThrow({ where: { id: held!.id } })).status).toBe("held");

    const negative = usualPayment(claim.displayNumber);
    negative.lines[1]!.adjustments = [
      { group: "CO", reason: "45", amount: 2_320 },
      { group: "PR", reason: "2", amount: -60 },
    ];
    negative.patient = 5_340;
    negative.paid = 3_840;
    const refused = await importRemittance(c, [negative]);
    expect(refused.summary.at(-1)!.message).toMatch(/negative patient responsibility/);

    await database.db.$executeRaw`UPDATE claims SET status = 'closed' WHERE id = ${claim.id}::uuid`;
    const closed = await importRemittance(c, [usualPayment(claim.displayNumber)]);
    expect(closed.summary.at(-1)!.message).toMatch(new RegExp(`^Not posted: ${claim.displayNumber} is closed`));
    expect(await checkLedger(database.db)).toEqual(CLEAN_LEDGER);
    expect(await shareInvoices(c.organizationId)).toEqual([]);
  });

  it("a payer taking off another payer's adjudication (OA-23) on a claim sent as primary is held with the reason, nothing written", async () => {
    const { c, claim } = await clinicWithClaim();
    const withPriorPayer = usualPayment(claim.displayNumber);
    withPriorPayer.payerClaimNumber = "PCN-OA23";
    // 36415: CO-45 22.00 becomes CO-45 20.00 + OA-23 2.00 (the same total adjusted).
    withPriorPayer.lines[1]!.adjustments = [
      { group: "CO", reason: "45", amount: 2_000 },
      { group: "OA", reason: "23", amount: 200 },
      ...withPriorPayer.lines[1]!.adjustments!.filter((adjustment) => adjustment.group === "PR"),
    ];
    const first = await importRemittance(c, [withPriorPayer]);
    expect(first.summary.at(-1)!.message).toBe(
      `Not posted: ${claim.displayNumber}: the payer takes off $2.00 as another payer's adjudication (OA-23), but Carebill sent it as the patient's primary claim. Check the patient's coverages with the payer (it may know of another insurer that pays first), then post again.`,
    );
    const asSecondary = { ...withPriorPayer, status: "2", payerClaimNumber: "PCN-OA23-2" };
    const second = await importRemittance(c, [asSecondary]);
    expect(second.summary.at(-1)!.message).toMatch(/\(OA-23\), processed as secondary \(CLP02 2\), but Carebill sent it/);
    expect(await claimRow(claim.id)).toMatchObject({ status: "accepted", insuranceBalance: 17_500, insurancePaid: 0 });
    expect((await database.db.remittanceClaim.findMany({ where: { organizationId: c.organizationId } })).map((row) => row.status)).toEqual(["held", "held"]);
    expect(await database.db.journalEntry.count({ where: { organizationId: c.organizationId, kind: { startsWith: "remittance." } } })).toBe(0);
    expect(await shareInvoices(c.organizationId)).toEqual([]);
    expect(await checkLedger(database.db)).toEqual(CLEAN_LEDGER);
  });

  it("a payment from a payer that is not the clinic's is held until the payer is added, then posts", async () => {
    const { c, claim } = await clinicWithClaim();
    const content = build835({
      submitterId: c.submitterId,
      interchangeControlNumber: nextInterchange++,
      payerId: "99999",
      payerName: "UNKNOWN PLAN",
      trace: `EFT${nextTrace++}`,
      payeeNpi: BILLING_NPI,
      claims: [usualPayment(claim.displayNumber)],
    });
    const result = await importClearinghouseFile(database.db, {
      organizationId: c.organizationId,
      actor: c.actor,
      fileName: "unknown.835",
      content,
      source: "upload",
    });
    expect(result.summary.at(-1)!.message).toBe(
      "Not posted: UNKNOWN PLAN is not one of this clinic's payers (no payer has the id 99999). Add it in Settings → Payers, then post this payment again.",
    );
    expect(await claimRow(claim.id)).toMatchObject({ status: "accepted", insuranceBalance: 17_500 });
    await database.db.remittance.updateMany({ where: { organizationId: c.organizationId }, data: { payerId: c.payer.id } });
    const [held] = await database.db.remittanceClaim.findMany({ where: { organizationId: c.organizationId } });
    const again = await postClaimPaymentAgain(database.db, { organizationId: c.organizationId, remittanceClaimId: held!.id, actor: c.actor });
    expect(again.message).toMatch(/: posted\./);
    expect(await claimRow(claim.id)).toMatchObject({ status: "paid", insuranceBalance: 0 });
    expect((await database.db.remittance.findFirstOrThrow({ where: { organizationId: c.organizationId } })).status).toBe("posted");
  });

  it("provider-level adjustments (PLB) post once against insurance clearing, which then holds exactly the payment's total", async () => {
    const { c, claim } = await clinicWithClaim();
    await importRemittance(c, [usualPayment(claim.displayNumber)], {
      providerAdjustments: [
        { reason: "WO", amount: 1_000 },
        { reason: "L6", amount: -150 },
      ],
    });
    const remittance = await database.db.remittance.findFirstOrThrow({ where: { organizationId: c.organizationId } });
    expect(remittance.totalAmount).toBe(3_840 - 850);
    expect(await journalLines(c.organizationId, "remittance.provider_adjusted")).toEqual([
      ["1040", -850],
      ["4920", 850],
    ]);
    const balances = await balancesByCode(c.organizationId);
    expect(balances["1040"]).toBe(remittance.totalAmount);
    expect(await checkLedger(database.db)).toEqual(CLEAN_LEDGER);
  });

  it("with a secondary coverage: the primary's posting creates the secondary claim, which is not charged again; its payment comes off the patient's share invoice", async () => {
    const { c, claim } = await clinicWithClaim();
    const secondaryPayer = await createTestPayer(database.db, { organizationId: c.organizationId, name: "SECOND PLAN", payerId: "87726" });
    await createTestSelfCoverage(database.db, { organizationId: c.organizationId, patientId: c.patient.id, payerId: secondaryPayer.id, priority: 2 });
    const primary = await importRemittance(c, [usualPayment(claim.displayNumber)]);
    expect(primary.summary.at(-1)!.message).toMatch(
      /the claim is paid\. CLM-000002 created for SECOND PLAN \(secondary\) from the primary payer's remittance on CLM-000001\.$/,
    );
    const secondary = await database.db.claim.findFirstOrThrow({ where: { organizationId: c.organizationId, priorClaimId: claim.id } });
    expect(secondary).toMatchObject({ status: "draft", payerId: secondaryPayer.id, totalCharge: 17_500 });

    // Sent like any claim: no journal, no balance (its charge is the primary's, already revenue).
    expect((await validateClaim(database.db, { organizationId: c.organizationId, actor: c.actor, claimId: secondary.id })).problems).toEqual([]);
    await createClaimBatch(database.db, { organizationId: c.organizationId, actor: c.actor, claimIds: [secondary.id], channel: "download" });
    expect(await claimRow(secondary.id)).toMatchObject({ status: "submitted", insuranceBalance: 0 });
    expect(await database.db.journalLine.count({ where: { claimId: secondary.id } })).toBe(0);

    // The secondary pays 40.00 of the 54.60 and leaves the patient the 10.00 co-pay; 4.60 written off.
    const result = await importRemittance(c, [secondaryPayment()], { payerId: "87726", payerName: "SECOND PLAN" });
    expect(result.summary.at(-1)!.message).toMatch(
      // 36415 paid nothing because the primary's adjudication covered it (OA-23 only): settled, not denied.
      /^CLM-000002: posted\. SECOND PLAN paid \$40\.00, contractual adjustments \$4\.60 \(of its \$125\.00 adjusted, the rest is the prior payers' adjudication\), the patient's share \$10\.00 .*; \$44\.60 off the patient's share of the primary claim \(CN-\d+\); the claim is paid\.$/,
    );
    const [share] = await shareInvoices(c.organizationId);
    expect(share).toMatchObject({ status: "open", total: 5_460, amountDue: 1_000 });
    const note = await database.db.creditNote.findFirstOrThrow({ where: { organizationId: c.organizationId } });
    expect(note).toMatchObject({ amount: 4_460, disposition: "reduce_balance" });
    expect(note.reason).toBe(
      `Paid by SECOND PLAN (secondary insurance) for claim CLM-000002: $40.00, and $4.60 it allows you not to pay (payment ${(await database.db.remittance.findFirstOrThrow({ where: { organizationId: c.organizationId, payerName: "SECOND PLAN" } })).traceNumber}).`,
    );
    expect(await journalLines(c.organizationId, "remittance.secondary_applied")).toEqual([
      ["1040", 4_000],
      ["4910", -4_460],
      ["4920", 460],
    ]);
    const balances = await balancesByCode(c.organizationId);
    expect(balances).toMatchObject({ "1100": 1_000, "1110": 0, "1040": 3_840 + 4_000, "4910": 0 });
    expect(await checkLedger(database.db)).toEqual(CLEAN_LEDGER);
  });

  it("with a tertiary coverage: the tertiary payer's payment comes off the primary's share invoice too; one paying more than the patient still owes is held, naming the tertiary payer", async () => {
    const { c, claim } = await clinicWithClaim();
    const secondaryPayer = await createTestPayer(database.db, { organizationId: c.organizationId, name: "SECOND PLAN", payerId: "87726" });
    const tertiaryPayer = await createTestPayer(database.db, { organizationId: c.organizationId, name: "THIRD PLAN", payerId: "60054" });
    await createTestSelfCoverage(database.db, { organizationId: c.organizationId, patientId: c.patient.id, payerId: secondaryPayer.id, priority: 2 });
    await createTestSelfCoverage(database.db, { organizationId: c.organizationId, patientId: c.patient.id, payerId: tertiaryPayer.id, priority: 3 });
    const send = async (priorClaimId: string) => {
      const next = await database.db.claim.findFirstOrThrow({ where: { organizationId: c.organizationId, priorClaimId } });
      expect((await validateClaim(database.db, { organizationId: c.organizationId, actor: c.actor, claimId: next.id })).problems).toEqual([]);
      await createClaimBatch(database.db, { organizationId: c.organizationId, actor: c.actor, claimIds: [next.id], channel: "download" });
      return next;
    };
    const byTertiary = (paid: number): Test835Claim => ({
      number: "CLM-000003",
      status: "3",
      charge: 17_500,
      paid,
      patient: 0,
      lines: [
        { code: "99213", modifiers: ["25"], charge: 15_000, paid, date: SERVICE_DATE, adjustments: [{ group: "OA", reason: "23", amount: 15_000 - paid }] },
        { code: "36415", charge: 2_500, paid: 0, date: SERVICE_DATE, adjustments: [{ group: "OA", reason: "23", amount: 2_500 }] },
      ],
    });

    // The primary leaves the patient 54.60; the secondary pays 30.00 and leaves 20.00 (4.60 written off).
    await importRemittance(c, [usualPayment(claim.displayNumber)]);
    const secondary = await send(claim.id);
    await importRemittance(c, [secondaryPayment({ paid: 3_000, patient: 2_000, reason: "2" })], { payerId: "87726", payerName: "SECOND PLAN" });
    const tertiary = await send(secondary.id);
    expect(tertiary).toMatchObject({ number: 3, payerId: tertiaryPayer.id });

    // 25.00 when the patient owes only 20.00: held, nothing written.
    const over = await importRemittance(c, [byTertiary(2_500)], { payerId: "60054", payerName: "THIRD PLAN" });
    expect(over.summary.at(-1)!.message).toBe(
      "Not posted: CLM-000003: the tertiary payer paid $25.00, more than the $20.00 it takes off the patient's share; check it with the payer.",
    );
    expect((await shareInvoices(c.organizationId))[0]).toMatchObject({ total: 5_460, amountDue: 2_000 });

    // 15.00 and nothing left to the patient: the last 20.00 comes off the primary's share invoice (5.00 written off).
    const result = await importRemittance(c, [byTertiary(1_500)], { payerId: "60054", payerName: "THIRD PLAN" });
    expect(result.summary.at(-1)!.message).toMatch(
      /^CLM-000003: posted\. THIRD PLAN paid \$15\.00, contractual adjustments \$5\.00 \(of its \$160\.00 adjusted, the rest is the prior payers' adjudication\), the patient's share \$0\.00 \(payment EFT\d+\); \$20\.00 off the patient's share of the primary claim \(CN-00002\); the claim is paid\.$/,
    );
    expect((await shareInvoices(c.organizationId))[0]).toMatchObject({ status: "paid", total: 5_460, amountDue: 0 });
    const notes = await database.db.creditNote.findMany({ where: { organizationId: c.organizationId }, orderBy: { number: "asc" } });
    expect(notes.map((note) => [note.number, note.amount, note.reason.split(" for claim")[0]])).toEqual([
      ["CN-00001", 3_460, "Paid by SECOND PLAN (secondary insurance)"],
      ["CN-00002", 2_000, "Paid by THIRD PLAN (tertiary insurance)"],
    ]);
    expect(await claimRow(tertiary.id)).toEqual({
      status: "paid",
      insuranceBalance: 0,
      insurancePaid: 1_500,
      contractualAdjusted: 500,
      patientResponsibility: 0,
      writtenOff: 0,
    });
    expect(await balancesByCode(c.organizationId)).toMatchObject({ "1040": 3_840 + 3_000 + 1_500, "1100": 0, "1110": 0, "4910": 0 });
    expect(await checkLedger(database.db)).toEqual(CLEAN_LEDGER);
  });

  it("a secondary payer's reversal: its payment, contractual part and credit note taken back, the share invoice owing again", async () => {
    const { c, claim, secondary } = await clinicWithSecondaryPaid();
    const result = await importRemittance(c, [reversalOf(secondaryPayment())], { payerId: "87726", payerName: "SECOND PLAN" });
    expect(result.summary.at(-1)!.message).toMatch(
      /^CLM-000002: SECOND PLAN reversed its payment EFT\d+ of \$40\.00; its journals are reversed; the \$44\.60 it took off the patient's share of the primary claim is owed again \(CN-\d+ voided\)\.$/,
    );
    const [share] = await shareInvoices(c.organizationId);
    expect(share).toMatchObject({ status: "open", total: 5_460, amountDue: 5_460 });
    expect(await database.db.creditNote.findFirstOrThrow({ where: { organizationId: c.organizationId } })).toMatchObject({ status: "void", amount: 4_460 });
    expect(await journalLines(c.organizationId, "remittance.secondary_reversed")).toEqual([
      ["1040", -4_000],
      ["4910", 4_460],
      ["4920", -460],
    ]);
    expect(await journalLines(c.organizationId, "credit_note.voided")).toEqual([
      ["1100", 4_460],
      ["4910", -4_460],
    ]);
    expect(await claimRow(secondary.id)).toMatchObject({ insuranceBalance: 0, insurancePaid: 0, contractualAdjusted: 0, patientResponsibility: 0 });
    expect(await claimRow(claim.id)).toMatchObject({ status: "paid", insuranceBalance: 0, insurancePaid: 3_840 });
    const rows = await database.db.remittanceClaim.findMany({
      where: { organizationId: c.organizationId, claimId: secondary.id },
      orderBy: { remittance: { createdAt: "asc" } },
    });
    expect(rows.map((row) => [row.statusCode, row.status])).toEqual([
      ["2", "reversed"],
      ["22", "posted"],
    ]);
    expect(await balancesByCode(c.organizationId)).toMatchObject({ "1100": 5_460, "1110": 0, "1040": 3_840, "4910": 0, "4920": 8_200 });
    expect(await checkLedger(database.db)).toEqual(CLEAN_LEDGER);
  });

  it("a secondary reversal whose credit note gave the patient credit they spent is held until staff take that credit back, then posts", async () => {
    const { c } = await clinicWithSecondaryPaid({ patientPaysShareFirst: true });
    // The patient paid the whole share, so the secondary's 44.60 became their credit; they spent 30.00 of it on another invoice.
    expect(await creditOf(c.patient.id)).toBe(4_460);
    const other = await createTestOpenInvoice(database.db, { organizationId: c.organizationId, patientId: c.patient.id, total: 3_000 });
    const spent = await applyPatientCredit(database.db, { organizationId: c.organizationId, invoiceId: other.id, actor: c.actor, input: { amount: 3_000 } });
    await importRemittance(c, [reversalOf(secondaryPayment())], { payerId: "87726", payerName: "SECOND PLAN" });
    const held = await database.db.remittanceClaim.findFirstOrThrow({ where: { organizationId: c.organizationId, statusCode: "22" } });
    expect(held.status).toBe("held");
    expect(held.heldReason).toMatch(
      /^CLM-000002: the secondary payment gave the patient \$44\.60 of credit \(CN-\d+\), and only \$14\.60 of it is left; take the credit they used back off the invoice it paid \(the invoice's Patient credit → Take back\), then post this reversal again\.$/,
    );
    expect(await journalLines(c.organizationId, "remittance.secondary_reversed")).toEqual([]);

    await unapplyPatientCredit(database.db, { organizationId: c.organizationId, creditApplicationId: spent.application.id, actor: c.actor });
    expect(await postHeldClaimPayment(database.db, { organizationId: c.organizationId, remittanceClaimId: held.id, actor: c.actor })).toMatchObject({
      outcome: "posted",
    });
    expect(await creditOf(c.patient.id)).toBe(0);
    expect(await database.db.invoice.findUniqueOrThrow({ where: { id: other.id }, select: { status: true, amountDue: true } })).toEqual({
      status: "open",
      amountDue: 3_000,
    });
    expect(await journalLines(c.organizationId, "credit_note.voided")).toEqual([
      ["2200", 4_460],
      ["4910", -4_460],
    ]);
    expect(await balancesByCode(c.organizationId)).toMatchObject({ "1100": 3_000, "2200": 0, "1040": 3_840, "4910": 0 });
    expect(await checkLedger(database.db)).toEqual(CLEAN_LEDGER);
  });

  it("a line denied, the claim corrected and sent again: the payer reverses the original and pays the correction; the books follow", async () => {
    const { c, claim } = await clinicWithClaim();
    const denied = usualPayment(claim.displayNumber);
    denied.paid = 3_600;
    denied.patient = 5_400;
    denied.lines[1] = { code: "36415", charge: 2_500, paid: 0, date: SERVICE_DATE, adjustments: [{ group: "CO", reason: "4", amount: 2_500 }] };
    await importRemittance(c, [denied]);
    expect(await claimRow(claim.id)).toMatchObject({ status: "partially_paid", insuranceBalance: 2_500, insurancePaid: 3_600, contractualAdjusted: 6_000 });
    expect((await database.db.claim.findUniqueOrThrow({ where: { id: claim.id } })).payerClaimNumber).toBe("PCN0000000001");

    const correction = await createCorrectedClaim(database.db, { organizationId: c.organizationId, actor: c.actor, claimId: claim.id });
    expect((await validateClaim(database.db, { organizationId: c.organizationId, actor: c.actor, claimId: correction.id })).problems).toEqual([]);
    await createClaimBatch(database.db, { organizationId: c.organizationId, actor: c.actor, claimIds: [correction.id], channel: "download" });
    expect(await claimRow(correction.id)).toMatchObject({ insuranceBalance: 2_500 });
    expect(await claimRow(claim.id)).toMatchObject({ insuranceBalance: 0 });

    const reversal = { ...denied, status: "22", charge: -17_500, paid: -3_600, patient: -5_400 };
    reversal.lines = denied.lines.map((line) => ({
      ...line,
      charge: -line.charge,
      paid: -line.paid,
      adjustments: line.adjustments!.map((adjustment) => ({ ...adjustment, amount: -adjustment.amount })),
    }));
    // The reversal comes first, alone: what the payer owes again lands on the correction, which holds the claim's balance now.
    const reversed = await importRemittance(c, [reversal]);
    expect(reversed.summary.at(-1)!.message).toMatch(
      /reversed its payment EFT\d+ of \$36\.00; its journals are reversed and the patient's share invoice voided; what the payer owes again is on CLM-000002, the corrected claim that took over its balance\.$/,
    );
    expect(await claimRow(claim.id)).toMatchObject({ insuranceBalance: 0, insurancePaid: 0 });
    expect(await claimRow(correction.id)).toMatchObject({ insuranceBalance: 17_500 });
    const reversalLines = await database.db.journalLine.findMany({
      where: {
        organizationId: c.organizationId,
        journalEntry: { kind: { in: ["remittance.claim_payment_reversed", "invoice.voided"] } },
        claimId: { not: null },
      },
      select: { claimId: true, amount: true },
    });
    expect(reversalLines.map((line) => [line.claimId, line.amount]).sort()).toEqual(
      [
        [correction.id, 5_400],
        [correction.id, 9_600],
      ].sort(),
    );
    expect(await checkLedger(database.db)).toEqual(CLEAN_LEDGER);
    const result = await importRemittance(c, [{ ...usualPayment(correction.displayNumber), payerClaimNumber: "PCN0000000002" }]);
    expect(result.summary.at(-1)!.message).toMatch(new RegExp(`^${correction.displayNumber}: posted\\. EXAMPLE HEALTH PLAN paid \\$38\\.40`));
    // Only the submission's claim.replaced moved a balance between the two claims.
    expect(await database.db.journalEntry.count({ where: { organizationId: c.organizationId, kind: "claim.replaced" } })).toBe(1);
    expect(await claimRow(correction.id)).toMatchObject({
      status: "paid",
      insuranceBalance: 0,
      insurancePaid: 3_840,
      contractualAdjusted: 8_200,
      patientResponsibility: 5_460,
    });
    expect(await claimRow(claim.id)).toMatchObject({ insuranceBalance: 0, insurancePaid: 0, contractualAdjusted: 0, patientResponsibility: 0 });
    const invoices = await shareInvoices(c.organizationId);
    expect(invoices.map((invoice) => [invoice.status, invoice.total])).toEqual([
      ["void", 5_400],
      ["open", 5_460],
    ]);
    expect(await balancesByCode(c.organizationId)).toMatchObject({ "1110": 0, "1100": 5_460, "1040": 3_840, "4920": 8_200, "4000": -17_500 });
    expect(await checkLedger(database.db)).toEqual(CLEAN_LEDGER);
  });
});
