import type { AuditActor } from "@/lib/audit/record-audit-event";
import { createClaimFromVisit } from "@/lib/claims/create-claim";
import { createClaimBatch } from "@/lib/claims/submit-claims";
import { validateClaim } from "@/lib/claims/validate-claim";
import { recordVisit, type TVisitInput } from "@/lib/claims/visits";
import { pollClearinghouse } from "@/lib/clearinghouse/poll-clearinghouse";
import type { Db } from "@/lib/db/client";
import { saveCoverageBenefits } from "@/lib/insurance/coverage-benefits";
import { createCoverage, type TCoverageInput } from "@/lib/insurance/coverages";
import { createPayer } from "@/lib/insurance/payers";
import { savePracticeProfile } from "@/lib/insurance/practice-profile";
import { createRenderingProvider } from "@/lib/insurance/rendering-providers";
import { addDays, todayIn } from "@/lib/invoices/dates";
import { updatePatient } from "@/lib/patients/update-patient";
import { connectDemoClinicToEmulator } from "@/platform/runtime/clearinghouse-emulator-process";

/** The clearinghouse emulator, when it runs while the demo is seeded (npm start in demo mode). */
export type DemoClearinghouse = { port: number; hostKeySha256: string; privateKey: string };

export type DemoInsuranceSummary = {
  payers: number;
  coverages: number;
  visits: number;
  /** How many claims the seed left in each state. */
  claims: Record<string, number>;
};

/** How long the seed waits for the emulator's 999 and 277CA before leaving the claims submitted (the poll job fetches them later). */
const ANSWER_TIMEOUT_MS = 30_000;

/**
 * The clinic's insurance billing, all through the domain operations the pages call: its practice
 * identity (valid NPI, EIN, taxonomy, ZIP+4 billing address), two rendering providers, three
 * payers with the clearinghouse emulator's payer ids, coverages for five patients (one a spouse
 * covered on her husband's plan, one with benefits taken down from a phone call), visits with
 * charges and diagnoses, and claims in several states: one draft whose validation names what is
 * missing, one ready, one visit whose charges wait for a claim, and two claims submitted in one
 * 837P. With the emulator (`clearinghouse`), the demo clinic is pointed at it, the file goes over
 * SFTP and its 999 and 277CA are fetched, so those claims are accepted; without it the clinic has
 * no clearinghouse settings and the two claims stay ready.
 */
