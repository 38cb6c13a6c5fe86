import { CLAIM_FILING_INDICATORS, PATIENT_RELATIONSHIP_CODES } from "@/lib/x12/build-837p.types";
import type { CoveragePriority } from "./insurance.types";

/**
 * The code lists insurance forms offer, with their words. No server imports: pages and
 * components (selects, labels) use them as they are.
 */

export const COVERAGE_PRIORITY_LABELS: Record<CoveragePriority, string> = { 1: "Primary", 2: "Secondary", 3: "Tertiary" };

/** The patient's relationship to the subscriber: 18 self, or a PAT01 code. */
export const COVERAGE_RELATIONSHIP_CODES = { "18": "Self", ...PATIENT_RELATIONSHIP_CODES } as const;
export type CoverageRelationshipCode = keyof typeof COVERAGE_RELATIONSHIP_CODES;

/** CLM07: whether the clinic accepts assignment from the payer. */
export const ACCEPTS_ASSIGNMENT_LABELS = { A: "Accepts assignment", B: "Accepts assignment for lab services only", C: "Does not accept assignment" } as const;

/** CLM08: whether the insured assigned benefits to the clinic. */
export const BENEFITS_ASSIGNED_LABELS = { Y: "Benefits assigned to the clinic", N: "Benefits not assigned", W: "Not applicable" } as const;

/** The visit types a co-pay is quoted for, with their words. */
export const COPAY_VISIT_TYPES = {
  office: "Office visit",
  specialist: "Specialist visit",
  preventive: "Preventive care",
  telehealth: "Telehealth visit",
  urgent_care: "Urgent care",
  emergency: "Emergency room",
  other: "Other",
} as const;
export type CopayVisitType = keyof typeof COPAY_VISIT_TYPES;

/** SBR09 plan types (claim filing indicators) a payer can have, with their words. */
export { CLAIM_FILING_INDICATORS };
export type ClaimFilingIndicator = keyof typeof CLAIM_FILING_INDICATORS;
