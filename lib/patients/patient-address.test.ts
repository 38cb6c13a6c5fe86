import { describe, expect, it } from "vitest";
import { postalAddressLines } from "@/lib/addresses/postal-address";
import { createTestOrganization } from "@/tests/factories";
import { setupTestDatabase } from "@/tests/test-database";
import { createPatient } from "./create-patient";
import { ZCreatePatientInput, ZUpdatePatientInput } from "./patients.types";
import { updatePatient } from "./update-patient";

const database = setupTestDatabase();

const fieldsOf = (result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  Object.fromEntries((result.error?.issues ?? []).map((issue) => [issue.path.join("."), issue.message]));

describe("patient address validation", () => {
  it("takes US ZIP codes of 5 digits or ZIP+4, and two-letter state codes (upper-cased)", () => {
    for (const postalCode of ["97201", "97201-1234"]) {
      expect(ZCreatePatientInput.safeParse({ firstName: "A", lastName: "B", postalCode, region: "or" }).data).toMatchObject({ postalCode, region: "OR" });
    }
  });

  it("refuses other ZIPs and unknown states in the US (the default country)", () => {
    for (const postalCode of ["9720", "972011", "97201-12", "ABCDE", "97201 1234"]) {
      expect(fieldsOf(ZCreatePatientInput.safeParse({ firstName: "A", lastName: "B", postalCode }))).toEqual({ postalCode: expect.stringContaining("ZIP") });
    }
    expect(fieldsOf(ZCreatePatientInput.safeParse({ firstName: "A", lastName: "B", country: "US", region: "Oregon" }))).toEqual({
      region: expect.stringContaining("two-letter"),
    });
  });

  it("takes another country's postal code as it is written there", () => {
    expect(ZCreatePatientInput.safeParse({ firstName: "A", lastName: "B", country: "gb", postalCode: "SW1A 1AA", region: "London" }).data).toMatchObject({
      country: "GB",
      postalCode: "SW1A 1AA",
    });
    expect(fieldsOf(ZCreatePatientInput.safeParse({ firstName: "A", lastName: "B", country: "USA" }))).toEqual({ country: expect.any(String) });
  });

  it("checks a partial update when it names the US", () => {
    expect(ZUpdatePatientInput.safeParse({ postalCode: "1234", country: "US" }).success).toBe(false);
    expect(ZUpdatePatientInput.safeParse({ postalCode: "97205", country: "US" }).success).toBe(true);
  });
});

describe("patient addresses are stored and shown", () => {
  it("stores the address, defaults the country to US, and prints it as envelope lines", async () => {
    const org = await createTestOrganization(database.db);
    const patient = await createPatient(database.db, {
      organizationId: org.organizationId,
      actor: org.adminActor,
      input: {
        firstName: "Maria",
        lastName: "Lopez",
        addressLine1: "12 Elm St",
        addressLine2: "Apt 4",
        city: "Portland",
        region: "or",
        postalCode: "97201-1234",
      },
    });
    expect(patient).toMatchObject({
      addressLine1: "12 Elm St",
      addressLine2: "Apt 4",
      city: "Portland",
      region: "OR",
      postalCode: "97201-1234",
      country: "US",
    });
    expect(postalAddressLines(patient, { homeCountry: "US" })).toEqual(["12 Elm St", "Apt 4", "Portland, OR 97201-1234"]);

    const moved = await updatePatient(database.db, {
      organizationId: org.organizationId,
      patientId: patient.id,
      actor: org.adminActor,
      input: { addressLine1: "1 Rue de Rivoli", addressLine2: "", city: "Paris", region: "", postalCode: "75001", country: "FR" },
    });
    expect(moved).toMatchObject({ addressLine2: null, region: null, country: "FR" });
    expect(postalAddressLines(moved, { homeCountry: "US" })).toEqual(["1 Rue de Rivoli", "Paris, 75001", "France"]);
  });
});
