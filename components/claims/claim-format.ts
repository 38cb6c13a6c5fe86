import type { ClaimProblem, ClaimStatus } from "@/lib/claims/claims.types";
import type { BadgeProps } from "@/components/ui/badge";

export function renderingProviderLabel(provider: { firstName: string; lastName: string; npi: string }): string {
  return `${provider.firstName} ${provider.lastName} (NPI ${provider.npi})`;
}

/** The work list's tabs, in the order a claim moves through them. */
export const CLAIM_STATUS_ORDER: ClaimStatus[] = ["draft", "ready", "submitted", "accepted", "rejected", "paid", "partially_paid", "denied", "closed"];

export const CLAIM_STATUS_VARIANTS: Record<ClaimStatus, NonNullable<BadgeProps["variant"]>> = {
  draft: "secondary",
  ready: "outline",
  submitted: "outline",
  accepted: "success",
  rejected: "destructive",
  paid: "success",
  partially_paid: "warning",
  denied: "destructive",
  closed: "secondary",
};

export const FREQUENCY_LABELS = { "1": "Original claim", "7": "Corrected claim (replaces)", "8": "Void claim (cancels)" } as const;

export const PRIORITY_LABELS: Record<number, string> = { 1: "Primary", 2: "Secondary", 3: "Tertiary" };

const EVENT_LABELS: Record<string, string> = {
  created: "Claim created",
  validated: "Validated: ready to submit",
  validation_failed: "Validation found problems",
  edited: "Edited",
  submitted: "Submitted",
  accepted: "Accepted",
  rejected: "Rejected",
  closed: "Closed",
  corrected: "Corrected claim created",
  voided: "Void claim created",
  next_payer_claim_created: "Claim to the next payer created",
  acknowledged_999: "Acknowledged (999)",
  acknowledged_277ca: "Acknowledged (277CA)",
  replaced: "Replaced",
  written_off: "Written off",
  appeal_note: "Appeal note",
  denial_billed_to_patient: "Denial billed to the patient",
  remittance_matched_by_hand: "Payment matched by hand",
  remittance_posted: "Remittance posted",
};

/** An event's kind in words ("validation_failed" → "Validation found problems"; unknown kinds readable too). */
export function claimEventLabel(kind: string): string {
  return EVENT_LABELS[kind] ?? kind.charAt(0).toUpperCase() + kind.slice(1).replaceAll("_", " ").replaceAll(".", ": ");
}

/**
 * Where staff fix a validation problem, from its field path: a claim's own fields on its edit
 * form (the anchor is the field's id there), the practice, payer, patient and coverage in their
 * own pages. Null when the problem names no place to fix it.
 */
export function claimProblemHref(
  problem: ClaimProblem,
  claim: { id: string; patient: { id: string }; payer: { id: string }; lines: { length: number } },
): string | null {
  const [head, index, field] = problem.path.split(".");
  const edit = `/app/claims/${claim.id}/edit`;
  switch (head) {
    case "lines":
    case "charges": {
      if (index === undefined || !/^\d+$/.test(index)) return edit;
      // The line's own rendering provider lacks an NPI or the like: fixed on the provider, in the practice settings.
      if (field === "renderingProvider") return "/app/settings/practice";
      // A line dated outside the coverage: the form keeps the visit's dates, the coverage's are fixed on the patient's page.
      if (field === "serviceDate" || field === "serviceDateEnd") return `/app/patients/${claim.patient.id}#insurance`;
      const suffix =
        field === "diagnosisPointers" ? "pointers" : field === "chargeAmount" ? "charge" : field === "procedureCode" || field === undefined ? "code" : field;
      return `${edit}#line-l${index}-${suffix}`;
    }
    case "diagnoses":
      return index !== undefined && /^\d+$/.test(index) ? `${edit}#diagnosis-d${index}` : edit;
    case "placeOfService":
      return `${edit}#visit-place`;
    case "renderingProvider":
    case "renderingProviderId":
      return `${edit}#visit-provider`;
    case "payerClaimNumber":
      return `${edit}#claim-payer-number`;
    case "practice":
    case "billingProvider":
      return "/app/settings/practice";
    case "payer":
      return "/app/settings/payers";
    case "clearinghouse":
    case "submitter":
    case "receiver":
      return "/app/settings/clearinghouse";
    case "patient":
      return `/app/patients/${claim.patient.id}/edit`;
    case "subscriber":
    case "coverage":
    case "coverageId":
    case "memberId":
    case "otherPayers":
      return `/app/patients/${claim.patient.id}#insurance`;
    default:
      return null;
  }
}

/** Common CMS place-of-service codes, the usual first; a saved code not listed is shown as it is. */
export const PLACES_OF_SERVICE: { code: string; label: string }[] = [
  { code: "11", label: "11 — Office" },
  { code: "02", label: "02 — Telehealth (not in the patient's home)" },
  { code: "10", label: "10 — Telehealth in the patient's home" },
  { code: "12", label: "12 — Home" },
  { code: "19", label: "19 — Off-campus outpatient hospital" },
  { code: "20", label: "20 — Urgent care facility" },
  { code: "21", label: "21 — Inpatient hospital" },
  { code: "22", label: "22 — On-campus outpatient hospital" },
  { code: "23", label: "23 — Emergency room" },
  { code: "31", label: "31 — Skilled nursing facility" },
  { code: "32", label: "32 — Nursing facility" },
  { code: "49", label: "49 — Independent clinic" },
  { code: "81", label: "81 — Independent laboratory" },
];

export function placeOfServiceLabel(code: string): string {
  return PLACES_OF_SERVICE.find((place) => place.code === code)?.label ?? code;
}
