import { z } from "zod";
import { zSingleLineText } from "@/lib/validation/fields";
import { ZCoverageFields } from "./coverages";
import type { CoverageRevisionView, CoverageView, EligibilityCheckView, PayerView, PracticeProfileView, RenderingProviderView } from "./insurance.types";
import { ZPayerInput } from "./payers";
import { ZRenderingProviderInput } from "./rendering-providers";

/**
 * The REST API's view of lib/insurance: response schemas for the OpenAPI document (each checked
 * at compile time against the view type the operations return) and the query and PATCH bodies.
 */

const ZBooleanParam = z.enum(["true", "false"]).transform((value) => value === "true");
const instant = () => z.string().datetime();
const calendarDate = (description: string) => z.string().describe(`YYYY-MM-DD, ${description}`);

const ZPostalAddressView = z.object({
  line1: z.string(),
  line2: z.string().nullable(),
  city: z.string(),
  state: z.string().describe("Two-letter US state code"),
  postalCode: z.string().describe("ZIP code digits: 5, or 9 for ZIP+4"),
});

export const ZPracticeProfileView = z.object({
  legalName: z.string(),
  npi: z.string().describe("Type 2 NPI, 10 digits"),
  ein: z.string().describe("EIN, 9 digits"),
  taxonomyCode: z.string(),
  address: ZPostalAddressView.describe("The billing provider's street address (ZIP+4)"),
  contactName: z.string().nullable(),
  contactPhone: z.string().nullable().describe("Digits only"),
  defaultPlaceOfService: z.string().describe("CMS place-of-service code used when a visit does not say (11 = office)"),
  providerSignatureOnFile: z.boolean().describe("CLM06"),
  updatedAt: instant(),
});

export const ZRenderingProviderView = z.object({
  id: z.string().uuid(),
  firstName: z.string(),
  lastName: z.string(),
  npi: z.string().describe("Type 1 NPI, 10 digits"),
  taxonomyCode: z.string().nullable(),
  archivedAt: instant().nullable(),
});

export const ZPayerView = z.object({
  id: z.string().uuid(),
  name: z.string(),
  payerId: z.string().describe("The clearinghouse's payer id (2010BB NM109)"),
  claimFilingIndicator: z.string().describe("SBR09 plan type code (CI, BL, MB, MC, HM, 12…)"),
  claimFilingIndicatorLabel: z.string(),
  address: ZPostalAddressView.nullable(),
  archivedAt: instant().nullable(),
  coverageCount: z.number().int().describe("Coverages (not archived) that name this payer"),
});

const ZEligibilityBenefitView = z.object({
  kind: z.enum(["active", "inactive", "copay", "coinsurance", "deductible", "deductible_remaining", "out_of_pocket", "out_of_pocket_remaining", "other"]),
  serviceTypeCode: z.string().nullable(),
  serviceTypeLabel: z.string().nullable(),
  coverageLevel: z.enum(["individual", "family"]).nullable(),
  timePeriod: z.string().nullable(),
  amount: z.number().int().nullable(),
  percentBasisPoints: z.number().int().nullable(),
  inNetwork: z.boolean().nullable(),
  description: z.string(),
});

export const ZEligibilityCheckView = z.object({
  id: z.string().uuid(),
  coverageId: z.string().uuid(),
  status: z.enum(["requested", "answered", "failed"]),
  serviceTypeCodes: z.array(z.string()),
  traceNumber: z.string(),
  requestedAt: instant(),
  answeredAt: instant().nullable(),
  sentAt: instant()
    .nullable()
    .describe("When the 270 left Carebill: put into the clearinghouse's SFTP inbox, or first downloaded (manual connection); null while it waits to be sent"),
  sendError: z.string().nullable().describe("Why the last SFTP send failed; the poll tries again"),
  active: z.boolean().nullable(),
  benefits: z.array(ZEligibilityBenefitView),
  problems: z.array(z.string()),
  requestedBy: z.string(),
});

const money = (description: string) => z.number().int().nullable().describe(`${description}, minor units of the coverage's currency`);

