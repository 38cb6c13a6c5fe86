import { z } from "zod";

const optionalTrimmed = (max: number, message?: string) =>
  z
    .string()
    .trim()
    .max(max, message ?? `Use at most ${max} characters.`)
    .transform((value) => (value === "" ? null : value))
    .nullable()
    .optional();

/** YYYY-MM-DD, a real calendar date, not in the future. */
export const ZDateOfBirth = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use the format YYYY-MM-DD.")
  .refine((value) => {
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
  }, "This is not a real date.")
  .refine((value) => value <= new Date().toISOString().slice(0, 10), "A birth date cannot be in the future.")
  .refine((value) => value >= "1900-01-01", "Enter a birth date after 1900.");

export const ZPatientFields = z.object({
  firstName: z.string().trim().min(1, "Enter a first name.").max(100),
  lastName: z.string().trim().min(1, "Enter a last name.").max(100),
  email: z
    .string()
    .trim()
    .toLowerCase()
    .max(254)
    .refine((value) => value === "" || z.string().email().safeParse(value).success, "Enter a valid email address.")
    .transform((value) => (value === "" ? null : value))
    .nullable()
    .optional(),
  phone: optionalTrimmed(40).refine(
    (value) => value === null || value === undefined || /^[+(\d][\d\s().-]{5,}$/.test(value),
    "Enter a valid phone number.",
  ),
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

export const ZListPatientsInput = z.object({
  query: z.string().trim().max(100).optional(),
  includeArchived: z.boolean().default(false),
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
