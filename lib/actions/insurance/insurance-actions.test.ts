import { beforeEach, describe, expect, it, vi } from "vitest";
import { getPracticeProfile } from "@/lib/insurance/practice-profile";
import { listCoverageRevisions, listPatientCoverages } from "@/lib/insurance/coverages";
import { addTestMember, createTestOrganization, createTestPatient } from "@/tests/factories";
import { actionSessions } from "@/tests/action-sessions";
import { setupTestDatabase } from "@/tests/test-database";

/**
 * The insurance screens' server actions through the real session check (lib/auth/session.ts → the
 * membership's role in the database); only next-auth's cookie reading, Next's request scope and its
 * forbidden()/redirect()/notFound() interrupts are stood in for. Admins change the practice, payers
 * and clearinghouse; billing staff change coverages and import files; viewers read.
 */
const claims = vi.hoisted(() => ({ current: null as { userId: string; sessionId: string } | null }));
vi.mock("next-auth", () => ({ getServerSession: async () => claims.current }));
vi.mock("next/headers", () => ({ headers: async () => new Headers({ "x-request-id": "insurance-actions-test" }) }));
vi.mock("next/server", async (importOriginal) => ({ ...(await importOriginal<typeof import("next/server")>()), connection: async () => undefined }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));
vi.mock("next/navigation", () => ({
  forbidden: () => {
    throw new Error("403 forbidden page");
  },
  notFound: () => {
    throw new Error("404 not found page");
  },
  redirect: (url: string) => {
    throw new Error(`redirect to ${url}`);
  },
}));
vi.mock("@/lib/db/client", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/db/client")>()),
  getDb: async () => database.db,
}));

const { savePracticeProfileAction, createRenderingProviderAction } = await import("./practice-actions");
const { createPayerAction, updatePayerAction, archivePayerAction } = await import("./payer-actions");
const { createCoverageAction, updateCoverageAction, saveCoverageBenefitsAction, requestEligibilityCheckAction } = await import("./coverage-actions");
const { saveClearinghouseSettingsAction, importClearinghouseFileAction } = await import("../clearinghouse/clearinghouse-actions");
const { default: PracticeSettingsPage } = await import("@/app/(staff)/app/settings/practice/page");
const { default: PayersSettingsPage } = await import("@/app/(staff)/app/settings/payers/page");
const { default: ClearinghouseSettingsPage } = await import("@/app/(staff)/app/settings/clearinghouse/page");
const { default: CoverageHistoryPage } = await import("@/app/(staff)/app/patients/[id]/coverages/[coverageId]/page");

const database = setupTestDatabase();

const { signInAs, clinicWith } = actionSessions(database, claims);

const PRACTICE = {
  legalName: "Evergreen Family Practice",
  npi: "1234567893",
  ein: "12-3456789",
  taxonomyCode: "207Q00000X",
  address: { line1: "100 Main Street", line2: "", city: "Portland", state: "OR", postalCode: "97201-1234" },
  contactName: "",
  contactPhone: "",
  defaultPlaceOfService: "11",
  providerSignatureOnFile: true,
};

const fieldsOf = (result: { ok: boolean; error?: { fields?: Record<string, string[]> } }) => (result.ok ? {} : (result.error?.fields ?? {}));

beforeEach(() => {
  claims.current = null;
});

describe("practice settings", () => {
  it("an admin's invalid NPI is refused under the NPI field with nothing saved; the valid practice is saved and audited", async () => {
    const org = await clinicWith("admin");
    const refused = await savePracticeProfileAction({ ...PRACTICE, npi: "1234567890", address: { ...PRACTICE.address, postalCode: "97201" } });
    expect(refused.ok).toBe(false);
    expect(fieldsOf(refused)).toEqual({
      npi: ["This NPI's check digit is wrong: look for a mistyped digit."],
      "address.postalCode": [expect.stringContaining("ZIP+4")],
    });
    expect(await getPracticeProfile(database.db, { organizationId: org.organizationId })).toBeNull();

    expect(await savePracticeProfileAction(PRACTICE)).toEqual({ ok: true, data: { saved: true } });
    expect(await getPracticeProfile(database.db, { organizationId: org.organizationId })).toMatchObject({
      npi: "1234567893",
      ein: "123456789",
      address: { postalCode: "972011234", line2: null },
      contactName: null,
    });
    expect(await createRenderingProviderAction({ firstName: "Rosa", lastName: "Reyes", npi: "1234567893", taxonomyCode: "" })).toMatchObject({ ok: true });
    await expect(PracticeSettingsPage()).resolves.toBeTruthy();
  });

  for (const role of ["billing", "viewer"] as const) {
    it(`a ${role} reads the insurance settings pages but cannot change the practice, payers or clearinghouse`, async () => {
      const org = await clinicWith(role);
      expect(await savePracticeProfileAction(PRACTICE)).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
      expect(await createPayerAction({ name: "Aetna", payerId: "60054", claimFilingIndicator: "CI" })).toMatchObject({
        ok: false,
        error: { code: "FORBIDDEN" },
      });
      expect(
        await saveClearinghouseSettingsAction({ connection: "manual", submitterId: "CB1", submitterName: "Clinic", receiverId: "CH1", receiverName: "CH" }),
      ).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
      expect(await database.db.payer.count({ where: { organizationId: org.organizationId } })).toBe(0);
      await expect(PracticeSettingsPage()).resolves.toBeTruthy();
      await expect(PayersSettingsPage()).resolves.toBeTruthy();
      await expect(ClearinghouseSettingsPage()).resolves.toBeTruthy();
    });
  }
});

