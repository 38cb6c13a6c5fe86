/**
 * What the insurance screens and the API show: plain JSON-safe views (dates as YYYY-MM-DD, instants as
 * ISO strings, money in the organization's minor units). Shared by lib/insurance, lib/claims,
 * lib/clearinghouse and the pages (contract: /work/wt/insurance-contract.md at the time of writing).
 */

export type PostalAddressView = { line1: string; line2: string | null; city: string; state: string; postalCode: string };

export type PracticeProfileView = {
  legalName: string;
  npi: string;
  ein: string;
  taxonomyCode: string;
  address: PostalAddressView;
  contactName: string | null;
  contactPhone: string | null;
  defaultPlaceOfService: string;
  providerSignatureOnFile: boolean;
  updatedAt: string;
};

export type RenderingProviderView = {
  id: string;
  firstName: string;
  lastName: string;
  npi: string;
  taxonomyCode: string | null;
  archivedAt: string | null;
};

export type PayerView = {
  id: string;
  name: string;
  /** The clearinghouse's payer id (2010BB NM109). */
  payerId: string;
  /** SBR09 code and its words ("CI", "Commercial insurance"). */
  claimFilingIndicator: string;
  claimFilingIndicatorLabel: string;
  address: PostalAddressView | null;
  archivedAt: string | null;
  /** Coverages (not archived) that name this payer. */
  coverageCount: number;
};

export type CoveragePriority = 1 | 2 | 3;

export type CopayView = { visitType: string; label: string; amount: number };

export type CoverageBenefitsView = {
  copays: CopayView[];
  coinsuranceBasisPoints: number | null;
  deductibleIndividual: number | null;
  deductibleIndividualMet: number | null;
  deductibleFamily: number | null;
  deductibleFamilyMet: number | null;
  outOfPocketMaxIndividual: number | null;
  outOfPocketMaxIndividualMet: number | null;
  outOfPocketMaxFamily: number | null;
  outOfPocketMaxFamilyMet: number | null;
  verifiedAt: string | null;
  /** manual: entered from a phone call or a portal; eligibility: read from a 271. */
  source: "manual" | "eligibility" | null;
};

export type SubscriberView = {
  firstName: string;
  lastName: string;
  middleName: string | null;
  birthDate: string | null;
  sex: "F" | "M" | "U" | null;
  address: PostalAddressView | null;
};

export type CoverageView = {
  id: string;
  patientId: string;
  payer: { id: string; name: string; payerId: string };
  priority: CoveragePriority;
  /** Primary, Secondary, Tertiary. */
  priorityLabel: string;
  memberId: string;
  groupNumber: string | null;
  groupName: string | null;
  /** 18 self, or the PAT01 code; with its words. */
  relationshipCode: string;
  relationshipLabel: string;
  /** null when the patient is the subscriber. */
  subscriber: SubscriberView | null;
  effectiveFrom: string;
  effectiveTo: string | null;
  /** In force on the clinic's today. */
  inForce: boolean;
  acceptsAssignment: "A" | "B" | "C";
  benefitsAssigned: "Y" | "N" | "W";
  benefits: CoverageBenefitsView;
  currency: string;
  archivedAt: string | null;
  version: number;
  latestEligibility: EligibilityCheckView | null;
};

export type CoverageRevisionView = { version: number; change: string; actor: string; createdAt: string; snapshot: Record<string, unknown> };

export type EligibilityBenefitKind =
  "active" | "inactive" | "copay" | "coinsurance" | "deductible" | "deductible_remaining" | "out_of_pocket" | "out_of_pocket_remaining" | "other";

/** One EB segment of a 271, in words. */
export type EligibilityBenefitView = {
  kind: EligibilityBenefitKind;
  /** EB03 service type code(s) and words ("30", "Health benefit plan coverage"). */
  serviceTypeCode: string | null;
  serviceTypeLabel: string | null;
  coverageLevel: "individual" | "family" | null;
  /** EB06 words: "Calendar year", "Remaining", "Visit"… */
  timePeriod: string | null;
  /** Minor units (EB07), or null. */
  amount: number | null;
  /** EB08 as basis points (0.2 → 2000), or null. */
  percentBasisPoints: number | null;
  /** EB12: true in network, false out of network, null not said. */
  inNetwork: boolean | null;
  /** MSG segments and the EB line in words. */
  description: string;
};

export type EligibilityCheckView = {
  id: string;
  coverageId: string;
  status: "requested" | "answered" | "failed";
  serviceTypeCodes: string[];
  traceNumber: string;
  requestedAt: string;
  answeredAt: string | null;
  /** When the 270 left Carebill (SFTP upload, or first download on a manual connection); null while it waits to be sent. */
  sentAt: string | null;
  /** Why the last SFTP send failed, while it waits for the next try. */
  sendError: string | null;
  active: boolean | null;
  benefits: EligibilityBenefitView[];
  problems: string[];
  requestedBy: string;
};
