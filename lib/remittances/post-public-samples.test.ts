import { describe, expect, it } from "vitest";
import { importClearinghouseFile } from "@/lib/clearinghouse/import-file";
import { formatClaimNumber } from "@/lib/claims/claim-number";
import { createClaimFromVisit } from "@/lib/claims/create-claim";
import { createClaimBatch } from "@/lib/claims/submit-claims";
import { validateClaim } from "@/lib/claims/validate-claim";
import { recordVisit, type TVisitInput } from "@/lib/claims/visits";
import { addDays, todayIn } from "@/lib/invoices/dates";
import { checkLedger, getTrialBalance } from "@/lib/ledger/balances";
import { readdress, sampleFile } from "@/tests/clearinghouse-files";
import { BILLING_NPI, createTestPayer, createTestSelfCoverage, createTestBillingClinic, type TestBillingClinic } from "@/tests/insurance-fixtures";
import { refusal } from "@/tests/refusal";
import { importTest835, submitTestClaim, type Test835Claim } from "@/tests/remittance-files";
import { setupTestDatabase } from "@/tests/test-database";
import { listUnmatchedClaimPayments, matchClaimPaymentByHand } from "./unmatched";

const database = setupTestDatabase();
const CLEAN_LEDGER = { unbalancedCurrencies: [], invoiceMismatches: [], patientCreditMismatches: [], allocationMismatches: [], claimMismatches: [] };
let nextInterchange = 61_101;

/**
 * tastypackets profee.edi (MIT; ../shared/x12/README.md): NYSDOH pays 45.75 by ACH for three claim
 * payments whose CLP01 is the placeholder "PATIENT ACCOUNT NUMBER". Here the clinic billed those
 * three claims (the same lines, charges and dates, to a payer whose id is the sample's TRN03), and
 * the sample's CLP01s are replaced by their claim numbers, in order, its placeholder patient name by
 * the clinic's patient's, and its payee NPI by the clinic's.
 * Every amount below is read off the sample by hand.
 */
describe("posting a public 835 sample", () => {
  it("profee.edi: one claim paid in full, one denied (CO-29, filing limit), one partly denied (CO-251 with N206): posted to the cent", async () => {
    const c = await createTestBillingClinic(database.db);
    const payer = await createTestPayer(database.db, { organizationId: c.organizationId, name: "NYSDOH", payerId: "1000000000" });
    await createTestSelfCoverage(database.db, {
      organizationId: c.organizationId,
      patientId: c.patient.id,
      payerId: payer.id,
      effectiveFrom: "2009-01-01",
      effectiveTo: "2013-12-31",
    });
    const line = (procedureCode: string, modifiers: string[], chargeAmount: number, units = 1, serviceDate?: string) => ({
      procedureCode,
      modifiers,
      chargeAmount,
      units,
      diagnosisPointers: [1],
      ...(serviceDate ? { serviceDate } : {}),
    });
    const visits: TVisitInput["charges"][] = [
      [line("V2020", ["RB"], 600), line("V2700", ["RB"], 275), line("V2103", ["RB"], 550), line("S0580", [], 2_000, 2)],
      [line("V2020", [], 1_200), line("V2103", [], 2_200)],
      [line("V2020", ["RB"], 600), line("V2103", ["RB"], 550, 1, "2013-09-17"), line("V2700", ["RB"], 275), line("S0580", [], 2_000, 2)],
    ];
    const claims = [];
    for (const charges of visits) {
      const visit = await recordVisit(database.db, {
        organizationId: c.organizationId,
        actor: c.actor,
        patientId: c.patient.id,
        input: { serviceDate: "2010-01-01", renderingProviderId: c.provider.id, diagnoses: ["H52.13"], charges },
      });
      const claim = await createClaimFromVisit(database.db, { organizationId: c.organizationId, actor: c.actor, visitId: visit.id });
      expect((await validateClaim(database.db, { organizationId: c.organizationId, actor: c.actor, claimId: claim.id })).problems).toEqual([]);
      claims.push(claim);
    }
    await createClaimBatch(database.db, { organizationId: c.organizationId, actor: c.actor, claimIds: claims.map((claim) => claim.id), channel: "download" });

    let sample = readdress(sampleFile("tastypackets/profee.edi"), { submitterId: c.submitterId, interchangeControlNumber: 61_001 });
    for (const claim of claims) sample = sample.replace("CLP*PATIENT ACCOUNT NUMBER*", `CLP*${claim.displayNumber}*`);
    // The patient is this clinic's (the sample's "SUBMITTED LAST, SUBMITTED FIRST" is a placeholder too; a name clearly
    // another's leaves the payment unmatched).
    sample = sample.replaceAll("NM1*QC*1*SUBMITTED LAST*SUBMITTED FIRST*", "NM1*QC*1*DOE*JANE*");
    // The payee is this clinic (the sample's NPI 9999999995 is a placeholder no claim can carry).
    sample = sample.replace("N1*PE*MAJOR MEDICAL PROVIDER*XX*9999999995", `N1*PE*MAJOR MEDICAL PROVIDER*XX*${BILLING_NPI}`);
    const result = await importClearinghouseFile(database.db, {
      organizationId: c.organizationId,
      actor: c.actor,
      fileName: "profee.edi",
      content: sample,
      source: "upload",
    });

    const rows = await database.db.claim.findMany({
      where: { organizationId: c.organizationId },
      orderBy: { number: "asc" },
      select: { status: true, insuranceBalance: true, insurancePaid: true, contractualAdjusted: true, patientResponsibility: true },
    });
    expect(rows).toEqual([
      // 34.25 charged, 34.25 paid line by line (AMT*B6 = the charge): nothing adjusted.
      { status: "paid", insuranceBalance: 0, insurancePaid: 3_425, contractualAdjusted: 0, patientResponsibility: 0 },
      // 34.00 charged, nothing paid: CO-29 12.00 + 22.00, denied; the 34.00 stays open for the denial queue.
      { status: "denied", insuranceBalance: 3_400, insurancePaid: 0, contractualAdjusted: 0, patientResponsibility: 0 },
      // 34.25 charged, 6.00 + 5.50 paid; V2700-RB 2.75 and S0580 20.00 denied CO-251 (N206): 22.75 open.
      { status: "partially_paid", insuranceBalance: 2_275, insurancePaid: 1_150, contractualAdjusted: 0, patientResponsibility: 0 },
    ]);
    expect(result.summary.filter((entry) => entry.message.includes(": posted.")).map((entry) => entry.message.split(":")[0])).toEqual(
      claims.map((claim) => claim.displayNumber),
    );
    // Nothing for the patient to pay: no PR in the sample.
    expect(await database.db.invoice.count({ where: { organizationId: c.organizationId } })).toBe(0);
    const balances = Object.fromEntries((await getTrialBalance(database.db, c.organizationId)).map((row) => [row.code, row.balance]));
    // Insurance clearing holds BPR02 (45.75); the receivable what was denied (34.00 + 22.75); revenue the three claims' charges.
    expect(balances).toMatchObject({ "1040": 4_575, "1110": 5_675, "4000": -10_250 });
    expect(await database.db.remittance.findFirstOrThrow({ where: { organizationId: c.organizationId }, select: { status: true } })).toEqual({
      status: "posted",
    });
    expect(await checkLedger(database.db)).toEqual(CLEAN_LEDGER);
  });
});

