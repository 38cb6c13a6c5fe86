import { describe, expect, it } from "vitest";
import { importClearinghouseFile } from "@/lib/clearinghouse/import-file";
import { addDays, todayIn } from "@/lib/invoices/dates";
import { checkLedger, getTrialBalance } from "@/lib/ledger/balances";
import { recordManualPayment } from "@/lib/payments/record-manual-payment";
import { createTestOpenInvoice } from "@/tests/factories";
import { BILLING_NPI, createTestBillingClinic, type TestBillingClinic } from "@/tests/insurance-fixtures";
import { build835, submitTestClaim, usualTest835Claim, type Test835Claim } from "@/tests/remittance-files";
import { setupTestDatabase } from "@/tests/test-database";

const database = setupTestDatabase();
const SERVICE_DATE = addDays(todayIn("America/New_York"), -3);
const CLEAN_LEDGER = { unbalancedCurrencies: [], invoiceMismatches: [], patientCreditMismatches: [], allocationMismatches: [], claimMismatches: [] };
let nextInterchange = 7_100;
let nextTrace = 770_000;

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

const importRemittance = (c: TestBillingClinic, claims: Test835Claim[]) =>
  importClearinghouseFile(database.db, {
    organizationId: c.organizationId,
    actor: c.actor,
    fileName: `remit-${nextInterchange}.835`,
    content: build835({
      submitterId: c.submitterId,
      interchangeControlNumber: nextInterchange++,
      payerId: c.payer.payerId,
      trace: `EFT${nextTrace++}`,
      payeeNpi: BILLING_NPI,
      claims,
    }),
    source: "upload",
  });

/** tests/remittance-files.ts usualTest835Claim: the patient's share 25.00 co-pay + 20.00 deductible + 9.60 coinsurance = 54.60. */
function payment(number: string): Test835Claim {
  return usualTest835Claim(number, SERVICE_DATE);
}

async function shareInvoice(organizationId: string) {
  const remittanceClaim = await database.db.remittanceClaim.findFirstOrThrow({ where: { organizationId }, select: { patientShareInvoiceId: true } });
  return database.db.invoice.findUniqueOrThrow({
    where: { id: remittanceClaim.patientShareInvoiceId! },
    select: { id: true, status: true, total: true, amountPaid: true, amountDue: true, creditApplications: { select: { amount: true } } },
  });
}

const creditBalance = async (patientId: string) =>
  (await database.db.patientCreditBalance.findUnique({ where: { patientId_currency: { patientId, currency: "USD" } } }))?.balance ?? 0;

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

  it("a later reversal of that payment is held, in words, while the share stays paid from the prepayment (no way yet to take credit back off an invoice)", async () => {
    const { c, claim } = await clinicWithPrepaidClaim(8_000);
    await importRemittance(c, [payment(claim.displayNumber)]);
    const reversal = payment(claim.displayNumber);
    const negate = (cents: number) => -cents;
    const reversed: Test835Claim = {
      ...reversal,
      status: "22",
      charge: negate(reversal.charge),
      paid: negate(reversal.paid),
      patient: negate(reversal.patient!),
      lines: reversal.lines.map((line) => ({
        ...line,
        charge: negate(line.charge),
        paid: negate(line.paid),
        adjustments: line.adjustments!.map((adjustment) => ({ ...adjustment, amount: negate(adjustment.amount) })),
      })),
    };
    await importRemittance(c, [reversed]);
    const held = await database.db.remittanceClaim.findFirstOrThrow({ where: { organizationId: c.organizationId, statusCode: "22" } });
    expect(held).toMatchObject({ status: "held", heldReason: expect.stringMatching(/which has payments or credits; refund or credit it first/) });
    expect(await shareInvoice(c.organizationId)).toMatchObject({ status: "paid", amountPaid: 5_460 });
    expect(await creditBalance(c.patient.id)).toBe(8_000 - 5_460);
    expect(await checkLedger(database.db)).toEqual(CLEAN_LEDGER);
  });

  it("an ordinary invoice does not take the credit while automatic credit is off", async () => {
    const { c } = await clinicWithPrepaidClaim(3_000);
    const invoice = await createTestOpenInvoice(database.db, { organizationId: c.organizationId, patientId: c.patient.id, total: 10_000 });
    expect(invoice).toMatchObject({ status: "open", amountDue: 10_000 });
    expect(await creditBalance(c.patient.id)).toBe(3_000);
  });
});
