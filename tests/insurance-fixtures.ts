import { randomBytes } from "node:crypto";
import type { AuditActor } from "@/lib/audit/record-audit-event";
import { saveClearinghouseSettings } from "@/lib/clearinghouse/settings";
import { upsertPayerFee } from "@/lib/insurance/fee-schedule";
import type { Db } from "@/lib/db/client";
import { testSubmitterId } from "./clearinghouse-files";
import { createTestOrganization, createTestPatient } from "./factories";

/*
 * Insurance rows for claims tests, written with Prisma (lib/insurance's operations are built
 * alongside): a practice profile, a rendering provider, a payer, clearinghouse settings, and
 * coverages where the patient is the subscriber or a dependent. De-identified: made-up people;
 * the NPIs and EIN are well formed (check digits), not real.
 */

export const BILLING_NPI = "1234567893";
export const RENDERING_NPI = "1245319599";

export async function createTestPracticeProfile(db: Db, options: { organizationId: string; npi?: string }) {
  return db.practiceProfile.create({
    data: {
      organizationId: options.organizationId,
      legalName: "EXAMPLE FAMILY CLINIC",
      npi: options.npi ?? BILLING_NPI,
      ein: "123456789",
      taxonomyCode: "207Q00000X",
      addressLine1: "100 Main Street",
      addressLine2: "Suite 2",
      city: "Portland",
      state: "OR",
      postalCode: "972011234",
      contactName: "BILLING OFFICE",
      contactPhone: "5035550142",
      defaultPlaceOfService: "11",
      providerSignatureOnFile: true,
    },
  });
}

export async function createTestRenderingProvider(db: Db, options: { organizationId: string; npi?: string; lastName?: string }) {
  return db.renderingProvider.create({
    data: {
      organizationId: options.organizationId,
      firstName: "ANA",
      lastName: options.lastName ?? "RIVERA",
      npi: options.npi ?? RENDERING_NPI,
      taxonomyCode: "207Q00000X",
    },
  });
}

export async function createTestPayer(db: Db, options: { organizationId: string; name?: string; payerId?: string }) {
  return db.payer.create({
    data: {
      organizationId: options.organizationId,
      name: options.name ?? "EXAMPLE HEALTH PLAN",
      payerId: options.payerId ?? `EXHP${randomBytes(2).toString("hex").toUpperCase()}`,
      claimFilingIndicator: "CI",
    },
  });
}

/** The clinic's own submitter id (testSubmitterId) at the receiver CLEARINGHOUSE. */
export async function createTestClearinghouseSettings(db: Db, options: { organizationId: string; connection?: "manual" | "sftp" }) {
  return db.clearinghouseSettings.create({
    data: {
      organizationId: options.organizationId,
      connection: options.connection ?? "manual",
      submitterId: testSubmitterId(options.organizationId),
      submitterName: "EXAMPLE FAMILY CLINIC",
      receiverId: "CLEARINGHOUSE",
      receiverName: "EXAMPLE CLEARINGHOUSE",
      usageIndicator: "T",
    },
  });
}

/** A patient with what a claim needs: birth date, sex, release of information, a street address. */
export async function createTestInsuredPatient(
  db: Db,
  options: { organizationId: string; firstName?: string; lastName?: string; dateOfBirth?: string | null },
) {
  const patient = await createTestPatient(db, {
    organizationId: options.organizationId,
    firstName: options.firstName ?? "JANE",
    lastName: options.lastName ?? "DOE",
  });
  return db.patient.update({
    where: { id: patient.id },
    data: {
      dateOfBirth: options.dateOfBirth === null ? null : new Date(`${options.dateOfBirth ?? "1980-04-12"}T00:00:00Z`),
      sex: "F",
      releaseOfInformation: "Y",
      addressLine1: "12 Example Street",
      city: "Portland",
      region: "OR",
      postalCode: "97201",
    },
  });
}

type CoverageOptions = { organizationId: string; patientId: string; payerId: string; priority?: number; effectiveFrom?: string; effectiveTo?: string | null };

/** The patient is the subscriber (relationship 18). */
export async function createTestSelfCoverage(db: Db, options: CoverageOptions) {
  return db.coverage.create({
    data: {
      organizationId: options.organizationId,
      patientId: options.patientId,
      payerId: options.payerId,
      priority: options.priority ?? 1,
      memberId: "XYZ123456789",
      groupNumber: "GRP-0042",
      relationshipCode: "18",
      effectiveFrom: new Date(`${options.effectiveFrom ?? "2026-01-01"}T00:00:00Z`),
      effectiveTo: options.effectiveTo ? new Date(`${options.effectiveTo}T00:00:00Z`) : null,
      acceptsAssignment: "A",
      benefitsAssigned: "Y",
    },
  });
}

