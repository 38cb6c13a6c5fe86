import { describe, expect, it } from "vitest";
import { importClearinghouseFile } from "@/lib/clearinghouse/import-file";
import { createInvoice } from "@/lib/invoices/create-invoice";
import { finalizeInvoice } from "@/lib/invoices/finalize-invoice";
import { addDays, todayIn } from "@/lib/invoices/dates";
import { recordManualPayment } from "@/lib/payments/record-manual-payment";
import {
  BILLING_NPI,
  createTestInsuredPatient,
  createTestPayer,
  createTestSelfCoverage,
  createTestBillingClinic,
  type TestBillingClinic,
} from "@/tests/insurance-fixtures";
import { partlyPaidTest835Claim, deniedTest835Claim, build835, submitTestClaim, usualTest835Claim, type Test835Claim } from "@/tests/remittance-files";
import { setupTestDatabase } from "@/tests/test-database";
import { getAnalyticsReport } from "./get-analytics-report";
import { AGING_BUCKETS } from "./analytics.types";

const database = setupTestDatabase();
const SERVICE_DATE = addDays(todayIn("America/New_York"), -3);
let nextInterchange = 7_100;
let nextTrace = 770_000;

type Payer = { payerId: string; name: string };

const importRemittance = (c: TestBillingClinic, payer: Payer, claims: Test835Claim[]) =>
  importClearinghouseFile(database.db, {
    organizationId: c.organizationId,
    actor: c.actor,
    fileName: `remit-${nextInterchange}.835`,
    content: build835({
      submitterId: c.submitterId,
      interchangeControlNumber: nextInterchange++,
      payerId: payer.payerId,
      payerName: payer.name,
      trace: `EFT${nextTrace++}`,
      payeeNpi: BILLING_NPI,
      claims,
    }),
    source: "upload",
  });

/** tests/remittance-files.ts usualTest835Claim: charged 175.00, paid 38.40, contractual 82.00 (CO-45), the patient's share 54.60. */
function usualPayment(number: string, sign: 1 | -1 = 1): Test835Claim {
  return usualTest835Claim(number, SERVICE_DATE, sign);
}

const denial = (number: string) => deniedTest835Claim(number, SERVICE_DATE);

/** John Roe's claim partly paid (tests/remittance-files.ts partlyPaidTest835Claim). */
function partialPayment(number: string): Test835Claim {
  return { ...partlyPaidTest835Claim(number, SERVICE_DATE), patientName: { lastName: "ROE", firstName: "JOHN" } };
}

/** The claim as submitted `days` clinic days ago (its submission is what ages it and puts it in a period). */
async function submittedDaysAgo(claimId: string, days: number) {
  await database.db.$executeRaw`UPDATE claims SET submitted_at = submitted_at - make_interval(days => ${days}::int) WHERE id = ${claimId}::uuid`;
}

