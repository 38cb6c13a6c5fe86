import { describe, expect, it } from "vitest";
import { importClearinghouseFile } from "@/lib/clearinghouse/import-file";
import { createClaimFromVisit } from "@/lib/claims/create-claim";
import { createClaimBatch } from "@/lib/claims/submit-claims";
import { validateClaim } from "@/lib/claims/validate-claim";
import { recordVisit, type TVisitInput } from "@/lib/claims/visits";
import { checkLedger, getTrialBalance } from "@/lib/ledger/balances";
import { readdress, sampleFile } from "@/tests/clearinghouse-files";
import { BILLING_NPI, createTestPayer, createTestSelfCoverage, createTestBillingClinic } from "@/tests/insurance-fixtures";
import { setupTestDatabase } from "@/tests/test-database";

const database = setupTestDatabase();
const CLEAN_LEDGER = { unbalancedCurrencies: [], invoiceMismatches: [], patientCreditMismatches: [], allocationMismatches: [], claimMismatches: [] };

/**
 * tastypackets profee.edi (MIT; ../shared/x12/README.md): NYSDOH pays 45.75 by ACH for three claim
 * payments whose CLP01 is the placeholder "PATIENT ACCOUNT NUMBER". Here the clinic billed those
 * three claims (the same lines, charges and dates, to a payer whose id is the sample's TRN03), and
 * the sample's CLP01s are replaced by their claim numbers, in order, and its payee NPI by the clinic's.
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
