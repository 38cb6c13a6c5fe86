import { z } from "zod";
import type { Db } from "@/lib/db/client";
import type { AuditActor } from "@/lib/audit/record-audit-event";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { zSingleLineText } from "@/lib/validation/fields";
import { toE164 } from "@/lib/validation/phone";

const CURRENCIES = new Set(Intl.supportedValuesOf("currency"));
const TIME_ZONES = new Set([...Intl.supportedValuesOf("timeZone"), "UTC"]);

const optionalText = (max: number) =>
  zSingleLineText()
    .max(max, `Use at most ${max} characters.`)
    .transform((value) => (value === "" ? null : value))
    .nullable()
    .optional();

function isHttpsUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "https:" && url.hostname.includes(".") && !url.username && !url.password;
  } catch {
    return false;
  }
}

export const ZUpdateOrganizationInput = z
  .object({
    name: zSingleLineText().min(1, "Enter the clinic's name.").max(200),
    addressLine1: optionalText(200),
    addressLine2: optionalText(200),
    city: optionalText(100),
    region: optionalText(100),
    postalCode: optionalText(20),
    country: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{2}$/, "Use a two-letter country code, e.g. US."),
    currency: z
      .string()
      .trim()
      .toUpperCase()
      .refine((code) => CURRENCIES.has(code), "Choose a valid ISO 4217 currency, e.g. USD."),
    timezone: z.string().refine((zone) => TIME_ZONES.has(zone), "Choose a valid time zone."),
    /** The clinic's phone for patients; a valid number, stored in E.164 (the country above is the default). */
    phone: optionalText(40),
    /** The clinic's email for patients. */
    email: optionalText(254)
      .transform((value) => value?.toLowerCase() ?? value)
      .refine((value) => !value || z.email().safeParse(value).success, "Enter a valid email address, e.g. billing@clinic.com."),
    /** The clinic's website: an https URL ("sunriseclinic.com" is read as https://sunriseclinic.com). */
    website: optionalText(200)
      .transform((value) => (value && !/^[a-z][a-z0-9+.-]*:/i.test(value) ? `https://${value}` : value))
      .refine((value) => !value || isHttpsUrl(value), "Enter the website's https:// address, e.g. https://sunriseclinic.com."),
    /** `manual`: pay-page card payments are only authorized; staff capture or release them later. Omitted: unchanged. */
    cardCaptureMethod: z.enum(["automatic", "manual"], "Choose how card payments are charged.").optional(),
    /** Apply a patient's credit balance when one of their invoices is finalized. Omitted: unchanged. */
    autoApplyCredit: z.boolean("Choose whether to apply patient credit automatically.").optional(),
  })
  // A phone without a country code is read in the clinic's country. A refinement (not a failing
  // transform) so a bad phone is reported together with the other fields' errors.
  .superRefine((input, context) => {
    if (input.phone && toE164(input.phone, input.country) === null) {
      context.addIssue({ code: "custom", path: ["phone"], message: "Enter a valid phone number with its area code, e.g. (503) 555-0142." });
    }
  })
  .transform((input) => (input.phone ? { ...input, phone: toE164(input.phone, input.country) } : input));
export type TUpdateOrganizationInput = z.input<typeof ZUpdateOrganizationInput>;

export async function updateOrganization(db: Db, options: { organizationId: string; actor: AuditActor; input: TUpdateOrganizationInput }): Promise<void> {
  const input = ZUpdateOrganizationInput.parse(options.input);
  await db.$transaction(async (tx) => {
    const before = await tx.organization.findUniqueOrThrow({ where: { id: options.organizationId } });
    const after = await tx.organization.update({ where: { id: options.organizationId }, data: input });
    const changed = Object.fromEntries(
      Object.keys(input)
        .filter((key) => input[key as keyof typeof input] !== undefined)
        .filter((key) => before[key as keyof typeof before] !== after[key as keyof typeof after])
        .map((key) => [key, { before: before[key as keyof typeof before], after: after[key as keyof typeof after] }]),
    );
    if (Object.keys(changed).length === 0) return;
    await recordAuditEvent(tx, {
      organizationId: options.organizationId,
      actor: options.actor,
      action: "organization.updated",
      target: { type: "organization", id: options.organizationId },
      before: Object.fromEntries(Object.entries(changed).map(([key, value]) => [key, value.before as string | boolean | null])),
      after: Object.fromEntries(Object.entries(changed).map(([key, value]) => [key, value.after as string | boolean | null])),
    });
  });
}

export const SUPPORTED_CURRENCIES = [...CURRENCIES];
export const SUPPORTED_TIME_ZONES = [...TIME_ZONES].sort();
