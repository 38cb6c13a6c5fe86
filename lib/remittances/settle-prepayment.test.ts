import { describe, expect, it } from "vitest";
import { addDays, todayIn } from "@/lib/invoices/dates";
import { checkLedger, getTrialBalance } from "@/lib/ledger/balances";
import { recordManualPayment } from "@/lib/payments/record-manual-payment";
import { voidManualPayment } from "@/lib/payments/void-manual-payment";
import { postHeldClaimPayment } from "./unmatched";
import { createTestOpenInvoice } from "@/tests/factories";
import { createTestBillingClinic, type TestBillingClinic } from "@/tests/insurance-fixtures";
import { importTest835, submitTestClaim, usualTest835Claim, type Test835Claim } from "@/tests/remittance-files";
import { setupTestDatabase } from "@/tests/test-database";

const database = setupTestDatabase();
const SERVICE_DATE = addDays(todayIn("America/New_York"), -3);
const CLEAN_LEDGER = { unbalancedCurrencies: [], invoiceMismatches: [], patientCreditMismatches: [], allocationMismatches: [], claimMismatches: [] };

/** A clinic with automatic credit off (the default), a claim sent and accepted, and a prepayment of `prepaid` collected at check-in. */
async function clinicWithPrepaidClaim(prepaid: number) {
  const c = await createTestBillingClinic(database.db);
  expect((await database.db.organization.findUniqueOrThrow({ where: { id: c.organizationId } })).autoApplyCredit).toBe(false);
  const { claim } = await submitTestClaim(database.db, c, SERVICE_DATE);
  await database.db.$executeRaw`UPDATE claims SET status = 'accepted' WHERE id = ${claim.id}::uuid`;
  const prepayment = await recordManualPayment(database.db, {
    organizationId: c.organizationId,
    actor: c.actor,
    input: { patientId: c.patient.id, method: "card_terminal", amount: prepaid, prepayment: true },
  });
  return { c, claim, prepayment };
}

const importRemittance = (c: TestBillingClinic, claims: Test835Claim[]) => importTest835(database.db, c, claims);

/** tests/remittance-files.ts usualTest835Claim: the patient's share 25.00 co-pay + 20.00 deductible + 9.60 coinsurance = 54.60. */
function payment(number: string): Test835Claim {
  return usualTest835Claim(number, SERVICE_DATE);
}

async function shareInvoice(organizationId: string) {
  const remittanceClaim = await database.db.remittanceClaim.findFirstOrThrow({
    where: { organizationId, patientShareInvoiceId: { not: null } },
    select: { patientShareInvoiceId: true },
  });
  return database.db.invoice.findUniqueOrThrow({
    where: { id: remittanceClaim.patientShareInvoiceId! },
    select: { id: true, status: true, total: true, amountPaid: true, amountDue: true, creditApplications: { select: { amount: true } } },
  });
}

const creditBalance = async (patientId: string) =>
  (await database.db.patientCreditBalance.findUnique({ where: { patientId_currency: { patientId, currency: "USD" } } }))?.balance ?? 0;

async function journalLines(organizationId: string, kind: string) {
  const lines = await database.db.journalLine.findMany({
    where: { organizationId, journalEntry: { kind } },
    select: { amount: true, account: { select: { code: true } } },
  });
  return lines.map((line) => [line.account.code, line.amount]).sort();
}

const balancesByCode = async (organizationId: string) =>
  Object.fromEntries((await getTrialBalance(database.db, organizationId)).map((row) => [row.code, row.balance]));