export async function seedDemoInsurance(
  db: Db,
  options: { organizationId: string; staff: { billing: AuditActor; admin: AuditActor }; clearinghouse?: DemoClearinghouse; now?: Date },
): Promise<DemoInsuranceSummary> {
  const { organizationId, staff } = options;
  const now = options.now ?? new Date();
  const organization = await db.organization.findUniqueOrThrow({ where: { id: organizationId }, select: { timezone: true } });
  const today = todayIn(organization.timezone, now);
  const year = today.slice(0, 4);

  await savePracticeProfile(db, {
    organizationId,
    actor: staff.admin,
    input: {
      legalName: "Sunrise Family Clinic PC",
      npi: "1234567893",
      ein: "93-1234567",
      taxonomyCode: "261QP2300X",
      address: { line1: "1200 Sunrise Avenue", line2: "Suite 300", city: "Portland", state: "OR", postalCode: "97205-1234" },
      contactName: "Blair Billing",
      contactPhone: "(503) 555-0142",
      defaultPlaceOfService: "11",
      providerSignatureOnFile: true,
    },
  });
  const park = await createRenderingProvider(db, {
    organizationId,
    actor: staff.admin,
    input: { firstName: "Elena", lastName: "Park", npi: "1482017369", taxonomyCode: "207Q00000X" },
  });
  const reed = await createRenderingProvider(db, {
    organizationId,
    actor: staff.admin,
    input: { firstName: "Marcus", lastName: "Reed", npi: "1663029183", taxonomyCode: "363LF0000X" },
  });

  // The payer ids the clearinghouse emulator knows (clearinghouse-emulator/config.json).
  const aetna = await createPayer(db, {
    organizationId,
    actor: staff.admin,
    input: {
      name: "Aetna",
      payerId: "60054",
      claimFilingIndicator: "CI",
      address: { line1: "PO Box 981106", city: "El Paso", state: "TX", postalCode: "79998-1106" },
    },
  });
  const united = await createPayer(db, {
    organizationId,
    actor: staff.admin,
    input: {
      name: "UnitedHealthcare",
      payerId: "87726",
      claimFilingIndicator: "CI",
      address: { line1: "PO Box 30555", city: "Salt Lake City", state: "UT", postalCode: "84130-0555" },
    },
  });
  const blueCross = await createPayer(db, {
    organizationId,
    actor: staff.admin,
    input: { name: "Blue Cross Blue Shield", payerId: "00590", claimFilingIndicator: "BL" },
  });

  // The first five patients (demo-activity.ts creates them in PATIENT_NAMES order, their MRNs increasing).
  const patients = await db.patient.findMany({ where: { organizationId }, orderBy: { externalId: "asc" }, take: 5, select: { id: true } });
  if (patients.length < 5) throw new Error("the demo's insurance needs the demo's patients: seed the activity first");
  const [maria, james, aisha, wei, daniel] = patients.map((patient) => patient.id) as [string, string, string, string, string];
  const street = (line1: string, postalCode: string) => ({ addressLine1: line1, city: "Portland", region: "OR", postalCode, country: "US" });
  // What the front desk records for insured patients; Wei's signed release of information was never scanned in (his claim's problem).
  await updatePatient(db, {
    organizationId,
    actor: staff.billing,
    patientId: maria,
    input: { ...street("418 NE Halsey Street", "97232"), sex: "F", releaseOfInformation: "Y" },
  });
  await updatePatient(db, {
    organizationId,
    actor: staff.billing,
    patientId: james,
    input: { ...street("2250 SE Clinton Street", "97202"), sex: "M", releaseOfInformation: "Y" },
  });
  await updatePatient(db, {
    organizationId,
    actor: staff.billing,
    patientId: aisha,
    input: { ...street("735 N Skidmore Street", "97217"), sex: "F", releaseOfInformation: "Y" },
  });
  await updatePatient(db, { organizationId, actor: staff.billing, patientId: wei, input: { ...street("1610 SW Jefferson Street", "97201"), sex: "M" } });
  await updatePatient(db, {
    organizationId,
    actor: staff.billing,
    patientId: daniel,
    input: { ...street("5120 N Williams Avenue", "97217"), sex: "M", releaseOfInformation: "I" },
  });

  const cover = (patientId: string, input: TCoverageInput) => createCoverage(db, { organizationId, actor: staff.billing, patientId, input });
  const planYear = `${year}-01-01`;
  const mariaCoverage = await cover(maria, {
    payerId: aetna.id,
    priority: 1,
    memberId: "W284917305",
    groupNumber: "0861342",
    groupName: "Pacific Timber Co",
    effectiveFrom: planYear,
  });
  await cover(james, { payerId: united.id, priority: 1, memberId: "918273645", groupNumber: "705214", effectiveFrom: planYear });
  // Aisha is covered on her husband's plan: he is the subscriber.
  await cover(aisha, {
    payerId: blueCross.id,
    priority: 1,
    memberId: "XOR482910337",
    groupNumber: "B41827",
    groupName: "Rose City Schools",
    relationshipCode: "01",
    subscriber: {
      firstName: "Omar",
      lastName: "Rahman",
      birthDate: "1979-06-14",
      sex: "M",
      address: { line1: "735 N Skidmore Street", city: "Portland", state: "OR", postalCode: "97217" },
    },
    effectiveFrom: planYear,
  });
  await cover(wei, { payerId: aetna.id, priority: 1, memberId: "W551203948", groupNumber: "0861342", effectiveFrom: planYear });
  await cover(daniel, { payerId: united.id, priority: 1, memberId: "940172856", groupNumber: "705214", effectiveFrom: planYear });
  // Maria's benefits, taken down from a call to Aetna.
  await saveCoverageBenefits(db, {
    organizationId,
    actor: staff.billing,
    coverageId: mariaCoverage.id,
    source: "manual",
    verifiedAt: new Date(now.getTime() - 3 * 86_400_000),
    input: {
      copays: [
        { visitType: "office", amount: 2500 },
        { visitType: "specialist", amount: 5000 },
      ],
      coinsuranceBasisPoints: 2000,
      deductibleIndividual: 50_000,
      // As the emulated payer has it (clearinghouse-emulator/config.json "members"): most of the deductible met.
      deductibleIndividualMet: 45_000,
      outOfPocketMaxIndividual: 400_000,
      outOfPocketMaxIndividualMet: 60_000,
    },
  });

  const visit = (patientId: string, daysAgo: number, input: Omit<TVisitInput, "serviceDate">) =>
    recordVisit(db, { organizationId, actor: staff.billing, patientId, now, input: { serviceDate: addDays(today, -daysAgo), ...input } });
  const mariaVisit = await visit(maria, 6, {
    placeOfService: "11",
    renderingProviderId: park.id,
    diagnoses: ["E11.9", "I10"],
    charges: [
      { procedureCode: "99214", units: 1, chargeAmount: 19_500, diagnosisPointers: [1, 2], description: "Office visit, established patient (moderate)" },
      { procedureCode: "83036", units: 1, chargeAmount: 3_500, diagnosisPointers: [1], description: "Hemoglobin A1c" },
      { procedureCode: "36415", units: 1, chargeAmount: 1_500, diagnosisPointers: [1], description: "Blood draw (venipuncture)" },
    ],
  });
  const aishaVisit = await visit(aisha, 5, {
    renderingProviderId: reed.id,
    diagnoses: ["J02.9"],
    charges: [
      { procedureCode: "99213", units: 1, chargeAmount: 13_500, diagnosisPointers: [1], description: "Office visit, established patient (low)" },
      { procedureCode: "87880", units: 1, chargeAmount: 3_000, diagnosisPointers: [1], description: "Rapid strep test" },
    ],
  });
  const weiVisit = await visit(wei, 4, {
    renderingProviderId: park.id,
    diagnoses: ["E78.5", "Z23"],
    charges: [
      { procedureCode: "99213", units: 1, chargeAmount: 13_500, diagnosisPointers: [1] },
      { procedureCode: "90686", units: 1, chargeAmount: 4_500, diagnosisPointers: [2] },
      { procedureCode: "90471", units: 1, chargeAmount: 2_500, diagnosisPointers: [2] },
    ],
  });
  const danielVisit = await visit(daniel, 3, {
    renderingProviderId: reed.id,
    diagnoses: ["M54.50"],
    charges: [{ procedureCode: "99213", units: 1, chargeAmount: 13_500, diagnosisPointers: [1] }],
  });
  // James's check-up waits in "Charges pending a claim".
  await visit(james, 1, {
    renderingProviderId: park.id,
    diagnoses: ["Z00.00", "E78.5"],
    charges: [
      { procedureCode: "99396", units: 1, chargeAmount: 24_000, diagnosisPointers: [1] },
      { procedureCode: "80061", units: 1, chargeAmount: 3_800, diagnosisPointers: [2] },
    ],
  });

  const claimFor = (visitId: string) => createClaimFromVisit(db, { organizationId, actor: staff.billing, visitId, now });
  const validate = (claimId: string) => validateClaim(db, { organizationId, actor: staff.billing, claimId, now });
  const mariaClaim = await claimFor(mariaVisit.id);
  const aishaClaim = await claimFor(aishaVisit.id);
  const weiClaim = await claimFor(weiVisit.id);
  const danielClaim = await claimFor(danielVisit.id);
  for (const claim of [mariaClaim, aishaClaim, danielClaim]) {
    const { problems } = await validate(claim.id);
    if (problems.length > 0) throw new Error(`a demo claim did not validate: ${problems.map((problem) => problem.message).join(" ")}`);
  }
  // Stays a draft: no release of information on file for Wei (the claim page says so, in words).
  await validate(weiClaim.id);

  if (options.clearinghouse) {
    await connectDemoClinicToEmulator(db, options.clearinghouse);
    const submitted = [mariaClaim.id, aishaClaim.id];
    await createClaimBatch(db, { organizationId, actor: staff.billing, claimIds: submitted, channel: "sftp", now });
    // The emulator answers a 999 and a 277CA at once: exchange files until both claims are answered (or leave them to the poll job).
    const deadline = Date.now() + ANSWER_TIMEOUT_MS;
    for (;;) {
      await pollClearinghouse(db, { organizationId });
      const waiting = await db.claim.count({ where: { organizationId, id: { in: submitted }, status: "submitted" } });
      if (waiting === 0 || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  const byStatus = await db.claim.groupBy({ by: ["status"], where: { organizationId }, _count: { _all: true } });
  return {
    payers: 3,
    coverages: 5,
    visits: 5,
    claims: Object.fromEntries(byStatus.map((row) => [row.status, row._count._all])),
  };
}