export const ZCoverageView = z.object({
  id: z.string().uuid(),
  patientId: z.string().uuid(),
  payer: z.object({ id: z.string().uuid(), name: z.string(), payerId: z.string() }),
  priority: z.union([z.literal(1), z.literal(2), z.literal(3)]).describe("1 primary, 2 secondary, 3 tertiary"),
  priorityLabel: z.string(),
  memberId: z.string(),
  groupNumber: z.string().nullable(),
  groupName: z.string().nullable(),
  relationshipCode: z.string().describe("The patient's relationship to the subscriber: 18 self, or a PAT01 code"),
  relationshipLabel: z.string(),
  subscriber: z
    .object({
      firstName: z.string(),
      lastName: z.string(),
      middleName: z.string().nullable(),
      birthDate: calendarDate("the subscriber's birth date").nullable(),
      sex: z.enum(["F", "M", "U"]).nullable(),
      address: ZPostalAddressView.nullable(),
    })
    .nullable()
    .describe("null when the patient is the subscriber"),
  effectiveFrom: calendarDate("the first day covered"),
  effectiveTo: calendarDate("the last day covered, inclusive").nullable(),
  inForce: z.boolean().describe("Covers the clinic's today"),
  acceptsAssignment: z.enum(["A", "B", "C"]).describe("CLM07"),
  benefitsAssigned: z.enum(["Y", "N", "W"]).describe("CLM08"),
  benefits: z.object({
    copays: z.array(z.object({ visitType: z.string(), label: z.string(), amount: z.number().int() })),
    coinsuranceBasisPoints: z.number().int().nullable().describe("20% = 2000"),
    deductibleIndividual: money("Plan-year individual deductible"),
    deductibleIndividualMet: money("Met so far"),
    deductibleFamily: money("Plan-year family deductible"),
    deductibleFamilyMet: money("Met so far"),
    outOfPocketMaxIndividual: money("Individual out-of-pocket maximum"),
    outOfPocketMaxIndividualMet: money("Met so far"),
    outOfPocketMaxFamily: money("Family out-of-pocket maximum"),
    outOfPocketMaxFamilyMet: money("Met so far"),
    verifiedAt: instant().nullable(),
    source: z.enum(["manual", "eligibility"]).nullable(),
  }),
  currency: z.string().describe("ISO 4217"),
  archivedAt: instant().nullable(),
  version: z.number().int().describe("Incremented by every change; each version is in the history"),
  latestEligibility: ZEligibilityCheckView.nullable(),
});

export const ZCoverageRevisionView = z.object({
  version: z.number().int(),
  change: z.string().describe("created, updated, ended, benefits_verified, eligibility_applied, remittance_applied, archived"),
  actor: z.string(),
  createdAt: instant(),
  snapshot: z.record(z.string(), z.unknown()).describe("The coverage's fields after the change"),
});

// The schemas above describe exactly the views the operations return (a mismatch fails to compile).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const viewsMatch: [
  Same<z.infer<typeof ZPracticeProfileView>, PracticeProfileView>,
  Same<z.infer<typeof ZRenderingProviderView>, RenderingProviderView>,
  Same<z.infer<typeof ZPayerView>, PayerView>,
  Same<z.infer<typeof ZEligibilityCheckView>, EligibilityCheckView>,
  Same<z.infer<typeof ZCoverageView>, CoverageView>,
  Same<z.infer<typeof ZCoverageRevisionView>, CoverageRevisionView>,
] = [true, true, true, true, true, true];
void viewsMatch;

export const ZListPayersQuery = z.object({
  q: zSingleLineText().max(100).optional().describe("Search the name or the payer id"),
  includeArchived: ZBooleanParam.optional().describe("true to list archived payers too"),
});

export const ZListRenderingProvidersQuery = z.object({
  includeArchived: ZBooleanParam.optional().describe("true to list archived providers too"),
});

export const ZListCoveragesQuery = z.object({
  includeArchived: ZBooleanParam.optional().describe("true to list archived coverages too"),
});

/** PATCH /payers/{id}: the fields sent replace the payer's (address null removes it). */
export const ZPatchPayerBody = ZPayerInput.partial();

/** PATCH /rendering-providers/{id}: the fields sent replace the provider's. */
export const ZPatchRenderingProviderBody = ZRenderingProviderInput.partial();

/**
 * PATCH /coverages/{id}: the fields sent replace the coverage's; the result is checked as a whole
 * (relationship 18 without a subscriber sent clears the subscriber).
 */
export const ZPatchCoverageBody = ZCoverageFields.partial();