describe("payers", () => {
  it("the flat update action names the form's field for a payer id taken, archives, and answers NOT_FOUND for another clinic's payer", async () => {
    const other = await createTestOrganization(database.db);
    const otherPayer = await database.db.payer.create({
      data: { organizationId: other.organizationId, name: "Other", payerId: "OTHER1", claimFilingIndicator: "CI" },
    });
    await clinicWith("admin");
    const aetna = await createPayerAction({ name: "Aetna", payerId: "60054", claimFilingIndicator: "CI" });
    const cigna = await createPayerAction({ name: "Cigna", payerId: "62308", claimFilingIndicator: "CI", address: null });
    if (!aetna.ok || !cigna.ok) throw new Error("payers not created");
    const taken = await updatePayerAction({ id: cigna.data.id, name: "Cigna", payerId: "60054", claimFilingIndicator: "CI" });
    expect(fieldsOf(taken)).toEqual({ payerId: ["Another payer of this clinic already has this payer id."] });
    expect(await updatePayerAction({ id: otherPayer.id, name: "Mine now", payerId: "MINE1", claimFilingIndicator: "CI" })).toMatchObject({
      ok: false,
      error: { code: "NOT_FOUND" },
    });
    expect(await archivePayerAction({ id: aetna.data.id })).toEqual({ ok: true, data: { id: aetna.data.id } });
    expect(await database.db.payer.findUniqueOrThrow({ where: { id: otherPayer.id } })).toMatchObject({ name: "Other", archivedAt: null });
  });
});

