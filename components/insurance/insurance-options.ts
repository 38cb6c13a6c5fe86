import { COPAY_VISIT_TYPES as COPAY_VISIT_TYPE_LABELS, COVERAGE_PRIORITY_LABELS } from "@/lib/insurance/insurance-codes";
import { CLAIM_FILING_INDICATORS, PATIENT_RELATIONSHIP_CODES } from "@/lib/x12/build-837p.types";

/** The choices the insurance forms offer, in words, with the X12 code each stands for. */

/** Places of service (CMS code set) a small practice bills most; others are kept when already chosen. */
export const PLACES_OF_SERVICE: { code: string; label: string }[] = [
  { code: "11", label: "Office" },
  { code: "02", label: "Telehealth (not in the patient's home)" },
  { code: "10", label: "Telehealth in the patient's home" },
  { code: "12", label: "Home" },
  { code: "19", label: "Off-campus outpatient hospital" },
  { code: "20", label: "Urgent care facility" },
  { code: "21", label: "Inpatient hospital" },
  { code: "22", label: "On-campus outpatient hospital" },
  { code: "23", label: "Emergency room – hospital" },
  { code: "31", label: "Skilled nursing facility" },
  { code: "32", label: "Nursing facility" },
  { code: "49", label: "Independent clinic" },
  { code: "50", label: "Federally qualified health center" },
  { code: "71", label: "Public health clinic" },
  { code: "72", label: "Rural health clinic" },
  { code: "81", label: "Independent laboratory" },
];

export function placeOfServiceLabel(code: string): string {
  const known = PLACES_OF_SERVICE.find((place) => place.code === code);
  return known ? `${code} – ${known.label}` : code;
}

export const CLAIM_FILING_INDICATOR_OPTIONS = Object.entries(CLAIM_FILING_INDICATORS).map(([code, label]) => ({ code, label }));

/** 18 (self) first, then the PAT01 codes a dependent may have. */
export const RELATIONSHIP_OPTIONS = [{ code: "18", label: "Self (the patient is the subscriber)" }].concat(
  Object.entries(PATIENT_RELATIONSHIP_CODES).map(([code, label]) => ({ code, label })),
);

export const SEX_OPTIONS = [
  { code: "F", label: "Female" },
  { code: "M", label: "Male" },
  { code: "U", label: "Unknown" },
] as const;

/** CLM07. */
export const ACCEPTS_ASSIGNMENT_OPTIONS = [
  { code: "A", label: "Yes, the clinic accepts assignment" },
  { code: "B", label: "Lab services only" },
  { code: "C", label: "No, the clinic does not accept assignment" },
] as const;

/** CLM08. */
export const BENEFITS_ASSIGNED_OPTIONS = [
  { code: "Y", label: "Yes, the insured assigned benefits to the clinic" },
  { code: "N", label: "No" },
  { code: "W", label: "Not applicable" },
] as const;

/** CLM09, on the patient. */
export const RELEASE_OF_INFORMATION_OPTIONS = [
  { code: "Y", label: "Yes, a signed statement is on file" },
  { code: "I", label: "Informed consent only (no signed statement)" },
] as const;

export const PRIORITY_OPTIONS = ([1, 2, 3] as const).map((value) => ({ value, label: COVERAGE_PRIORITY_LABELS[value] }));

/** The visit types a co-pay is quoted for, in the order of lib/insurance/insurance-codes.ts. */
export const COPAY_VISIT_TYPES = Object.entries(COPAY_VISIT_TYPE_LABELS).map(([visitType, label]) => ({ visitType, label }));

/** "20" or "12.5" (percent) → basis points; null when blank; undefined when not a percentage. */
export function parsePercent(input: string): number | null | undefined {
  const value = input.trim().replace(/%$/, "").trim();
  if (value === "") return null;
  const match = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(value);
  if (!match) return undefined;
  const basisPoints = Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
  return basisPoints <= 10_000 ? basisPoints : undefined;
}

/** Basis points → "20" or "12.5". */
export function formatPercent(basisPoints: number): string {
  const whole = Math.floor(basisPoints / 100);
  const fraction = basisPoints % 100;
  return fraction === 0 ? String(whole) : `${whole}.${String(fraction).padStart(2, "0").replace(/0$/, "")}`;
}
