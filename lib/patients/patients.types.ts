import { z } from "zod";
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
  phone: optionalTrimmed(40).refine((value) => value === null || value === undefined || /^[+(\d][\d\s().-]{5,}$/.test(value), "Enter a valid phone number."),
  dateOfBirth: z
    .union([ZDateOfBirth, z.literal("")])
    .transform((value) => (value === "" ? null : value))
    .nullable()
    .optional(),
  externalId: optionalTrimmed(64),
});

export const ZCreatePatientInput = ZPatientFields;
export type TCreatePatientInput = z.input<typeof ZCreatePatientInput>;

export const ZUpdatePatientInput = ZPatientFields.partial();
export type TUpdatePatientInput = z.input<typeof ZUpdatePatientInput>;

/** The columns the patients list sorts by; each with its first-click direction. */
export const PATIENT_SORT_DIRECTIONS = { added: "desc", name: "asc" } as const;
export type PatientSortColumn = keyof typeof PATIENT_SORT_DIRECTIONS;
const PATIENT_SORT_COLUMNS = Object.keys(PATIENT_SORT_DIRECTIONS) as [PatientSortColumn, ...PatientSortColumn[]];

export const ZListPatientsInput = z.object({
  query: zSingleLineText().max(100).optional(),
  includeArchived: z.boolean().default(false),
  sort: z.enum(PATIENT_SORT_COLUMNS).default("added"),
  direction: z.enum(["asc", "desc"]).default("desc"),
  cursor: z.string().uuid().optional(),
  limit: z.number().int().min(1).max(100).default(25),
});
export type TListPatientsInput = z.input<typeof ZListPatientsInput>;

/** A patient as the app and the API show it (also the API's response schema). */
export const ZPatientView = z.object({
  id: z.string().uuid(),
  firstName: z.string(),
  lastName: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  dateOfBirth: z.string().nullable().describe("YYYY-MM-DD"),
  externalId: z.string().nullable().describe("The EHR's id (MRN)"),
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
