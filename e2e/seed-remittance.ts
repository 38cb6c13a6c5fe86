/**
 * For the remittance browser test: in a clinic made by e2e/create-clinic.ts and seeded by
 * e2e/seed-claims-clinic.ts (both steps), the patient's primary coverage, a visit five days ago
 * (office visit 99213-25 at 150.00, blood draw 36415 at 25.00), its claim validated and submitted
 * (837 downloaded: manual connection), and the payer's 835 for it written to `<dir>/remit.835`:
 * 99213 allowed 90.00 (CO-45 60.00), co-pay 25.00, deductible 20.00, coinsurance 9.00, paid 36.00;
 * 36415 allowed 3.00 (CO-45 22.00), coinsurance 0.60, paid 2.40. Prints
 * `{ claimId, visitId, patientId, displayNumber, serviceDate, file, claims }` as JSON. With `<claims>`
 * (default 1), that many such visits and claims (one 837 batch), all paid in the one 835: the first's
 * ids are printed.
 *   node --import tsx e2e/seed-remittance.ts <slug> <dir> [claims]
 */
import { join } from "node:path";
import { writeFileSync } from "node:fs";
import nextEnv from "@next/env";
import { createClaimFromVisit } from "@/lib/claims/create-claim";
import { createClaimBatch } from "@/lib/claims/submit-claims";
import { validateClaim } from "@/lib/claims/validate-claim";
import { recordVisit } from "@/lib/claims/visits";
import { createDb } from "@/lib/db/client";
import { createCoverage } from "@/lib/insurance/coverages";
import { addDays, todayIn } from "@/lib/invoices/dates";
import { dataDirFrom, openScriptDatabase } from "@/platform/runtime/script-database";
import { build835, usualTest835Claim } from "@/tests/remittance-files";

nextEnv.loadEnvConfig(process.cwd());
process.env.LOG_LEVEL ??= "warn";

const [slug, dir, claimsArgument = "1"] = process.argv.slice(2);
const claimCount = Number(claimsArgument);
if (!slug || !dir || !Number.isInteger(claimCount) || claimCount < 1) throw new Error("usage: node --import tsx e2e/seed-remittance.ts <slug> <dir> [claims]");
if (process.env.DATABASE_URL || !/[/\\]e2e-\d+$/.test(dataDirFrom(process.env))) {
  throw new Error("e2e/seed-remittance.ts writes only to a browser-test database: run it with CAREBILL_DATA_DIR=.data/e2e-<port> and no DATABASE_URL");
}
const actor = { userId: null, label: "e2e", ip: null, requestId: null };
const database = await openScriptDatabase(process.env);
const db = createDb({ connectionString: database.url, poolSize: 1 });
try {
  const organization = await db.organization.findUniqueOrThrow({ where: { slug }, select: { id: true, timezone: true } });
  const organizationId = organization.id;
  const patient = await db.patient.findFirstOrThrow({ where: { organizationId }, select: { id: true, firstName: true, lastName: true } });
  const payer = await db.payer.findFirstOrThrow({ where: { organizationId }, select: { id: true, payerId: true } });
  const provider = await db.renderingProvider.findFirstOrThrow({ where: { organizationId }, select: { id: true } });
  const settings = await db.clearinghouseSettings.findUniqueOrThrow({ where: { organizationId }, select: { submitterId: true } });
  const practice = await db.practiceProfile.findUniqueOrThrow({ where: { organizationId }, select: { npi: true } });
  const today = todayIn(organization.timezone);
  const serviceDate = addDays(today, -5);
  await createCoverage(db, {
    organizationId,
    actor,
    patientId: patient.id,
    input: { payerId: payer.id, priority: 1, memberId: "W123456789", groupNumber: "GRP1001", effectiveFrom: `${today.slice(0, 4)}-01-01` },
  });
  const claims = [];
  for (let index = 0; index < claimCount; index++) {
    const visit = await recordVisit(db, {
      organizationId,
      actor,
      patientId: patient.id,
      input: {
        serviceDate,
        renderingProviderId: provider.id,
        diagnoses: ["J06.9"],
        charges: [
          { procedureCode: "99213", modifiers: ["25"], description: "Office visit", units: 1, chargeAmount: 15_000, diagnosisPointers: [1] },
          { procedureCode: "36415", description: "Blood draw", units: 1, chargeAmount: 2_500, diagnosisPointers: [1] },
        ],
      },
    });
    const claim = await createClaimFromVisit(db, { organizationId, actor, visitId: visit.id });
    const { problems } = await validateClaim(db, { organizationId, actor, claimId: claim.id });
    if (problems.length > 0) throw new Error(`the claim did not validate: ${problems.map((problem) => problem.message).join(" ")}`);
    claims.push(claim);
  }
  await createClaimBatch(db, { organizationId, actor, claimIds: claims.map((claim) => claim.id), channel: "download" });
  const claim = claims[0]!;

  const file = join(dir, "remit.835");
  writeFileSync(
    file,
    build835({
      submitterId: settings.submitterId,
      // From the clock, like e2e/clearinghouse-answer.ts: a clinic's files never repeat one.
      interchangeControlNumber: (Math.floor(Date.now() / 1000) % 900_000_000) + 7,
      payerName: "AETNA",
      payerId: payer.payerId,
      trace: `EFT${Date.now()}`,
      payeeNpi: practice.npi!,
      // The payer names the claim's patient (a name that is clearly another's leaves the payment unmatched).
      claims: claims.map((each) => ({
        ...usualTest835Claim(each.displayNumber, serviceDate),
        patientName: { lastName: patient.lastName.toUpperCase(), firstName: patient.firstName.toUpperCase(), memberId: "W123456789" },
      })),
    }),
  );
  process.stdout.write(
    `${JSON.stringify({ claimId: claim.id, visitId: claim.visitId, patientId: patient.id, displayNumber: claim.displayNumber, serviceDate, file, claims: claims.length })}
`,
  );
} finally {
  await db.$disconnect();
  await database.close();
}
