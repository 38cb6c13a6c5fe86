/**
 * Gives a browser test's own clinic (e2e/create-clinic.ts) what insurance billing needs, through
 * the same domain operations the settings pages use (written by another part of the work in
 * parallel): a payer the clearinghouse emulator knows (Aetna, 60054), a rendering provider, the
 * clearinghouse's ids (manual connection: the 837 is downloaded, the answers uploaded) and a patient
 * with no insurance yet (the test adds the coverage on the patient's page). Prints
 * `{ patientId, patientName, payerName, payerId }` as JSON.
 *   node --import tsx e2e/seed-claims-clinic.ts <slug>           the above, without the practice profile
 *   node --import tsx e2e/seed-claims-clinic.ts <slug> practice  the practice profile (NPI, EIN, address)
 * The practice profile is a step of its own so a test can show validation naming its absence first.
 */
import nextEnv from "@next/env";
import { createDb } from "@/lib/db/client";
import { createPayer } from "@/lib/insurance/payers";
import { savePracticeProfile } from "@/lib/insurance/practice-profile";
import { createRenderingProvider } from "@/lib/insurance/rendering-providers";
import { createPatient } from "@/lib/patients/create-patient";
import { dataDirFrom, openScriptDatabase } from "@/platform/runtime/script-database";

nextEnv.loadEnvConfig(process.cwd());
process.env.LOG_LEVEL ??= "warn";

const [slug, step] = process.argv.slice(2);
if (!slug || (step !== undefined && step !== "practice")) throw new Error("usage: node --import tsx e2e/seed-claims-clinic.ts <slug> [practice]");
if (process.env.DATABASE_URL || !/[/\\]e2e-\d+$/.test(dataDirFrom(process.env))) {
  throw new Error("e2e/seed-claims-clinic.ts writes only to a browser-test database: run it with CAREBILL_DATA_DIR=.data/e2e-<port> and no DATABASE_URL");
}
const actor = { userId: null, label: "e2e", ip: null, requestId: null };
const database = await openScriptDatabase(process.env);
const db = createDb({ connectionString: database.url, poolSize: 1 });
try {
  const { id: organizationId } = await db.organization.findUniqueOrThrow({ where: { slug }, select: { id: true } });
  if (step === "practice") {
    await savePracticeProfile(db, {
      organizationId,
      actor,
      input: {
        legalName: "Lakeside Family Medicine",
        npi: "1245319599",
        ein: "93-1234567",
        taxonomyCode: "207Q00000X",
        address: { line1: "12 Lake Road", city: "Portland", state: "OR", postalCode: "972011234" },
        contactName: "Lee Admin",
        contactPhone: "503-555-0142",
        defaultPlaceOfService: "11",
      },
    });
    process.stdout.write(`${JSON.stringify({ practice: true })}\n`);
  } else {
    const payer = await createPayer(db, { organizationId, actor, input: { name: "Aetna", payerId: "60054", claimFilingIndicator: "CI" } });
    await createRenderingProvider(db, {
      organizationId,
      actor,
      input: { firstName: "Robin", lastName: "Reyes", npi: "1679576722", taxonomyCode: "207Q00000X" },
    });
    // The row as Settings → Clearinghouse saves it for a manual connection (no key: nothing to encrypt).
    // Written directly: lib/clearinghouse/settings.ts imports ssh2 by name, which a plain Node script cannot load.
    await db.clearinghouseSettings.create({
      data: {
        organizationId,
        connection: "manual",
        // ISA06 of our files and ISA08 of the answers; the emulator answers whoever submits. Each
        // clinic's own at a clearinghouse (a unique index): "E2E" and the slug's last 12 letters and
        // digits, never the demo clinic's CAREBILLDEMO.
        submitterId: `E2E${slug
          .replace(/[^A-Za-z0-9]/g, "")
          .slice(-12)
          .toUpperCase()}`,
        submitterName: "LAKESIDE CLINIC",
        receiverId: "CAREBILLCH",
        receiverName: "CAREBILL CLEARINGHOUSE EMULATOR",
        usageIndicator: "T",
      },
    });
    const patient = await createPatient(db, {
      organizationId,
      actor,
      input: {
        firstName: "Jordan",
        lastName: "Claimsworth",
        dateOfBirth: "1984-03-09",
        sex: "F",
        releaseOfInformation: "Y",
        addressLine1: "400 River Street",
        city: "Portland",
        region: "OR",
        postalCode: "97205",
        country: "US",
      },
    });
    process.stdout.write(`${JSON.stringify({ patientId: patient.id, patientName: "Jordan Claimsworth", payerName: payer.name, payerId: payer.payerId })}\n`);
  }
} finally {
  await db.$disconnect();
  await database.close();
}
