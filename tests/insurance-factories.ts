import type { Db } from "@/lib/db/client";
import { createCoverage, type TCoverageInput } from "@/lib/insurance/coverages";
import { createPayer, type TPayerInput } from "@/lib/insurance/payers";
import { savePracticeProfile, type TPracticeProfileInput } from "@/lib/insurance/practice-profile";
import { createRenderingProvider } from "@/lib/insurance/rendering-providers";
import { testActor } from "./factories";

/** NPIs that pass the Luhn check with the 80840 prefix (type 2 start with 2, type 1 with 1). */
export const VALID_NPIS = {
  practice: "2000000002",
  practiceOther: "2345678900",
  provider: "1234567893",
  providerOther: "1245319599",
  third: "1987654328",
} as const;

export const PRACTICE_INPUT = {
  legalName: "Riverside Family Medicine LLC",
  npi: VALID_NPIS.practice,
  ein: "12-3456789",
  taxonomyCode: "207Q00000X",
  address: { line1: "100 Main St", city: "Portland", state: "OR", postalCode: "97201-1234" },
  contactName: "Billing Office",
  contactPhone: "(503) 555-0100",
} satisfies TPracticeProfileInput;

export async function createTestPracticeProfile(db: Db, options: { organizationId: string; input?: Partial<TPracticeProfileInput> }) {
  return savePracticeProfile(db, { organizationId: options.organizationId, actor: testActor(), input: { ...PRACTICE_INPUT, ...options.input } });
}

export async function createTestRenderingProvider(db: Db, options: { organizationId: string; npi?: string; lastName?: string }) {
  return createRenderingProvider(db, {
    organizationId: options.organizationId,
    actor: testActor(),
    input: { firstName: "Rosa", lastName: options.lastName ?? "Diaz", npi: options.npi ?? VALID_NPIS.provider, taxonomyCode: "207Q00000X" },
  });
}

export async function createTestPayer(db: Db, options: { organizationId: string; name?: string; payerId?: string; input?: Partial<TPayerInput> }) {
  return createPayer(db, {
    organizationId: options.organizationId,
    actor: testActor(),
    input: { name: options.name ?? "Aetna", payerId: options.payerId ?? "60054", claimFilingIndicator: "CI", ...options.input },
  });
}

/** A primary coverage (the patient is the subscriber) from 2026-01-01, open-ended, unless `input` says otherwise. */
export async function createTestCoverage(db: Db, options: { organizationId: string; patientId: string; payerId: string; input?: Partial<TCoverageInput> }) {
  return createCoverage(db, {
    organizationId: options.organizationId,
    actor: testActor(),
    patientId: options.patientId,
    input: { payerId: options.payerId, priority: 1, memberId: "W123456789", groupNumber: "GRP-100", effectiveFrom: "2026-01-01", ...options.input },
  });
}