/*
 * The linuxforhealth 835 samples (Apache-2.0; ../shared/x12/README.md). Three of them are payments
 * by a payer after another (CLP02 2 "processed as secondary", 3 "as tertiary", with OA-23, the prior
 * payers' adjudication): here the clinic billed the visit to the primary payer, posted the primary's
 * remittance (an 835 written for the test, its figures chosen to agree with the sample's OA-23), sent
 * the next payer's claim Carebill created from it, and the sample pays that claim: its CLP01 is
 * replaced by that claim's number. The next payer is known by the sample's TRN03 (none of these
 * samples has REF*2U). Every other amount is the sample's, read by hand.
 */

type Charge = { procedureCode: string; modifiers?: string[]; description: string; chargeAmount: number };

/** Coverages in force in 2005 (the samples' dates): the clinic's payer first, then each payer given, in order. */
async function coveragesIn2005(c: TestBillingClinic, next: { name: string; payerId: string }[]) {
  await database.db.coverage.update({ where: { id: c.coverage.id }, data: { effectiveFrom: new Date("2005-01-01T00:00:00Z") } });
  const payers = [];
  for (const [index, payer] of next.entries()) {
    const row = await createTestPayer(database.db, { organizationId: c.organizationId, ...payer });
    await createTestSelfCoverage(database.db, {
      organizationId: c.organizationId,
      patientId: c.patient.id,
      payerId: row.id,
      priority: index + 2,
      effectiveFrom: "2005-01-01",
    });
    payers.push(row);
  }
  return payers;
}

/** The visit billed to the primary payer: recorded, its claim validated and sent in an 837 batch. */
async function submitPrimaryClaim(c: TestBillingClinic, serviceDate: string, charges: Charge[]) {
  const visit = await recordVisit(database.db, {
    organizationId: c.organizationId,
    actor: c.actor,
    patientId: c.patient.id,
    input: {
      serviceDate,
      renderingProviderId: c.provider.id,
      diagnoses: ["N40.0"],
      charges: charges.map((charge) => ({ ...charge, modifiers: charge.modifiers ?? [], units: 1, diagnosisPointers: [1] })),
    },
  });
  const claim = await createClaimFromVisit(database.db, { organizationId: c.organizationId, actor: c.actor, visitId: visit.id });
  expect((await validateClaim(database.db, { organizationId: c.organizationId, actor: c.actor, claimId: claim.id })).problems).toEqual([]);
  await createClaimBatch(database.db, { organizationId: c.organizationId, actor: c.actor, claimIds: [claim.id], channel: "download" });
  return claim;
}

