import { z } from "zod";
import { zListPageFields } from "@/lib/search/list-sort";
import { normalizePhone } from "@/lib/validation/phone";
import { isCalendarDate, ZCalendarDate, zSingleLineText } from "@/lib/validation/fields";

const optionalTrimmed = (max: number, message?: string) =>
  zSingleLineText()
    .max(max, message ?? `Use at most ${max} characters.`)
    .transform((value) => (value === "" ? null : value))
    .nullable()
    .optional();

/** YYYY-MM-DD, a real calendar date, not in the future. */
export const ZDateOfBirth = ZCalendarDate.refine(
  (value) => !isCalendarDate(value) || value <= new Date().toISOString().slice(0, 10),
  "A birth date cannot be in the future.",
).refine((value) => !isCalendarDate(value) || value >= "1900-01-01", "Enter a birth date after 1900.");

/** Administrative sex as claims carry it (DMG03). */
export const PATIENT_SEXES = ["F", "M", "U"] as const;
export const PATIENT_SEX_LABELS: Record<(typeof PATIENT_SEXES)[number], string> = { F: "Female", M: "Male", U: "Unknown" };
/** CLM09 release of information codes. */
export const RELEASE_OF_INFORMATION_CODES = ["Y", "I"] as const;
export const RELEASE_OF_INFORMATION_LABELS: Record<(typeof RELEASE_OF_INFORMATION_CODES)[number], string> = {
  Y: "Signed statement on file",
  I: "Informed consent only",
};

export const ZPatientFields = z.object({
  firstName: zSingleLineText().min(1, "Enter a first name.").max(100),
  lastName: zSingleLineText().min(1, "Enter a last name.").max(100),
  email: zSingleLineText()
    .toLowerCase()
    .max(254)
    .refine((value) => value === "" || z.string().email().safeParse(value).success, "Enter a valid email address.")
    .transform((value) => (value === "" ? null : value))
    .nullable()
    .optional(),
  // Stored in E.164 when it is a valid number (US unless it has a country code), else as typed.
  phone: optionalTrimmed(40)
    .refine((value) => value === null || value === undefined || /^[+(\d][\d\s().-]{5,}$/.test(value), "Enter a valid phone number.")
    .transform((value) => (value ? normalizePhone(value) : value)),
  dateOfBirth: z
    .union([ZDateOfBirth, z.literal("")])
    .transform((value) => (value === "" ? null : value))
    .nullable()
    .optional(),
  externalId: optionalTrimmed(64),
  addressLine1: optionalTrimmed(200),
  addressLine2: optionalTrimmed(200),
  city: optionalTrimmed(100),
  /** State or region; for the US its two-letter code ("OR"), upper-cased. */
  region: optionalTrimmed(100).transform((value) => (value && /^[a-z]{2}$/i.test(value) ? value.toUpperCase() : value)),
  postalCode: optionalTrimmed(20),
  /** Administrative sex for claims: F, M or U (unknown); "" or null clears it. */
  sex: z
    .union([z.literal("").transform(() => null), z.enum(PATIENT_SEXES, { error: "Choose F, M or U (unknown)." })])
    .nullable()
    .optional(),
  /** CLM09: Y a signed release of information is on file, I informed consent only; "" or null clears it. */
  releaseOfInformation: z
    .union([
      z.literal("").transform(() => null),
      z.enum(RELEASE_OF_INFORMATION_CODES, { error: "Choose Y (signed statement on file) or I (informed consent only)." }),
    ])
    .nullable()
    .optional(),
  /** ISO 3166 two-letter country code; US when not given. */
  country: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, "Use a two-letter country code, e.g. US.")
    .optional(),
});

/** US states, DC, territories and military post codes. */
const US_REGIONS = new Set(
  "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR GU VI AS MP AA AE AP".split(
    " ",
  ),
);
const US_ZIP = /^\d{5}(-\d{4})?$/;

