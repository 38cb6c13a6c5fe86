/**
 * How long an 835 of N claim payments (MEASURE_N, default 100) takes to import and post, claim
 * payment by claim payment (lib/remittances/post-remittance.ts): a measurement, not a test. Above
 * INLINE_POSTING_LIMIT the import only stores it (the upload's wait) and the background job's work
 * (postQueuedRemittance) is timed apart.
 *   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test MEASURE_N=100 npx vitest run --config bench/vitest.measure.config.ts
 */
import { it } from "vitest";
import { importClearinghouseFile } from "@/lib/clearinghouse/import-file";
import { createClaimFromVisit } from "@/lib/claims/create-claim";
import { createClaimBatch } from "@/lib/claims/submit-claims";
import { validateClaim } from "@/lib/claims/validate-claim";
import { recordVisit } from "@/lib/claims/visits";
import { addDays, todayIn } from "@/lib/invoices/dates";
import { BILLING_NPI, createTestBillingClinic } from "@/tests/insurance-fixtures";
import { postQueuedRemittance } from "@/lib/remittances/post-queued-remittance";
import { build835, type Test835Claim } from "@/tests/remittance-files";
import { setupTestDatabase } from "@/tests/test-database";

const database = setupTestDatabase();
const N = Number(process.env.MEASURE_N ?? 100);
it("measure", async () => {
  const c = await createTestBillingClinic(database.db);
  const day = addDays(todayIn("America/New_York"), -3);
  const ids: string[] = [];
  const numbers: string[] = [];
  for (let i = 0; i < N; i++) {
    const visit = await recordVisit(database.db, {
      organizationId: c.organizationId,
      actor: c.actor,
      patientId: c.patient.id,
      input: {
        serviceDate: day,
        renderingProviderId: c.provider.id,
        diagnoses: ["J06.9"],
        charges: [{ procedureCode: "99213", description: "Office visit", units: 1, chargeAmount: 15_000, diagnosisPointers: [1] }],
      },
    });
    const claim = await createClaimFromVisit(database.db, { organizationId: c.organizationId, actor: c.actor, visitId: visit.id });
    await validateClaim(database.db, { organizationId: c.organizationId, actor: c.actor, claimId: claim.id });
    ids.push(claim.id);
    numbers.push(claim.displayNumber);
  }
  await createClaimBatch(database.db, { organizationId: c.organizationId, actor: c.actor, claimIds: ids, channel: "download" });
  const claims: Test835Claim[] = numbers.map((number) => ({
    number,
    charge: 15_000,
    paid: 6_000,
    patient: 3_000,
    lines: [
      {
        code: "99213",
        charge: 15_000,
        paid: 6_000,
        date: day,
        adjustments: [
          { group: "CO", reason: "45", amount: 6_000 },
          { group: "PR", reason: "1", amount: 2_000 },
          { group: "PR", reason: "2", amount: 1_000 },
        ],
      },
    ],
  }));
  const content = build835({
    submitterId: c.submitterId,
    interchangeControlNumber: 9001,
    payerId: c.payer.payerId,
    trace: "EFTBENCH",
    payeeNpi: BILLING_NPI,
    claims,
  });
  const start = performance.now();
  const result = await importClearinghouseFile(database.db, {
    organizationId: c.organizationId,
    actor: c.actor,
    fileName: "bench.835",
    content,
    source: "upload",
    requestPosting: async () => undefined,
  });
  const ms = performance.now() - start;
  const jobStart = performance.now();
  for (const { remittanceId } of result.postingInBackground) {
    await postQueuedRemittance(database.db, { organizationId: c.organizationId, remittanceId, actor: c.actor });
  }
  const jobMs = performance.now() - jobStart;
  const posted = await database.db.remittanceClaim.count({ where: { organizationId: c.organizationId, status: "posted" } });
  console.log(
    `MEASURE ${N} claim payments: import ${ms.toFixed(0)} ms${result.postingInBackground.length > 0 ? ` (stored only), then the job ${jobMs.toFixed(0)} ms` : " (posted inline)"}; ` +
      `${((ms + jobMs) / N).toFixed(1)} ms per claim payment in all; posted ${posted}`,
  );
}, 600_000);