describe("coverages", () => {
  async function billingClinicWithPayer() {
    const org = await clinicWith("billing");
    const payer = await database.db.payer.create({ data: { organizationId: org.organizationId, name: "Aetna", payerId: "60054", claimFilingIndicator: "CI" } });
    const patient = await createTestPatient(database.db, { organizationId: org.organizationId });
    return { org, payer, patient };
  }

  const dependent = (payerId: string) => ({
    payerId,
    priority: 1,
    memberId: "W123456789",
    groupNumber: "GRP-42",
    groupName: "",
    relationshipCode: "19" as const,
    subscriber: { firstName: "Dana", lastName: "Doe", middleName: "", birthDate: "1984-07-19", sex: "F" as const, address: null },
    effectiveFrom: "2026-01-01",
    effectiveTo: "",
    acceptsAssignment: "A" as const,
    benefitsAssigned: "Y" as const,
  });

  it("billing staff add a coverage with a dependent subscriber; a missing birth date and an overlapping primary are named by field", async () => {
    const { org, payer, patient } = await billingClinicWithPayer();
    const noBirthDate = await createCoverageAction({
      ...dependent(payer.id),
      patientId: patient.id,
      subscriber: { ...dependent(payer.id).subscriber, birthDate: "" },
    });
    expect(Object.keys(fieldsOf(noBirthDate))).toEqual(["subscriber.birthDate"]);

    const created = await createCoverageAction({ ...dependent(payer.id), patientId: patient.id });
    expect(created).toMatchObject({ ok: true });
    const overlapping = await createCoverageAction({
      ...dependent(payer.id),
      patientId: patient.id,
      memberId: "W999",
      relationshipCode: "18",
      subscriber: null,
      effectiveFrom: "2026-03-01",
    });
    expect(fieldsOf(overlapping)).toEqual({ priority: [expect.stringMatching(/^Another primary coverage \(Aetna, .*\) is in force on these dates\.$/)] });

    const coverages = await listPatientCoverages(database.db, { organizationId: org.organizationId, patientId: patient.id });
    expect(coverages).toHaveLength(1);
    expect(coverages[0]).toMatchObject({ relationshipCode: "19", subscriber: { firstName: "Dana", birthDate: "1984-07-19", sex: "F" }, groupName: null });

    // Editing ends it: a new version, and the form's blank end date would have kept it open.
    if (!created.ok) throw new Error("not created");
    expect(await updateCoverageAction({ ...dependent(payer.id), coverageId: created.data.id, effectiveTo: "2026-06-30" })).toMatchObject({ ok: true });
    const revisions = await listCoverageRevisions(database.db, { organizationId: org.organizationId, coverageId: created.data.id });
    expect(revisions.map((revision) => revision.change).sort()).toEqual(["created", "ended"]);
  });

  it("benefits entered by hand are saved as a new version; met above its maximum is named by field with nothing saved", async () => {
    const { org, payer, patient } = await billingClinicWithPayer();
    const created = await createCoverageAction({ ...dependent(payer.id), patientId: patient.id });
    if (!created.ok) throw new Error("not created");
    const coverageId = created.data.id;
    const tooMuch = await saveCoverageBenefitsAction({ coverageId, copays: [], deductibleIndividual: 150_000, deductibleIndividualMet: 160_000 });
    expect(Object.keys(fieldsOf(tooMuch))).toEqual(["deductibleIndividualMet"]);
    const saved = await saveCoverageBenefitsAction({
      coverageId,
      copays: [{ visitType: "office", amount: 2500 }],
      coinsuranceBasisPoints: 2000,
      deductibleIndividual: 150_000,
      deductibleIndividualMet: 50_000,
    });
    expect(saved).toEqual({ ok: true, data: { id: coverageId, version: 2 } });
    const [coverage] = await listPatientCoverages(database.db, { organizationId: org.organizationId, patientId: patient.id });
    expect(coverage?.benefits).toMatchObject({
      copays: [{ visitType: "office", label: "Office visit", amount: 2500 }],
      coinsuranceBasisPoints: 2000,
      deductibleIndividualMet: 50_000,
      source: "manual",
    });
    expect(coverage?.benefits.verifiedAt).not.toBeNull();
    await expect(CoverageHistoryPage({ params: Promise.resolve({ id: patient.id, coverageId }) })).resolves.toBeTruthy();
    // The history page answers only under its own patient.
    const otherPatient = await createTestPatient(database.db, { organizationId: org.organizationId });
    await expect(CoverageHistoryPage({ params: Promise.resolve({ id: otherPatient.id, coverageId }) })).rejects.toThrow("404 not found page");
  });

  it("a viewer can add no coverage; another clinic's coverage is NOT_FOUND to billing staff", async () => {
    const other = await billingClinicWithPayer();
    const created = await createCoverageAction({ ...dependent(other.payer.id), patientId: other.patient.id });
    if (!created.ok) throw new Error("not created");
    const viewerOrg = await clinicWith("viewer");
    const payer = await database.db.payer.create({
      data: { organizationId: viewerOrg.organizationId, name: "Aetna", payerId: "60054", claimFilingIndicator: "CI" },
    });
    const patient = await createTestPatient(database.db, { organizationId: viewerOrg.organizationId });
    expect(await createCoverageAction({ ...dependent(payer.id), patientId: patient.id })).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    expect(await requestEligibilityCheckAction({ coverageId: created.data.id })).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });

    await clinicWith("billing");
    expect(await saveCoverageBenefitsAction({ coverageId: created.data.id, copays: [] })).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
    expect(await requestEligibilityCheckAction({ coverageId: created.data.id })).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
  });
});

describe("clearinghouse", () => {
  it("an admin saves the settings (blank SFTP fields stored as none); billing staff import files, and a malformed one changes nothing", async () => {
    const org = await clinicWith("admin");
    const saved = await saveClearinghouseSettingsAction({
      connection: "manual",
      submitterId: "cb-demo",
      submitterName: "Evergreen Family Practice",
      receiverId: "EXAMPLECH",
      receiverName: "Example Clearinghouse",
      usageIndicator: "T",
      sftpHost: "",
      sftpPort: "",
      sftpUsername: "",
      sftpUploadPath: "",
      sftpDownloadPath: "",
    });
    expect(saved).toEqual({ ok: true, data: { saved: true } });
    expect(await database.db.clearinghouseSettings.findUniqueOrThrow({ where: { organizationId: org.organizationId } })).toMatchObject({
      submitterId: "CB-DEMO",
      sftpHost: null,
    });

    const member = await addTestMember(database.db, { organizationId: org.organizationId, role: "billing" });
    await signInAs(org.organizationId, member.userId);
    const refused = await importClearinghouseFileAction({ fileName: "reply.999", content: "not an X12 file" });
    expect(refused).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED" } });
    expect(Object.keys(fieldsOf(refused))).toHaveLength(1);
    expect(await database.db.clearinghouseFile.count({ where: { organizationId: org.organizationId } })).toBe(0);
    await expect(ClearinghouseSettingsPage()).resolves.toBeTruthy();
  });
});