/**
 * A US address's ZIP (5 digits or ZIP+4) and state code. `country` undefined is US when creating;
 * in a partial update only an update that names the country is checked here.
 */
function checkUsAddress(assumeUs: boolean) {
  return (input: { country?: string; postalCode?: string | null; region?: string | null }, context: z.RefinementCtx) => {
    const country = input.country ?? (assumeUs ? "US" : undefined);
    if (country !== "US") return;
    if (input.postalCode && !US_ZIP.test(input.postalCode)) {
      context.addIssue({ code: "custom", path: ["postalCode"], message: "Enter a 5-digit ZIP code, or ZIP+4 (97201-1234)." });
    }
    if (input.region && !US_REGIONS.has(input.region.toUpperCase())) {
      context.addIssue({ code: "custom", path: ["region"], message: "Enter the state's two-letter code, e.g. OR." });
    }
  };
}

export const ZCreatePatientInput = ZPatientFields.superRefine(checkUsAddress(true));
export type TCreatePatientInput = z.input<typeof ZCreatePatientInput>;

export const ZUpdatePatientInput = ZPatientFields.partial().superRefine(checkUsAddress(false));
export type TUpdatePatientInput = z.input<typeof ZUpdatePatientInput>;

/** The columns the patients list sorts by; each with its first-click direction. */
export const PATIENT_SORT_DIRECTIONS = { added: "desc", name: "asc" } as const;
export type PatientSortColumn = keyof typeof PATIENT_SORT_DIRECTIONS;

export const ZListPatientsInput = z.object({
  query: zSingleLineText().max(100).optional(),
  includeArchived: z.boolean().default(false),
  ...zListPageFields(PATIENT_SORT_DIRECTIONS, "added"),
});
export type TListPatientsInput = z.input<typeof ZListPatientsInput>;

/** A patient as the app and the API show it (also the API's response schema). */
export const ZPatientView = z.object({
  id: z.string().uuid(),
  firstName: z.string(),
  lastName: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable().describe("E.164 (+15035550142) when valid, else as entered"),
  dateOfBirth: z.string().nullable().describe("YYYY-MM-DD, a calendar date"),
  externalId: z.string().nullable().describe("The EHR's id (MRN)"),
  addressLine1: z.string().nullable().describe("Postal address (statements, claims): street, line 1"),
  addressLine2: z.string().nullable(),
  city: z.string().nullable(),
  region: z.string().nullable().describe("State or region; in the US the state's two-letter code"),
  postalCode: z.string().nullable().describe("In the US a ZIP code: 5 digits or ZIP+4 (97201-1234)"),
  country: z.string().describe("ISO 3166-1 alpha-2; US when not given"),
  sex: z.enum(PATIENT_SEXES).nullable().describe("Administrative sex for claims: F, M or U (unknown); null until recorded"),
  releaseOfInformation: z
    .enum(RELEASE_OF_INFORMATION_CODES)
    .nullable()
    .describe("Claims' release of information (CLM09): Y signed statement on file, I informed consent only; null until recorded"),
  archived: z.boolean(),
  createdAt: z.string().datetime(),
  updatedAt: z.string().datetime(),
});
export type PatientView = z.infer<typeof ZPatientView>;

/** GET /api/v1/patients/{id}: the patient, what they owe and their credit per currency, and their invoices' ids. */
export const ZPatientDetailView = ZPatientView.extend({
  balances: z.array(z.object({ currency: z.string().describe("ISO 4217"), amountDue: z.number().int().describe("Minor units owed on open invoices") })),
  credit: z
    .array(z.object({ currency: z.string().describe("ISO 4217"), balance: z.number().int().describe("Minor units the patient can still apply to invoices") }))
    .describe("Credit the patient can still apply to invoices, per currency (only non-zero)"),
  invoiceIds: z.array(z.string().uuid()),
});
export type PatientDetailView = z.infer<typeof ZPatientDetailView>;
