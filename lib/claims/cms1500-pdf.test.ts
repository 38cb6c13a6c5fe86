import { describe, expect, it } from "vitest";
import { addDays, todayIn } from "@/lib/invoices/dates";
import { extractPdfText } from "@/lib/pdf/extract-pdf-text";
import { createTestOrganization } from "@/tests/factories";
import {
  createTest277File,
  createTestDependentCoverage,
  createTestInsuredPatient,
  createTestPayer,
  createTestRenderingProvider,
  createTestSelfCoverage,
  createTestBillingClinic,
} from "@/tests/insurance-fixtures";
import { setupTestDatabase } from "@/tests/test-database";
import { loadCms1500Data } from "./cms1500-data";
import { renderCms1500Pdf } from "./cms1500-pdf";
import { createClaimFromVisit } from "./create-claim";
import { createCorrectedClaim } from "./correct-claim";
import { markClaimAccepted } from "./acknowledgments";
import { createClaimBatch } from "./submit-claims";
import { validateClaim } from "./validate-claim";
import { recordVisit } from "./visits";
import { viewCms1500Pdf } from "./view-cms1500-pdf";

const database = setupTestDatabase();
const serviceDate = () => addDays(todayIn("America/New_York"), -3);

const pagesOf = (text: string) => text.split("\f").filter((page) => page.trim() !== "");

const clinic = () => createTestBillingClinic(database.db);