/** The claim Carebill created for the next payer when the prior claim's remittance was posted: validated and sent. */
async function sendNextClaim(c: TestBillingClinic, priorClaimId: string) {
  const next = await database.db.claim.findFirstOrThrow({ where: { organizationId: c.organizationId, priorClaimId }, select: { id: true, number: true } });
  expect((await validateClaim(database.db, { organizationId: c.organizationId, actor: c.actor, claimId: next.id })).problems).toEqual([]);
  await createClaimBatch(database.db, { organizationId: c.organizationId, actor: c.actor, claimIds: [next.id], channel: "download" });
  return { id: next.id, displayNumber: formatClaimNumber(next.number) };
}

/** Replaces exactly one occurrence of `from` (fails loudly if the sample changes). */
function edit(text: string, from: string, to: string): string {
  expect(text.split(from)).toHaveLength(2);
  return text.replace(from, to);
}

/**
 * The sample readdressed to the clinic, paying `claimNumber` instead of its CLP01 `clp01`, for the
 * clinic's patient (Carebill refuses a payment for a patient clearly not the claim's) instead of the
 * sample's NM1*QC name `patient` ("LAST*FIRST" or "LAST*FIRST*MIDDLE").
 */
function sampleFor(c: TestBillingClinic, path: string, options: { clp01: string; claimNumber: string; patient: string }): string {
  let sample = readdress(sampleFile(path), { submitterId: c.submitterId, interchangeControlNumber: nextInterchange++ });
  sample = edit(sample, `CLP*${options.clp01}*`, `CLP*${options.claimNumber}*`);
  const [, , ...rest] = options.patient.split("*");
  return edit(sample, `NM1*QC*1*${options.patient}*`, `NM1*QC*1*${["DOE", "JANE", ...rest.map(() => "")].join("*")}*`);
}

async function importSample(c: TestBillingClinic, fileName: string, content: string) {
  return importClearinghouseFile(database.db, { organizationId: c.organizationId, actor: c.actor, fileName, content, source: "upload" });
}

async function claimFigures(claimId: string) {
  return database.db.claim.findUniqueOrThrow({
    where: { id: claimId },
    select: { status: true, insuranceBalance: true, insurancePaid: true, contractualAdjusted: true, patientResponsibility: true, writtenOff: true },
  });
}

/** Each claim's figures, in the order given. */
async function claimsFigures(claimIds: string[]) {
  return Promise.all(claimIds.map((id) => claimFigures(id)));
}

async function invoicesOf(organizationId: string) {
  const invoices = await database.db.invoice.findMany({
    where: { organizationId },
    orderBy: { createdAt: "asc" },
    include: { lines: { orderBy: { position: "asc" } }, creditNotes: { orderBy: { createdAt: "asc" } } },
  });
  return invoices.map((invoice) => ({
    status: invoice.status,
    total: invoice.total,
    amountDue: invoice.amountDue,
    lines: invoice.lines.map((line) => [line.description, line.serviceCode, line.unitAmount]),
    creditNotes: invoice.creditNotes.map((note) => [note.amount, note.disposition, note.reason]),
  }));
}

async function balancesByCode(organizationId: string): Promise<Record<string, number>> {
  return Object.fromEntries((await getTrialBalance(database.db, organizationId)).map((row) => [row.code, row.balance]));
}

async function journalLines(organizationId: string, kind: string) {
  const lines = await database.db.journalLine.findMany({
    where: { organizationId, journalEntry: { kind } },
    select: { amount: true, account: { select: { code: true } } },
  });
  return lines.map((line) => [line.account.code, line.amount]).sort();
}

/** What a later payer's posting left in the books: the patient's share invoices, its journal lines, the accounts' balances; the ledger clean. */
async function expectBooksAfterLaterPayer(
  organizationId: string,
  expected: { invoices: Awaited<ReturnType<typeof invoicesOf>>; secondaryApplied: (string | number)[][]; balances: Record<string, number> },
) {
  expect(await invoicesOf(organizationId)).toEqual(expected.invoices);
  expect(await journalLines(organizationId, "remittance.secondary_applied")).toEqual(expected.secondaryApplied);
  expect(await balancesByCode(organizationId)).toMatchObject(expected.balances);
  expect(await checkLedger(database.db)).toEqual(CLEAN_LEDGER);
}

