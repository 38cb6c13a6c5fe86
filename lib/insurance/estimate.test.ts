import { describe, expect, it } from "vitest";
import { recordVisit } from "@/lib/claims/visits";
import { createTestOrganization } from "@/tests/factories";
import { addTestPayerFees, createTestBillingClinic, createTestBillingSetup, createTestSelfCoverage } from "@/tests/insurance-fixtures";
import { refusal } from "@/tests/refusal";
import { setupTestDatabase } from "@/tests/test-database";
import { saveCoverageBenefits } from "./coverage-benefits";
import { estimatePatientResponsibility, estimateVisitResponsibility } from "./estimate";

const database = setupTestDatabase();
const LINES = [
  { procedureCode: "99213", modifiers: ["25"], units: 1, chargeAmount: 15_000 },
  { procedureCode: "36415", modifiers: [], units: 1, chargeAmount: 2_500 },
];

async function insuredClinic() {
  const c = await createTestBillingClinic(database.db);
  const options = { organizationId: c.organizationId, actor: c.actor };
  await addTestPayerFees(database.db, {
    ...options,
    payerId: c.payer.id,
    fees: [
      ["99213", "", "90"],
      ["99213", "25", "95"],
    ],
  });
  return { ...c, options };
}

describe("estimatePatientResponsibility", () => {
  it("reads the primary coverage in force, the payer's fee schedule and the benefits, and says what it is based on", async () => {
    const c = await insuredClinic();
    await saveCoverageBenefits(database.db, {
      ...c.options,
      coverageId: c.coverage.id,
      source: "manual",
      verifiedAt: new Date("2026-11-30T15:00:00Z"),
      input: {
        copays: [{ visitType: "office", amount: 2_500 }],
        coinsuranceBasisPoints: 2_000,
        deductibleIndividual: 50_000,
        deductibleIndividualMet: 18_500,
      },
    });
    const base = { organizationId: c.organizationId, patientId: c.patient.id, serviceDate: "2026-12-01", charges: LINES };

    const copay = await estimatePatientResponsibility(database.db, { ...base, visitType: "office" });
    expect(copay).toMatchObject({
      status: "estimated",
      currency: "USD",
      allowedTotal: 9_500 + 2_500,
      total: 2_500,
      parts: [{ kind: "copay", words: "Co-pay for an office visit $25.00", amount: 2_500 }],
      basis: {
        coverageId: c.coverage.id,
        verifiedAt: "2026-11-30T15:00:00.000Z",
        source: "manual",
        words: "Benefits verified 2026-11-30 by staff (phone call or payer portal).",
      },
    });
    expect(copay.status === "estimated" && copay.lines.map((line) => [line.allowedAmount, line.allowedFrom])).toEqual([
      [9_500, { kind: "fee_schedule", modifier: "25" }],
      [2_500, { kind: "charge" }],
    ]);

    // No co-pay for the visit type: deductible remaining 315.00 covers all of the 120.00 allowed.
    const deductible = await estimatePatientResponsibility(database.db, { ...base, visitType: "specialist" });
    expect(deductible).toMatchObject({
      status: "estimated",
      total: 12_000,
      parts: [
        { words: "Deductible remaining $315.00 of $500.00", amount: 12_000 },
        { words: "Coinsurance 20 % of $0.00", amount: 0 },
      ],
    });
  });

  it("answers no coverage in force, and benefits unknown, in words", async () => {
    const c = await insuredClinic();
    const before = await estimatePatientResponsibility(database.db, {
      organizationId: c.organizationId,
      patientId: c.patient.id,
      serviceDate: "2025-06-01",
      charges: LINES,
    });
    expect(before).toEqual({
      status: "no_coverage",
      message: "No primary coverage in force on 2025-06-01: the patient pays the clinic's charges.",
      currency: "USD",
    });
    const unknown = await estimatePatientResponsibility(database.db, {
      organizationId: c.organizationId,
      patientId: c.patient.id,
      serviceDate: "2026-12-01",
      charges: LINES,
    });
    expect(unknown).toMatchObject({
      status: "benefits_unknown",
      message: expect.stringMatching(/^Benefits unknown/),
      basis: { verifiedAt: null, words: "Benefits not verified yet: the amounts on file may be out of date." },
    });
    // A secondary coverage alone is not used.
    const other = await createTestOrganization(database.db);
    const otherSetup = await createTestBillingSetup(database.db, { organizationId: other.organizationId });
    await database.db.coverage.delete({ where: { id: otherSetup.coverage.id } });
    await createTestSelfCoverage(database.db, {
      organizationId: other.organizationId,
      patientId: otherSetup.patient.id,
      payerId: otherSetup.payer.id,
      priority: 2,
    });
    expect(
      await estimatePatientResponsibility(database.db, {
        organizationId: other.organizationId,
        patientId: otherSetup.patient.id,
        serviceDate: "2026-12-01",
        charges: LINES,
      }),
    ).toMatchObject({ status: "no_coverage" });
  });

  it("refuses another clinic's patient and bad input", async () => {
    const c = await insuredClinic();
    const other = await createTestOrganization(database.db);
    expect(
      await refusal(
        estimatePatientResponsibility(database.db, {
          organizationId: other.organizationId,
          patientId: c.patient.id,
          serviceDate: "2026-12-01",
          charges: LINES,
        }),
      ),
    ).toMatchObject({ code: "NOT_FOUND" });
    await expect(
      estimatePatientResponsibility(database.db, { organizationId: c.organizationId, patientId: c.patient.id, serviceDate: "2026-12-01", charges: [] }),
    ).rejects.toThrow(/at least one service line/);
  });

  it("estimates a recorded visit from its own charges", async () => {
    const c = await insuredClinic();
    await saveCoverageBenefits(database.db, { ...c.options, coverageId: c.coverage.id, source: "eligibility", input: { coinsuranceBasisPoints: 1_000 } });
    const visit = await recordVisit(database.db, {
      ...c.options,
      patientId: c.patient.id,
      input: {
        serviceDate: "2026-12-01",
        renderingProviderId: c.provider.id,
        diagnoses: ["J06.9"],
        charges: LINES.map((line) => ({ ...line, diagnosisPointers: [1] })),
      },
    });
    const result = await estimateVisitResponsibility(database.db, { organizationId: c.organizationId, visitId: visit.id });
    expect(result).toMatchObject({ status: "estimated", total: 1_200, parts: [{ words: "Coinsurance 10 % of $120.00", amount: 1_200 }] });
    expect(result.status === "estimated" && result.basis.words).toMatch(/from the payer's eligibility response \(271\)\.$/);
  });
});