describe("insurance figures (lib/analytics/insurance-figures.ts)", () => {
  it("a clinic without claims: nothing owed, no rates, hasClaims false", async () => {
    const c = await createTestBillingClinic(database.db);
    const report = await getAnalyticsReport(database.db, { organizationId: c.organizationId, report: "insurance", query: { preset: "last_30_days" } });
    expect(report.hasClaims).toBe(false);
    expect(report.receivables.total).toEqual({ count: 0, amount: 0 });
    expect(report.receivables.byPayer).toEqual([]);
    expect(report.daysToPay.overall).toEqual({ claims: 0, averageDays: null, medianDays: null });
    expect(report.denials.denialRate).toEqual({ current: null, previous: null });
    expect(report.netCollectionRate).toEqual({ current: null, previous: null });
  });

  it("two payers: one claim paid, one denied, one partially paid, one paid then reversed; each figure by hand", async () => {
    const c = await createTestBillingClinic(database.db);
    const payerA: Payer = { payerId: c.payer.payerId, name: c.payer.name };
    const second = await createTestPayer(database.db, { organizationId: c.organizationId, name: "SECOND PLAN" });
    const payerB: Payer = { payerId: second.payerId, name: second.name };
    const patientB = await createTestInsuredPatient(database.db, { organizationId: c.organizationId, firstName: "JOHN", lastName: "ROE" });
    await createTestSelfCoverage(database.db, { organizationId: c.organizationId, patientId: patientB.id, payerId: second.id });
    const clinicB = { ...c, patient: patientB };

    // Another clinic's claim, paid: never in these figures.
    const other = await createTestBillingClinic(database.db);
    const otherClaim = await submitTestClaim(database.db, other, SERVICE_DATE);
    await importRemittance(other, { payerId: other.payer.payerId, name: other.payer.name }, [usualPayment(otherClaim.claim.displayNumber)]);

    const paid = (await submitTestClaim(database.db, c, SERVICE_DATE)).claim;
    const denied = (await submitTestClaim(database.db, c, SERVICE_DATE)).claim;
    const reversed = (await submitTestClaim(database.db, c, SERVICE_DATE)).claim;
    const partial = (await submitTestClaim(database.db, clinicB, SERVICE_DATE)).claim;
    await submittedDaysAgo(paid.id, 12);
    await submittedDaysAgo(partial.id, 5);
    // Submitted 45 days ago: 31–60 in the A/R, and in the previous period of the last 30 days.
    await submittedDaysAgo(denied.id, 45);

    await importRemittance(c, payerA, [usualPayment(paid.displayNumber), denial(denied.displayNumber), usualPayment(reversed.displayNumber)]);
    await importRemittance(c, payerB, [partialPayment(partial.displayNumber)]);
    await importRemittance(c, payerA, [usualPayment(reversed.displayNumber, -1)]);

    const claims = await database.db.claim.findMany({
      where: { organizationId: c.organizationId },
      select: { id: true, status: true, insuranceBalance: true },
    });
    const byId = new Map(claims.map((claim) => [claim.id, claim]));
    expect(byId.get(paid.id)).toMatchObject({ status: "paid", insuranceBalance: 0 });
    expect(byId.get(denied.id)).toMatchObject({ status: "denied", insuranceBalance: 17_500 });
    expect(byId.get(partial.id)).toMatchObject({ insuranceBalance: 2_500 });
    expect(byId.get(reversed.id)).toMatchObject({ insuranceBalance: 17_500 });

    // The patient pays their share of the paid claim at the desk; a self-pay visit billed 100.00, 40.00 paid.
    const shareInvoice = await database.db.remittanceClaim.findFirstOrThrow({
      where: { claimId: paid.id, status: "posted" },
      select: { patientShareInvoiceId: true },
    });
    const receivedOn = todayIn("America/New_York");
    await recordManualPayment(database.db, {
      organizationId: c.organizationId,
      actor: c.actor,
      input: { patientId: c.patient.id, method: "cash", amount: 5_460, invoiceId: shareInvoice.patientShareInvoiceId!, receivedOn },
    });
    const draft = await createInvoice(database.db, {
      organizationId: c.organizationId,
      actor: c.actor,
      input: { patientId: patientB.id, lines: [{ description: "Self-pay visit", serviceCode: "99212", quantity: 1, unitAmount: 10_000 }] },
    });
    const selfPay = await finalizeInvoice(database.db, { organizationId: c.organizationId, invoiceId: draft.id, actor: c.actor });
    await recordManualPayment(database.db, {
      organizationId: c.organizationId,
      actor: c.actor,
      input: { patientId: patientB.id, method: "cash", amount: 4_000, invoiceId: selfPay.id, receivedOn },
    });

    const report = await getAnalyticsReport(database.db, { organizationId: c.organizationId, report: "insurance", query: { preset: "last_30_days" } });
    expect(report.hasClaims).toBe(true);

    // A/R now: the denied claim (175.00, 45 days) and the reversed one (175.00, today) at payer A, the partial claim's denied line (25.00, 5 days) at payer B.
    const buckets = (amounts: Partial<Record<(typeof AGING_BUCKETS)[number], [number, number]>>) =>
      AGING_BUCKETS.map((key) => ({ key, count: amounts[key]?.[0] ?? 0, amount: amounts[key]?.[1] ?? 0 }));
    expect(report.receivables.total).toEqual({ count: 3, amount: 37_500 });
    expect(report.receivables.buckets).toEqual(buckets({ "0-30": [2, 20_000], "31-60": [1, 17_500] }));
    expect(report.receivables.over90Amount).toBe(0);
    expect(report.receivables.byPayer).toEqual([
      { payerId: c.payer.id, payerName: payerA.name, total: { count: 2, amount: 35_000 }, buckets: buckets({ "0-30": [1, 17_500], "31-60": [1, 17_500] }) },
      { payerId: second.id, payerName: "SECOND PLAN", total: { count: 1, amount: 2_500 }, buckets: buckets({ "0-30": [1, 2_500] }) },
    ]);

    // Days to pay: the paid claim 12 days, the partial one 5; the reversed payment no longer stands, the denial paid nothing.
    expect(report.daysToPay.overall).toEqual({ claims: 2, averageDays: 8.5, medianDays: 8.5 });
    expect(report.daysToPay.byPayer).toEqual([
      { payerId: c.payer.id, payerName: payerA.name, claims: 1, averageDays: 12, medianDays: 12 },
      { payerId: second.id, payerName: "SECOND PLAN", claims: 1, averageDays: 5, medianDays: 5 },
    ]);

    // Denials: three claims submitted in the last 30 days, none denied at first; the denied one was submitted in the previous period.
    expect(report.denials.submitted).toEqual({ count: { current: 3, previous: 1 }, amount: { current: 52_500, previous: 17_500 } });
    expect(report.denials.initiallyDenied).toEqual({ count: { current: 0, previous: 1 }, amount: { current: 0, previous: 17_500 } });
    expect(report.denials.denialRate).toEqual({ current: 0, previous: 1 });
    expect(report.denials.denialRateByAmount).toEqual({ current: 0, previous: 1 });
    expect(report.denials.byPayer).toEqual([
      {
        payerId: c.payer.id,
        payerName: payerA.name,
        submitted: { count: 2, amount: 35_000 },
        initiallyDenied: { count: 0, amount: 0 },
        denialRate: 0,
        denialRateByAmount: 0,
      },
      {
        payerId: second.id,
        payerName: "SECOND PLAN",
        submitted: { count: 1, amount: 17_500 },
        initiallyDenied: { count: 0, amount: 0 },
        denialRate: 0,
        denialRateByAmount: 0,
      },
    ]);

    // Money in the period (the claims were charged today, whatever their submission date says).
    expect(report.claimCharges).toEqual({ current: 70_000, previous: 0 });
    // 38.40 + 90.00; the reversed claim's 38.40 came back off.
    expect(report.insurerPaid).toEqual({ current: 12_840, previous: 0 });
    expect(report.contractualAdjustments).toEqual({ current: 8_200 + 6_000, previous: 0 });
    expect(report.patientCollections).toEqual({ current: 5_460 + 4_000, previous: 0 });
    expect(report.insurerShare.current).toBeCloseTo(12_840 / (12_840 + 9_460), 10);
    // (paid by payers + patients) ÷ (claim charges + the self-pay invoice − contractual); the share invoices are in the claims' charges already.
    expect(report.netCollectionRate.current).toBeCloseTo((12_840 + 9_460) / (70_000 + 10_000 - 14_200), 10);
    expect(report.netCollectionRate.previous).toBeNull();

    // A denial rate by hand: the previous period's claim, counted in a period that holds its submission.
    const older = await getAnalyticsReport(database.db, {
      organizationId: c.organizationId,
      report: "insurance",
      query: { from: addDays(receivedOn, -59), to: receivedOn },
    });
    expect(older.denials.submitted.count.current).toBe(4);
    expect(older.denials.initiallyDenied.count.current).toBe(1);
    expect(older.denials.denialRate.current).toBe(0.25);
    expect(older.denials.denialRateByAmount.current).toBe(0.25);
    expect(older.denials.byPayer.find((row) => row.payerId === c.payer.id)).toMatchObject({
      submitted: { count: 3, amount: 52_500 },
      initiallyDenied: { count: 1, amount: 17_500 },
      denialRate: 1 / 3,
    });
  });
});