describe("posting the linuxforhealth 835 samples", () => {
  it("cob-contractural-adjustment.835: refused as received (ISA16 ':' against SVC*HC>55669); corrected, it pays the secondary claim 34.00 and the patient's 34.00 share is credited off", async () => {
    const c = await createTestBillingClinic(database.db);
    const [secondaryPayer] = await coveragesIn2005(c, [{ name: "YOUR TAX DOLLARS AT WORK", payerId: "1566339911" }]);
    const primary = await submitPrimaryClaim(c, "2005-02-02", [{ procedureCode: "55669", description: "Outpatient procedure", chargeAmount: 54_100 }]);

    // The primary's remittance: 541.00 allowed 441.00 (CO-45 100.00), deductible 20.00, coinsurance
    // 14.00, paid 407.00. Paid + CO = 507.00 = the sample's OA-23 516.00 with its OA-94 −9.00.
    const primaryPayment: Test835Claim = {
      number: primary.displayNumber,
      charge: 54_100,
      paid: 40_700,
      patient: 3_400,
      lines: [
        {
          code: "55669",
          charge: 54_100,
          paid: 40_700,
          date: "2005-02-02",
          adjustments: [
            { group: "CO", reason: "45", amount: 10_000 },
            { group: "PR", reason: "1", amount: 2_000 },
            { group: "PR", reason: "2", amount: 1_400 },
          ],
        },
      ],
    };
    const first = await importTest835(database.db, c, [primaryPayment]);
    expect(first.summary.at(-1)!.message).toMatch(/: posted\. .*the claim is paid\. CLM-000002 created for YOUR TAX DOLLARS AT WORK \(secondary\)/);
    const secondary = await sendNextClaim(c, primary.id);

    const sample = sampleFor(c, "linuxforhealth/835/cob-contractural-adjustment.835", {
      clp01: "0001000055",
      claimNumber: secondary.displayNumber,
      patient: "BURCK*RAYMOND*W",
    });
    const before = await balancesByCode(c.organizationId);
    const files = await database.db.clearinghouseFile.count({ where: { organizationId: c.organizationId } });

    // As received: ISA16 declares ":" but SVC01 is written "HC>55669". Refused, nothing stored.
    const disagreement =
      'Claim CLM-000002, service line 1 (SVC, segment 21): SVC01 reads "HC>55669"; the interchange declares ":" as its component separator (ISA16), but this looks written with ">". Carebill does not guess which separator was meant: ask the payer or clearinghouse for a file whose ISA16 matches its data.';
    expect(await refusal(importSample(c, "cob-contractural-adjustment.835", sample))).toEqual({
      code: "VALIDATION_FAILED",
      message: disagreement,
      fields: { file: [disagreement] },
    });
    expect(await database.db.clearinghouseFile.count({ where: { organizationId: c.organizationId } })).toBe(files);
    expect(await database.db.remittance.count({ where: { organizationId: c.organizationId } })).toBe(1);
    expect(await balancesByCode(c.organizationId)).toEqual(before);

    // The file as it should have been sent (its only ">" is SVC01's).
    const corrected = edit(sample, "SVC*HC>55669*", "SVC*HC:55669*");
    const result = await importSample(c, "cob-contractural-adjustment-corrected.835", corrected);
    expect(result.summary.map((entry) => entry.message)).toEqual([
      "Payment 0063158ABC from YOUR TAX DOLLARS AT WORK (payer 1566339911): $34.00 by check, 1 claim (1 matched to this clinic's claims). Stored.",
      "Claim CLM-000002: processed as secondary. Charged $541.00, the payer paid $34.00, adjusted $507.00 (OA-23 $516.00, OA-94 -$9.00), the patient's share $0.00. Matched to the claim.",
      // OA-23 and OA-94 are the prior payer's adjudication as the secondary saw it: nothing of them is written off again.
      "CLM-000002: posted. YOUR TAX DOLLARS AT WORK paid $34.00, contractual adjustments $0.00 (of its $507.00 adjusted, the rest is the prior payers' adjudication), the patient's share $0.00 (payment 0063158ABC); $34.00 off the patient's share of the primary claim (CN-00001); the claim is paid.",
    ]);
    expect(await claimsFigures([primary.id, secondary.id])).toEqual([
      // The primary: 407.00 paid, CO-45 100.00, the patient's 34.00 (PR-1 20.00 + PR-2 14.00) billed; nothing open.
      { status: "paid", insuranceBalance: 0, insurancePaid: 40_700, contractualAdjusted: 10_000, patientResponsibility: 3_400, writtenOff: 0 },
      // The secondary: 34.00 paid, nothing written off, the patient owes nothing more (no PR, CLP05 empty); never charged.
      { status: "paid", insuranceBalance: 0, insurancePaid: 3_400, contractualAdjusted: 0, patientResponsibility: 0, writtenOff: 0 },
    ]);
    await expectBooksAfterLaterPayer(c.organizationId, {
      invoices: [
        {
          status: "paid",
          total: 3_400,
          amountDue: 0,
          lines: [
            ["Deductible — outpatient procedure 55669 on 2005-02-02", "55669", 2_000],
            ["Coinsurance — outpatient procedure 55669 on 2005-02-02", "55669", 1_400],
          ],
          creditNotes: [[3_400, "reduce_balance", "Paid by YOUR TAX DOLLARS AT WORK (secondary insurance) for claim CLM-000002: $34.00 (payment 0063158ABC)."]],
        },
      ],
      secondaryApplied: [
        ["1040", 3_400],
        ["4910", -3_400],
      ],
      // Insurance clearing: 407.00 + the sample's BPR02 34.00; both receivables empty; revenue the charge, less CO-45.
      balances: { "1040": 44_100, "1100": 0, "1110": 0, "4000": -54_100, "4910": 0, "4920": 10_000 },
    });
    expect(
      await database.db.remittance.findMany({
        where: { organizationId: c.organizationId, payerId: secondaryPayer!.id },
        select: { status: true, totalAmount: true, claims: { select: { status: true, claimId: true, paidAmount: true, patientShareInvoiceId: true } } },
      }),
    ).toEqual([
      { status: "posted", totalAmount: 3_400, claims: [{ status: "posted", claimId: secondary.id, paidAmount: 3_400, patientShareInvoiceId: null }] },
    ]);
  });
  it("secondary-payment.835: 1,222.00 for two claims; the institutional one is left unmatched, the professional one pays the secondary claim 310.00 and leaves the patient 220.00", async () => {
    const c = await createTestBillingClinic(database.db);
    const [secondaryPayer] = await coveragesIn2005(c, [{ name: "YOUR TAX DOLLARS AT WORK", payerId: "1559123456" }]);
    const primary = await submitPrimaryClaim(c, "2005-01-06", [
      { procedureCode: "12345", modifiers: ["26"], description: "ECG interpretation", chargeAmount: 16_650 },
      { procedureCode: "66543", modifiers: ["26"], description: "Cataract surgery", chargeAmount: 58_500 },
    ]);

    // The primary's remittance, agreeing with the sample's OA-23: 12345-26 paid 100.00, CO-45 36.50
    // (paid + CO = the sample's OA-23 136.50), coinsurance 30.00; 66543-26 all deductible (585.00), so
    // the sample has no OA-23 on it. The patient's share 615.00.
    const primaryPayment: Test835Claim = {
      number: primary.displayNumber,
      charge: 75_150,
      paid: 10_000,
      patient: 61_500,
      lines: [
        {
          code: "12345",
          modifiers: ["26"],
          charge: 16_650,
          paid: 10_000,
          date: "2005-01-06",
          adjustments: [
            { group: "CO", reason: "45", amount: 3_650 },
            { group: "PR", reason: "2", amount: 3_000 },
          ],
        },
        { code: "66543", modifiers: ["26"], charge: 58_500, paid: 0, date: "2005-01-06", adjustments: [{ group: "PR", reason: "1", amount: 58_500 }] },
      ],
    };
    await importTest835(database.db, c, [primaryPayment]);
    const secondary = await sendNextClaim(c, primary.id);

    const sample = sampleFor(c, "linuxforhealth/835/secondary-payment.835", {
      clp01: "0001000053",
      claimNumber: secondary.displayNumber,
      patient: "BAKI*ANGI",
    });
    // As received, refused like the cob sample (ISA16 ":" against SVC*HC>12345>26); nothing stored.
    expect((await refusal(importSample(c, "secondary-payment.835", sample))).message).toMatch(
      /^Claim CLM-000002, service line 1 \(SVC, segment 29\): SVC01 reads "HC>12345>26"; the interchange declares ":" as its component separator \(ISA16\)/,
    );
    expect(await database.db.remittance.count({ where: { organizationId: c.organizationId } })).toBe(1);
    const corrected = edit(edit(sample, "SVC*HC>12345>26*", "SVC*HC:12345:26*"), "SVC*HC>66543>26*", "SVC*HC:66543:26*");
    const result = await importSample(c, "secondary-payment-corrected.835", corrected);
    expect(result.summary.map((entry) => entry.message)).toEqual([
      "Payment 0012524965 from YOUR TAX DOLLARS AT WORK (payer 1559123456): $1,222.00 by check, 2 claims (1 matched to this clinic's claims). Stored.",
      // An institutional claim (no service lines, claim-level OA-23): not one Carebill bills; left for staff.
      'Claim L0004828311: processed as secondary. Charged $10,323.64, the payer paid $912.00, adjusted $9,411.64 (OA-23 $9,411.64), the patient\'s share $0.00. Not matched: "L0004828311" (CLP01) is not a Carebill claim number.',
      "Claim CLM-000002: processed as secondary. Charged $751.50, the payer paid $310.00, adjusted $221.50 (OA-23 $136.50, CO-42 $85.00), the patient's share $220.00 (PR-1 $150.00, PR-2 $70.00). Matched to the claim.",
      // 615.00 − 220.00 = 395.00 off the patient's share: 310.00 paid, 85.00 (the sample's CO-42) written off.
      "CLM-000002: posted. YOUR TAX DOLLARS AT WORK paid $310.00, contractual adjustments $85.00 (of its $221.50 adjusted, the rest is the prior payers' adjudication), the patient's share $220.00 (payment 0012524965); $395.00 off the patient's share of the primary claim (CN-00001); the claim is paid.",
    ]);
    expect(await claimsFigures([primary.id, secondary.id])).toEqual([
      { status: "paid", insuranceBalance: 0, insurancePaid: 10_000, contractualAdjusted: 3_650, patientResponsibility: 61_500, writtenOff: 0 },
      { status: "paid", insuranceBalance: 0, insurancePaid: 31_000, contractualAdjusted: 8_500, patientResponsibility: 22_000, writtenOff: 0 },
    ]);
    // The share invoice keeps the primary's lines; the credit note takes 395.00 off: the patient owes the secondary's PR-1 150.00 + PR-2 70.00.
    await expectBooksAfterLaterPayer(c.organizationId, {
      invoices: [
        {
          status: "open",
          total: 61_500,
          amountDue: 22_000,
          lines: [
            ["Coinsurance — ECG interpretation 12345 on 2005-01-06", "12345", 3_000],
            ["Deductible — cataract surgery 66543 on 2005-01-06", "66543", 58_500],
          ],
          creditNotes: [
            [
              39_500,
              "reduce_balance",
              "Paid by YOUR TAX DOLLARS AT WORK (secondary insurance) for claim CLM-000002: $310.00, and $85.00 it allows you not to pay (payment 0012524965).",
            ],
          ],
        },
      ],
      secondaryApplied: [
        ["1040", 31_000],
        ["4910", -39_500],
        ["4920", 8_500],
      ],
      // Clearing: the primary's 100.00 and the 310.00 posted (the unmatched 912.00 waits); the patient owes 220.00; CO-45 36.50 + CO-42 85.00.
      balances: { "1040": 41_000, "1100": 22_000, "1110": 0, "4000": -75_150, "4910": 0, "4920": 12_150 },
    });
    expect(
      await database.db.remittance.findMany({
        where: { organizationId: c.organizationId, payerId: secondaryPayer!.id },
        select: { status: true, totalAmount: true, claims: { orderBy: { position: "asc" }, select: { status: true, claimId: true, paidAmount: true } } },
      }),
    ).toEqual([
      {
        status: "received",
        totalAmount: 122_200,
        claims: [
          { status: "unmatched", claimId: null, paidAmount: 91_200 },
          { status: "posted", claimId: secondary.id, paidAmount: 31_000 },
        ],
      },
    ]);
  });
  it("tertiary-payment.835: refused as received (SVC*HC*24599.00: no procedure code); corrected, it pays the tertiary claim 187.50, the last of the patient's share", async () => {
    const c = await createTestBillingClinic(database.db);
    const [secondaryPayer, tertiaryPayer] = await coveragesIn2005(c, [
      { name: "SECOND PLAN", payerId: "87726" },
      { name: "YOUR TAX DOLLARS AT WORK", payerId: "1559123456" },
    ]);
    const primary = await submitPrimaryClaim(c, "2005-01-20", [{ procedureCode: "24599", description: "Elbow repair", chargeAmount: 176_650 }]);

    // The primary and secondary remittances, agreeing with the sample's OA-23 1,579.00 (what both
    // payers paid and wrote off: 800.00 + 266.50 + 450.00 + 62.50) and its 187.50 paid (what they
    // left the patient). Primary: allowed 1,500.00 (CO-45 266.50), deductible 500.00, coinsurance
    // 200.00, paid 800.00. Secondary: paid 450.00, OA-23 1,066.50, CO-45 62.50, coinsurance 187.50.
    await importTest835(database.db, c, [
      {
        number: primary.displayNumber,
        charge: 176_650,
        paid: 80_000,
        patient: 70_000,
        lines: [
          {
            code: "24599",
            charge: 176_650,
            paid: 80_000,
            date: "2005-01-20",
            adjustments: [
              { group: "CO", reason: "45", amount: 26_650 },
              { group: "PR", reason: "1", amount: 50_000 },
              { group: "PR", reason: "2", amount: 20_000 },
            ],
          },
        ],
      },
    ]);
    const secondary = await sendNextClaim(c, primary.id);
    const second = await importTest835(
      database.db,
      c,
      [
        {
          number: secondary.displayNumber,
          status: "2",
          charge: 176_650,
          paid: 45_000,
          patient: 18_750,
          lines: [
            {
              code: "24599",
              charge: 176_650,
              paid: 45_000,
              date: "2005-01-20",
              adjustments: [
                { group: "OA", reason: "23", amount: 106_650 },
                { group: "CO", reason: "45", amount: 6_250 },
                { group: "PR", reason: "2", amount: 18_750 },
              ],
            },
          ],
        },
      ],
      { payerId: secondaryPayer!.payerId, payerName: secondaryPayer!.name, trace: "SECOND0001" },
    );
    expect(second.summary.at(-1)!.message).toMatch(
      /CLM-000003 created for YOUR TAX DOLLARS AT WORK \(tertiary\) from the secondary payer's remittance on CLM-000002\.$/,
    );
    const tertiary = await sendNextClaim(c, secondary.id);

    const sample = sampleFor(c, "linuxforhealth/835/tertiary-payment.835", {
      clp01: "0001000054",
      claimNumber: tertiary.displayNumber,
      patient: "ISLAND*ELLIS*E",
    });
    const malformed =
      'Claim CLM-000003, service line 1 (SVC, segment 20): SVC01 reads "HC" with no procedure code after the qualifier, and the next element reads "24599.00". The line cannot be matched to a billed service.';
    expect(await refusal(importSample(c, "tertiary-payment.835", sample))).toEqual({
      code: "VALIDATION_FAILED",
      message: malformed,
      fields: { file: [malformed] },
    });
    expect(await database.db.remittance.count({ where: { organizationId: c.organizationId } })).toBe(2);
    // The line as it was meant: 24599 charged 1,766.50, paid 187.50 (SVC04 is empty, SVC05 the units).
    const corrected = edit(sample, "SVC*HC*24599.00*1766.50*187.50**1", "SVC*HC:24599*1766.50*187.50**1");
    const result = await importSample(c, "tertiary-payment-corrected.835", corrected);
    expect(result.summary.map((entry) => entry.message)).toEqual([
      "Payment 0012524879 from YOUR TAX DOLLARS AT WORK (payer 1559123456): $187.50 by check, 1 claim (1 matched to this clinic's claims). Stored.",
      "Claim CLM-000003: processed as tertiary. Charged $1,766.50, the payer paid $187.50, adjusted $1,579.00 (OA-23 $1,579.00), the patient's share $0.00. Matched to the claim.",
      // The share is on the primary's invoice (the secondary's posting billed nothing): the tertiary's 187.50 comes off it.
      "CLM-000003: posted. YOUR TAX DOLLARS AT WORK paid $187.50, contractual adjustments $0.00 (of its $1,579.00 adjusted, the rest is the prior payers' adjudication), the patient's share $0.00 (payment 0012524879); $187.50 off the patient's share of the primary claim (CN-00002); the claim is paid.",
    ]);
    expect(await claimsFigures([primary.id, secondary.id, tertiary.id])).toEqual([
      { status: "paid", insuranceBalance: 0, insurancePaid: 80_000, contractualAdjusted: 26_650, patientResponsibility: 70_000, writtenOff: 0 },
      { status: "paid", insuranceBalance: 0, insurancePaid: 45_000, contractualAdjusted: 6_250, patientResponsibility: 18_750, writtenOff: 0 },
      { status: "paid", insuranceBalance: 0, insurancePaid: 18_750, contractualAdjusted: 0, patientResponsibility: 0, writtenOff: 0 },
    ]);
    // 700.00 billed after the primary; 512.50 off after the secondary (450.00 paid + 62.50 CO-45), the last 187.50 after the tertiary.
    await expectBooksAfterLaterPayer(c.organizationId, {
      invoices: [
        {
          status: "paid",
          total: 70_000,
          amountDue: 0,
          lines: [
            ["Deductible — elbow repair 24599 on 2005-01-20", "24599", 50_000],
            ["Coinsurance — elbow repair 24599 on 2005-01-20", "24599", 20_000],
          ],
          creditNotes: [
            [
              51_250,
              "reduce_balance",
              "Paid by SECOND PLAN (secondary insurance) for claim CLM-000002: $450.00, and $62.50 it allows you not to pay (payment SECOND0001).",
            ],
            [18_750, "reduce_balance", "Paid by YOUR TAX DOLLARS AT WORK (tertiary insurance) for claim CLM-000003: $187.50 (payment 0012524879)."],
          ],
        },
      ],
      secondaryApplied: [
        ["1040", 18_750],
        ["1040", 45_000],
        ["4910", -18_750],
        ["4910", -51_250],
        ["4920", 6_250],
      ],
      // Clearing: 800.00 + 450.00 + the sample's BPR02 187.50; CO-45 266.50 + 62.50; nothing left to collect from anyone.
      balances: { "1040": 143_750, "1100": 0, "1110": 0, "4000": -176_650, "4910": 0, "4920": 32_900 },
    });
    expect(
      await database.db.remittance.findMany({
        where: { organizationId: c.organizationId, payerId: tertiaryPayer!.id },
        select: { status: true, totalAmount: true, claims: { select: { status: true, claimId: true, paidAmount: true } } },
      }),
    ).toEqual([{ status: "posted", totalAmount: 18_750, claims: [{ status: "posted", claimId: tertiary.id, paidAmount: 18_750 }] }]);
  });
  it("medicare-part-a.835: institutional claims (TS3, MIA, no service lines) land unmatched with the reason; matched by hand to a professional claim, held, not posted", async () => {
    const c = await createTestBillingClinic(database.db);
    // The sample's payer is known by its REF*2U 999: here it is the clinic's payer.
    await database.db.payer.update({ where: { id: c.payer.id }, data: { name: "INSURANCE COMPANY OF TIMBUCKTU", payerId: "999" } });
    const { claim } = await submitTestClaim(database.db, c, addDays(todayIn("America/New_York"), -3));
    const sample = readdress(sampleFile("linuxforhealth/835/medicare-part-a.835"), { submitterId: c.submitterId, interchangeControlNumber: nextInterchange++ });
    const result = await importSample(c, "medicare-part-a.835", sample);
    expect(result.summary.map((entry) => entry.message)).toEqual([
      "Payment 12345 from INSURANCE COMPANY OF TIMBUCKTU (payer 999): $150,000.00 by automated clearing house (ACH) transfer on 2002-09-13, 2 claims (0 matched to this clinic's claims), provider adjustments add $1.27. Stored.",
      'Claim 666123: processed as primary. Charged $211,366.97, the payer paid $138,018.40, adjusted $73,348.57 (CO-45 $73,348.57), the patient\'s share $0.00. Not matched: "666123" (CLP01) is not a Carebill claim number.',
      'Claim 777777: processed as primary. Charged $15,000.00, the payer paid $11,980.33, adjusted $3,019.67 (CO-45 $3,019.67), the patient\'s share $0.00. Not matched: "777777" (CLP01) is not a Carebill claim number.',
    ]);
    // Both wait in the unmatched queue with the reason and the patient's name as the payer wrote it.
    const { payments } = await listUnmatchedClaimPayments(database.db, { organizationId: c.organizationId, limit: 10 });
    expect(
      payments.map((payment) => [payment.patientControlNumber, payment.status, payment.reason, payment.patientName, payment.chargeAmount, payment.paidAmount]),
    ).toEqual([
      ["666123", "unmatched", '"666123" (CLP01) is not a Carebill claim number.', "JONES, SAM", 21_136_697, 13_801_840],
      ["777777", "unmatched", '"777777" (CLP01) is not a Carebill claim number.', "BORDER, LIZ", 1_500_000, 1_198_033],
    ]);
    // The PLB (CV, capital passthru, −1.27: money added) is posted with the payment; the claims are not.
    expect(await journalLines(c.organizationId, "remittance.provider_adjusted")).toEqual([
      ["1040", 127],
      ["4920", -127],
    ]);

    // Staff matching the inpatient stay to another patient's claim must confirm the names differ first;
    // then it is held with the reason (the claim is a professional one), nothing posted.
    await expect(
      matchClaimPaymentByHand(database.db, { organizationId: c.organizationId, remittanceClaimId: payments[0]!.id, claimId: claim.id, actor: c.actor }),
    ).rejects.toThrow("The payer's patient is JONES, SAM, but CLM-000001 is for JANE DOE. Confirm it is the same person to match it.");
    expect(
      await matchClaimPaymentByHand(database.db, {
        organizationId: c.organizationId,
        remittanceClaimId: payments[0]!.id,
        claimId: claim.id,
        actor: c.actor,
        confirmNameMismatch: true,
      }),
    ).toEqual({
      outcome: "held",
      claimId: claim.id,
      message:
        "Matched to CLM-000001. Not posted: CLM-000001: this payment accounts for $211,366.97 (paid $138,018.40, adjusted $73,348.57, the patient's share $0.00), more than the $175.00 the payer still owes on the claim.",
    });
    expect(await claimFigures(claim.id)).toEqual({
      status: "submitted",
      insuranceBalance: 17_500,
      insurancePaid: 0,
      contractualAdjusted: 0,
      patientResponsibility: 0,
      writtenOff: 0,
    });
    expect(await balancesByCode(c.organizationId)).toMatchObject({ "1040": 127, "1110": 17_500, "4000": -17_500, "4920": -127 });
    expect(await database.db.invoice.count({ where: { organizationId: c.organizationId } })).toBe(0);
    expect(await database.db.remittance.findFirstOrThrow({ where: { organizationId: c.organizationId }, select: { status: true, totalAmount: true } })).toEqual(
      {
        status: "received",
        totalAmount: 15_000_000,
      },
    );
    expect(await checkLedger(database.db)).toEqual(CLEAN_LEDGER);
  });
});