describe("a prepayment collected at check-in settles the patient's share when the 835 is posted", () => {
  it("reduces the share invoice by the prepayment, even with automatic credit off", async () => {
    const { c, claim } = await clinicWithPrepaidClaim(3_000);
    await importRemittance(c, [payment(claim.displayNumber)]);
    expect(await shareInvoice(c.organizationId)).toMatchObject({
      status: "partially_paid",
      total: 5_460,
      amountPaid: 3_000,
      amountDue: 2_460,
      creditApplications: [{ amount: 3_000 }],
    });
    expect(await creditBalance(c.patient.id)).toBe(0);
    expect(await balancesByCode(c.organizationId)).toMatchObject({ "1100": 2_460, "2200": 0, "1030": 3_000 });
    expect(await checkLedger(database.db)).toEqual(CLEAN_LEDGER);
  });

  it("pays the share in full and leaves the excess as the patient's credit", async () => {
    const { c, claim } = await clinicWithPrepaidClaim(8_000);
    await importRemittance(c, [payment(claim.displayNumber)]);
    expect(await shareInvoice(c.organizationId)).toMatchObject({ status: "paid", amountPaid: 5_460, amountDue: 0, creditApplications: [{ amount: 5_460 }] });
    expect(await creditBalance(c.patient.id)).toBe(8_000 - 5_460);
    expect(await balancesByCode(c.organizationId)).toMatchObject({ "1100": 0, "2200": -(8_000 - 5_460) });
    expect(await checkLedger(database.db)).toEqual(CLEAN_LEDGER);
  });

  it("a later reversal of that payment takes the credit back off the share invoice (no money leaves), voids it and reverses the posting", async () => {
    const { c, claim } = await clinicWithPrepaidClaim(8_000);
    await importRemittance(c, [payment(claim.displayNumber)]);
    const result = await importRemittance(c, [usualTest835Claim(claim.displayNumber, SERVICE_DATE, -1)]);
    expect(result.summary.at(-1)!.message).toMatch(
      /reversed its payment EFT\d+ of \$38\.40; its journals are reversed and the patient's share invoice voided \(the \$54\.60 of credit that paid it is the patient's credit again\)\.$/,
    );
    const reversal = await database.db.remittanceClaim.findFirstOrThrow({ where: { organizationId: c.organizationId, statusCode: "22" } });
    expect(reversal).toMatchObject({ status: "posted", heldReason: null });
    expect(await shareInvoice(c.organizationId)).toMatchObject({ status: "void", amountPaid: 0, amountDue: 0 });
    expect(await creditBalance(c.patient.id)).toBe(8_000);
    // The credit application's journal exactly undone, then the share moved back to the claim.
    expect(await journalLines(c.organizationId, "credit.applied")).toEqual([
      ["1100", -5_460],
      ["2200", 5_460],
    ]);
    expect(await journalLines(c.organizationId, "credit.unapplied")).toEqual([
      ["1100", 5_460],
      ["2200", -5_460],
    ]);
    expect(await journalLines(c.organizationId, "invoice.voided")).toEqual([
      ["1100", -5_460],
      ["1110", 5_460],
    ]);
    expect(await database.db.claim.findUniqueOrThrow({ where: { id: claim.id }, select: { insuranceBalance: true, insurancePaid: true } })).toEqual({
      insuranceBalance: 17_500,
      insurancePaid: 0,
    });
    expect(await balancesByCode(c.organizationId)).toMatchObject({ "1100": 0, "1110": 17_500, "2200": -8_000, "1040": 0 });
    expect(await checkLedger(database.db)).toEqual(CLEAN_LEDGER);
  });

  it("a reversal whose share the patient paid at the desk is held in words, and posts once staff voided that payment (the credit part taken back by itself)", async () => {
    const { c, claim } = await clinicWithPrepaidClaim(3_000);
    await importRemittance(c, [payment(claim.displayNumber)]);
    const share = await shareInvoice(c.organizationId);
    const cash = await recordManualPayment(database.db, {
      organizationId: c.organizationId,
      actor: c.actor,
      input: { patientId: c.patient.id, method: "cash", amount: 2_460, invoiceId: share.id },
    });
    expect(await shareInvoice(c.organizationId)).toMatchObject({ status: "paid", amountPaid: 5_460 });
    await importRemittance(c, [usualTest835Claim(claim.displayNumber, SERVICE_DATE, -1)]);
    const held = await database.db.remittanceClaim.findFirstOrThrow({ where: { organizationId: c.organizationId, statusCode: "22" } });
    expect(held.status).toBe("held");
    expect(held.heldReason).toMatch(
      /^CLM-\d+: the patient's share of the reversed payment is on INV-\d+, which the patient paid \$24\.60 of \(card, cash, check or bank\): refund that payment choosing "Put the amount back on the invoice" \(a card payment\) or void it \(cash, check, card terminal, bank transfer\); Carebill takes back any credit applied to it itself; then post this reversal again\.$/,
    );
    // Nothing of it written: the share still paid, the credit still applied.
    expect(await shareInvoice(c.organizationId)).toMatchObject({ status: "paid", amountPaid: 5_460 });
    expect(await journalLines(c.organizationId, "credit.unapplied")).toEqual([]);

    await voidManualPayment(database.db, { organizationId: c.organizationId, paymentId: cash.id, actor: c.actor, input: { reason: "Given back at the desk" } });
    const posted = await postHeldClaimPayment(database.db, { organizationId: c.organizationId, remittanceClaimId: held.id, actor: c.actor });
    expect(posted).toMatchObject({ outcome: "posted", message: expect.stringMatching(/the \$30\.00 of credit that paid it is the patient's credit again/) });
    expect(await shareInvoice(c.organizationId)).toMatchObject({ status: "void", amountPaid: 0, amountDue: 0 });
    expect(await creditBalance(c.patient.id)).toBe(3_000);
    expect(await balancesByCode(c.organizationId)).toMatchObject({ "1100": 0, "1110": 17_500, "2200": -3_000, "1000": 0, "1030": 3_000 });
    expect(await checkLedger(database.db)).toEqual(CLEAN_LEDGER);
  });

  it("an ordinary invoice does not take the credit while automatic credit is off", async () => {
    const { c } = await clinicWithPrepaidClaim(3_000);
    const invoice = await createTestOpenInvoice(database.db, { organizationId: c.organizationId, patientId: c.patient.id, total: 10_000 });
    expect(invoice).toMatchObject({ status: "open", amountDue: 10_000 });
    expect(await creditBalance(c.patient.id)).toBe(3_000);
  });
});