describe("CMS-1500 PDF", () => {
  it("renders a claim's boxes 1–33 with the claim's values, six lines per form, the total on the last form", async () => {
    const c = await clinic();
    // A secondary coverage in force: boxes 9, 9a, 9d and 11d say so.
    const secondPayer = await createTestPayer(database.db, { organizationId: c.organizationId, name: "SECOND PLAN" });
    await createTestSelfCoverage(database.db, { organizationId: c.organizationId, patientId: c.patient.id, payerId: secondPayer.id, priority: 2 });
    const charges = Array.from({ length: 8 }, (_, index) => ({
      procedureCode: index === 0 ? "99214" : "97110",
      modifiers: index === 0 ? ["25"] : index === 1 ? ["59", "GP"] : [],
      units: index === 1 ? 2 : 1,
      chargeAmount: index === 0 ? 18_000 : 4_000,
      diagnosisPointers: index === 1 ? [2, 1] : [1],
    }));
    const visit = await recordVisit(database.db, {
      organizationId: c.organizationId,
      actor: c.actor,
      patientId: c.patient.id,
      input: { serviceDate: serviceDate(), diagnoses: ["J06.9", "M54.50", "E11.9"], renderingProviderId: c.provider.id, charges },
    });
    const claim = await createClaimFromVisit(database.db, { organizationId: c.organizationId, actor: c.actor, visitId: visit.id });

    const { filename, pdf } = await viewCms1500Pdf(database.db, { organizationId: c.organizationId, claimId: claim.id, actor: c.actor });
    expect(filename).toBe(`${claim.displayNumber}-cms1500.pdf`);
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    const audit = await database.db.auditEvent.findFirst({ where: { organizationId: c.organizationId, action: "claim.cms1500_viewed" } });
    expect(audit?.targetId).toBe(claim.id);

    const text = extractPdfText(pdf);
    const [first = "", second = "", ...rest] = pagesOf(text);
    expect(rest).toEqual([]);
    for (const page of [first, second]) {
      expect(page).toContain("HEALTH INSURANCE CLAIM FORM");
      // Every numbered box with its title.
      for (const [box, title] of [
        ["1", "TYPE OF COVERAGE"],
        ["1a", "INSURED'S I.D. NUMBER"],
        ["2", "PATIENT'S NAME"],
        ["3", "PATIENT'S BIRTH DATE"],
        ["4", "INSURED'S NAME"],
        ["5", "PATIENT'S ADDRESS"],
        ["6", "PATIENT RELATIONSHIP TO INSURED"],
        ["7", "INSURED'S ADDRESS"],
        ["8", "RESERVED FOR NUCC USE"],
        ["9", "OTHER INSURED'S NAME"],
        ["9a", "OTHER INSURED'S POLICY OR GROUP NUMBER"],
        ["9d", "INSURANCE PLAN NAME OR PROGRAM NAME"],
        ["10", "IS PATIENT'S CONDITION RELATED TO"],
        ["11", "INSURED'S POLICY GROUP OR FECA NUMBER"],
        ["11a", "INSURED'S DATE OF BIRTH"],
        ["11c", "INSURANCE PLAN NAME OR PROGRAM NAME"],
        ["11d", "IS THERE ANOTHER HEALTH BENEFIT PLAN"],
        ["12", "PATIENT'S OR AUTHORIZED PERSON'S SIGNATURE"],
        ["13", "INSURED'S OR AUTHORIZED PERSON'S SIGNATURE"],
        ["14", "DATE OF CURRENT ILLNESS"],
        ["15", "OTHER DATE"],
        ["16", "DATES PATIENT UNABLE TO WORK"],
        ["17", "NAME OF REFERRING PROVIDER"],
        ["18", "HOSPITALIZATION DATES"],
        ["19", "ADDITIONAL CLAIM INFORMATION"],
        ["20", "OUTSIDE LAB"],
        ["21", "DIAGNOSIS OR NATURE OF ILLNESS OR INJURY"],
        ["22", "RESUBMISSION CODE"],
        ["23", "PRIOR AUTHORIZATION NUMBER"],
        ["24", "SERVICE LINES"],
        ["25", "FEDERAL TAX I.D. NUMBER"],
        ["26", "PATIENT'S ACCOUNT NO."],
        ["27", "ACCEPT ASSIGNMENT?"],
        ["28", "TOTAL CHARGE"],
        ["29", "AMOUNT PAID"],
        ["30", "Rsvd for NUCC Use"],
        ["31", "SIGNATURE OF PHYSICIAN OR SUPPLIER"],
        ["32", "SERVICE FACILITY LOCATION INFORMATION"],
        ["33", "BILLING PROVIDER INFO & PH #"],
      ])
        expect(page, `box ${box}`).toContain(`${box}. ${title}`);
      expect(page).toContain("EXAMPLE HEALTH PLAN");
      expect(page).toContain("XYZ123456789");
      expect(page).toContain("DOE, JANE");
      expect(page).toContain("04 12 1980");
      expect(page).toContain("GRP-0042");
      expect(page).toContain("SECOND PLAN");
      expect(page).toMatch(/J069\s+B\.\s+M5450\s+C\.\s+E119/);
      expect(page).toContain("12-3456789");
      expect(page).toContain(claim.displayNumber);
      expect(page).toContain("SIGNATURE ON FILE");
      expect(page).toContain("(503) 555-0142");
      expect(page).toContain("33a. NPI 1234567893");
      expect(page).toContain("ZZ207Q00000X");
    }
    const [year = "", month = "", day = ""] = serviceDate().split("-");
    const date = `${month} ${day} ${year.slice(2)}`;
    // Lines 1–6 on the first form, 7–8 on the second; each with its date, place, code, modifiers, pointers, charge, units and NPI.
    expect(first).toMatch(new RegExp(`${date}\\s+${date}\\s+11\\s+99214\\s+25\\s+A\\s+180\\.00\\s+1\\s+NPI\\s+1245319599`));
    expect(first).toMatch(new RegExp(`${date}\\s+${date}\\s+11\\s+97110\\s+59 GP\\s+BA\\s+40\\.00\\s+2\\s+NPI\\s+1245319599`));
    expect(first.match(/97110/g)).toHaveLength(5);
    expect(second.match(/97110/g)).toHaveLength(2);
    expect(first).toContain("CONTINUED");
    expect(first).not.toContain("$ 460.00");
    expect(second).toContain("$ 460.00");
    expect(second).toContain("$ 0.00");
    expect(first).toContain("form 1 of 2");
    expect(second).toContain("form 2 of 2");
  });

  it("a dependent's corrected claim: the insured is the subscriber, box 22 holds 7 and the payer's claim number", async () => {
    const c = await clinic();
    const child = await createTestInsuredPatient(database.db, { organizationId: c.organizationId, firstName: "SAM", dateOfBirth: "2015-06-01" });
    await createTestDependentCoverage(database.db, { organizationId: c.organizationId, patientId: child.id, payerId: c.payer.id });
    const visit = await recordVisit(database.db, {
      organizationId: c.organizationId,
      actor: c.actor,
      patientId: child.id,
      input: {
        serviceDate: serviceDate(),
        diagnoses: ["J06.9"],
        charges: [{ procedureCode: "99213", units: 1, chargeAmount: 15_000, diagnosisPointers: [1] }],
      },
    });
    const original = await createClaimFromVisit(database.db, { organizationId: c.organizationId, actor: c.actor, visitId: visit.id });
    // Sent and accepted by the payer with its claim number, then corrected (frequency 7).
    expect((await validateClaim(database.db, { organizationId: c.organizationId, actor: c.actor, claimId: original.id })).problems).toEqual([]);
    await createClaimBatch(database.db, { organizationId: c.organizationId, actor: c.actor, claimIds: [original.id], channel: "download" });
    const file = await createTest277File(database.db, { organizationId: c.organizationId });
    await database.db.$transaction((tx) =>
      markClaimAccepted(tx, {
        organizationId: c.organizationId,
        claimId: original.id,
        actor: c.actor,
        payerClaimNumber: "PAYERICN7788990011",
        fileId: file.id,
      }),
    );
    const corrected = await createCorrectedClaim(database.db, { organizationId: c.organizationId, actor: c.actor, claimId: original.id });

    const data = await loadCms1500Data(database.db, { organizationId: c.organizationId, claimId: corrected.id });
    expect(data).toMatchObject({
      relationship: "child",
      patient: { name: "DOE, SAM", birthDate: "2015-06-01", sex: "F" },
      insured: { name: "DOE, JOHN", birthDate: "1978-02-03", sex: "M", planName: "EXAMPLE HEALTH PLAN" },
      insuredId: "XYZ987654321",
      resubmission: { code: "7", originalReference: "PAYERICN7788990011" },
      otherCoverage: null,
      lines: [{ procedureCode: "99213", pointers: "A", charge: 15_000, units: 1, renderingNpi: null }],
    });
    const text = extractPdfText(await renderCms1500Pdf(data));
    expect(text).toContain("DOE, JOHN");
    expect(text).toMatch(/7\s+PAYERICN7788990011/);
    expect(pagesOf(text)).toHaveLength(1);
  });

  it("box 24J: each line's own rendering provider's NPI, else the claim's", async () => {
    const c = await clinic();
    const chen = await createTestRenderingProvider(database.db, { organizationId: c.organizationId, npi: "1003000126", lastName: "CHEN" });
    const line = { procedureCode: "97110", units: 1, chargeAmount: 4_000, diagnosisPointers: [1] };
    const visit = await recordVisit(database.db, {
      organizationId: c.organizationId,
      actor: c.actor,
      patientId: c.patient.id,
      input: {
        serviceDate: serviceDate(),
        diagnoses: ["J06.9"],
        renderingProviderId: c.provider.id,
        charges: [
          { ...line, procedureCode: "99213", chargeAmount: 15_000 },
          { ...line, renderingProviderId: chen.id },
        ],
      },
    });
    const claim = await createClaimFromVisit(database.db, { organizationId: c.organizationId, actor: c.actor, visitId: visit.id });
    const data = await loadCms1500Data(database.db, { organizationId: c.organizationId, claimId: claim.id });
    expect(data.lines.map((each) => [each.procedureCode, each.renderingNpi])).toEqual([
      ["99213", "1245319599"],
      ["97110", "1003000126"],
    ]);
    // Box 31 stays the claim's rendering provider.
    expect(data.physician.name).toBe("ANA RIVERA");
    const text = extractPdfText(await renderCms1500Pdf(data));
    expect(text).toMatch(/99213\s+A\s+150\.00\s+1\s+NPI\s+1245319599/);
    expect(text).toMatch(/97110\s+A\s+40\.00\s+1\s+NPI\s+1003000126/);
  });

  it("another clinic's claim is not found", async () => {
    const c = await clinic();
    const other = await createTestOrganization(database.db);
    const visit = await recordVisit(database.db, {
      organizationId: c.organizationId,
      actor: c.actor,
      patientId: c.patient.id,
      input: {
        serviceDate: serviceDate(),
        diagnoses: ["J06.9"],
        charges: [{ procedureCode: "99213", units: 1, chargeAmount: 15_000, diagnosisPointers: [1] }],
      },
    });
    const claim = await createClaimFromVisit(database.db, { organizationId: c.organizationId, actor: c.actor, visitId: visit.id });
    await expect(viewCms1500Pdf(database.db, { organizationId: other.organizationId, claimId: claim.id, actor: other.adminActor })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await database.db.auditEvent.count({ where: { organizationId: other.organizationId, action: "claim.cms1500_viewed" } })).toBe(0);
  });
});