/** The patient is the subscriber's child (relationship 19). */
export async function createTestDependentCoverage(db: Db, options: CoverageOptions & { subscriberBirthDate?: string | null }) {
  return db.coverage.create({
    data: {
      organizationId: options.organizationId,
      patientId: options.patientId,
      payerId: options.payerId,
      priority: options.priority ?? 1,
      memberId: "XYZ987654321",
      groupName: "EXAMPLE EMPLOYER",
      relationshipCode: "19",
      subscriberFirstName: "JOHN",
      subscriberLastName: "DOE",
      subscriberBirthDate: options.subscriberBirthDate === null ? null : new Date(`${options.subscriberBirthDate ?? "1978-02-03"}T00:00:00Z`),
      subscriberSex: "M",
      subscriberAddressLine1: "12 Example Street",
      subscriberCity: "Portland",
      subscriberState: "OR",
      subscriberPostalCode: "97201",
      effectiveFrom: new Date(`${options.effectiveFrom ?? "2026-01-01"}T00:00:00Z`),
      effectiveTo: options.effectiveTo ? new Date(`${options.effectiveTo}T00:00:00Z`) : null,
      acceptsAssignment: "A",
      benefitsAssigned: "Y",
    },
  });
}

/**
 * A clinic ready to bill: practice profile, clearinghouse settings, a rendering provider, a payer and
 * an insured patient (the subscriber) with a primary coverage from 2026-01-01.
 */
export async function createTestBillingSetup(db: Db, options: { organizationId: string }) {
  const { organizationId } = options;
  await createTestPracticeProfile(db, { organizationId });
  await createTestClearinghouseSettings(db, { organizationId });
  const provider = await createTestRenderingProvider(db, { organizationId });
  const payer = await createTestPayer(db, { organizationId });
  const patient = await createTestInsuredPatient(db, { organizationId });
  const coverage = await createTestSelfCoverage(db, { organizationId, patientId: patient.id, payerId: payer.id });
  return { provider, payer, patient, coverage };
}

/**
 * A new clinic ready to bill insurance (createTestBillingSetup: practice, clearinghouse settings,
 * provider, payer, an insured patient), acting as its admin; `submitterId` is the one the
 * clearinghouse's answers (999, 277CA, 835) must be addressed to.
 */
export async function createTestBillingClinic(db: Db) {
  const org = await createTestOrganization(db);
  const setup = await createTestBillingSetup(db, { organizationId: org.organizationId });
  return { ...org, ...setup, actor: org.adminActor, submitterId: testSubmitterId(org.organizationId) };
}
export type TestBillingClinic = Awaited<ReturnType<typeof createTestBillingClinic>>;

/**
 * Switches a clinic of createTestBillingClinic to SFTP with a clearinghouse emulator on loopback at
 * `port` (receiver CLEARINGHOUSE, its submitter id as SFTP user, /inbox and /outbox), through the
 * real settings operation. `privateKey`: the key the emulator knows for that user, or a stranger's.
 */
export async function connectTestClinicOverSftp(
  db: Db,
  options: { organizationId: string; actor: AuditActor; port: number; privateKey: string; submitterName?: string },
) {
  const submitterId = testSubmitterId(options.organizationId);
  return saveClearinghouseSettings(db, {
    organizationId: options.organizationId,
    actor: options.actor,
    input: {
      connection: "sftp",
      submitterId,
      submitterName: options.submitterName ?? "EXAMPLE FAMILY CLINIC",
      receiverId: "CLEARINGHOUSE",
      receiverName: "EXAMPLE CLEARINGHOUSE",
      usageIndicator: "T",
      sftpHost: "127.0.0.1",
      sftpPort: options.port,
      sftpUsername: submitterId,
      sftpPrivateKey: options.privateKey,
      sftpUploadPath: "/inbox",
      sftpDownloadPath: "/outbox",
    },
  });
}

/** A payer's fee schedule through the real operation: each entry [procedure code, modifier ('' for any), amount in dollars as typed]. */
export async function addTestPayerFees(
  db: Db,
  options: { organizationId: string; actor: AuditActor; payerId: string; fees: readonly (readonly [string, string, string])[] },
) {
  for (const [procedureCode, modifier, allowedAmount] of options.fees) {
    await upsertPayerFee(db, {
      organizationId: options.organizationId,
      actor: options.actor,
      payerId: options.payerId,
      input: { procedureCode, modifier, allowedAmount },
    });
  }
}

/** A stored 277CA for acknowledgments to point at (markClaimAccepted/markClaimRejected need a file id); its content is not read. */
export async function createTest277File(db: Db, options: { organizationId: string }) {
  return db.clearinghouseFile.create({
    data: {
      organizationId: options.organizationId,
      kind: "277CA",
      source: "upload",
      fileName: "ack.277",
      content: "…",
      sha256: "c".repeat(64),
      senderId: "CLEARINGHOUSE",
      interchangeControlNumber: "000000001",
      importedBy: "test",
    },
  });
}
