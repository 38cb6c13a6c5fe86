import { z } from "zod";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import type { Db } from "@/lib/db/client";
import { sql, sqlOf } from "@/lib/db/sql";
import { formatMoney, MAX_AMOUNT, parseMoneyInput } from "@/lib/money/currency";
import { getAutopaySettings, type AutopaySettingsView } from "./get-autopay-settings";

export const AFTER_LAST_FAILURE_OPTIONS = ["past_due", "defaulted"] as const;
export const MAX_RETRY_ATTEMPTS = 3;
export const MAX_RETRY_DAY = 30;
export const MAX_REMINDER_DAYS = 14;

/**
 * The settings form as it is sent (numbers may come as text): retry days as "1, 3, 7" or a list,
 * the largest plan as what the admin typed in the clinic's currency ("2,500.00"; empty for no limit)
 * or integer minor units.
 */
export const ZUpdateAutopaySettingsInput = z.strictObject({
  retryDays: z.union([z.string(), z.array(z.union([z.number(), z.string()]))]),
  afterLastFailure: z.enum(AFTER_LAST_FAILURE_OPTIONS, { message: "Choose what a plan becomes after its last failed attempt." }),
  reminderDaysBefore: z.union([z.string(), z.number()]),
  maxPlanAmount: z.union([z.string(), z.number(), z.null()]),
  chargeHour: z.union([z.string(), z.number()]),
});
export type TUpdateAutopaySettingsInput = z.input<typeof ZUpdateAutopaySettingsInput>;

/** The settings as the API answers them (GET and PATCH /api/v1/autopay-settings). */
export const ZAutopaySettingsView = z.object({
  retryDays: z.array(z.number().int()).describe("Days after the due date a soft-declined charge is tried again, increasing (1–3 days, each 1–30)"),
  afterLastFailure: z
    .enum(AFTER_LAST_FAILURE_OPTIONS)
    .describe("What a plan or membership becomes after its last failed attempt: past_due keeps it going, defaulted stops it"),
  reminderDaysBefore: z.number().int().describe("Days before each charge the patient is emailed a reminder (0–14; 0: none)"),
  maxPlanAmount: z.number().int().nullable().describe("The largest plan staff may create, minor units of the clinic's currency; null for no limit"),
  chargeHour: z.number().int().describe("The hour of the clinic's day (0–23, in `timezone`) charges go out"),
  timezone: z.string().describe("The organization's IANA time zone"),
});

/** A change over the API: any of the settings, JSON numbers (money in minor units); the others stay as they are. */
export const ZPatchAutopaySettingsBody = z.strictObject({
  retryDays: z.array(z.number().int()).optional(),
  afterLastFailure: z.enum(AFTER_LAST_FAILURE_OPTIONS, { message: "Choose past_due or defaulted." }).optional(),
  reminderDaysBefore: z.number().int().optional(),
  maxPlanAmount: z.number().int().nullable().optional(),
  chargeHour: z.number().int().optional(),
});
export type TPatchAutopaySettingsBody = z.infer<typeof ZPatchAutopaySettingsBody>;

type SavedAutopaySettings = Omit<AutopaySettingsView, "timezone">;

/** A whole number from a form value ("7", 7); NaN for anything else ("7.5", "", "seven"). */
function wholeNumber(value: string | number): number {
  if (typeof value === "number") return Number.isInteger(value) ? value : Number.NaN;
  const text = value.trim();
  return /^\d+$/.test(text) ? Number(text) : Number.NaN;
}

function integerIn(label: string, min: number, max: number) {
  return z.union([z.string(), z.number()]).transform((value, context) => {
    const number = wholeNumber(value);
    if (Number.isNaN(number) || number < min || number > max) {
      context.addIssue({ code: "custom", message: `Enter ${label} as a whole number from ${min} to ${max}.` });
      return z.NEVER;
    }
    return number;
  });
}

/** The rules every saved setting keeps, with the clinic's currency for the largest plan. */
function autopaySettingsSchema(currency: string) {
  return z.strictObject({
    retryDays: z.union([z.string(), z.array(z.union([z.number(), z.string()]))]).transform((value, context) => {
      const parts = typeof value === "string" ? value.split(/[\s,;]+/).filter((part) => part !== "") : value;
      const days = parts.map((part) => wholeNumber(part));
      const fail = (message: string) => {
        context.addIssue({ code: "custom", message });
        return z.NEVER;
      };
      if (days.length === 0) return fail(`Enter 1 to ${MAX_RETRY_ATTEMPTS} retry days, e.g. "1, 3, 7".`);
      if (days.length > MAX_RETRY_ATTEMPTS) return fail(`At most ${MAX_RETRY_ATTEMPTS} retries: enter up to ${MAX_RETRY_ATTEMPTS} days, e.g. "1, 3, 7".`);
      if (days.some((day) => Number.isNaN(day) || day < 1 || day > MAX_RETRY_DAY))
        return fail(`Each retry day is a whole number of days after the due date, from 1 to ${MAX_RETRY_DAY}.`);
      if (days.some((day, index) => index > 0 && day <= days[index - 1]!)) return fail('List the days in increasing order, each once, e.g. "1, 3, 7".');
      return days;
    }),
    afterLastFailure: z.enum(AFTER_LAST_FAILURE_OPTIONS, { message: "Choose what a plan becomes after its last failed attempt." }),
    reminderDaysBefore: integerIn("the days", 0, MAX_REMINDER_DAYS),
    maxPlanAmount: z.union([z.string(), z.number(), z.null()]).transform((value, context) => {
      if (value === null || (typeof value === "string" && value.trim() === "")) return null;
      const amount = typeof value === "number" ? value : parseMoneyInput(value, currency);
      if (amount === null || !Number.isSafeInteger(amount) || amount < 1 || amount > MAX_AMOUNT) {
        context.addIssue({
          code: "custom",
          message: `Enter an amount in ${currency} up to ${formatMoney(MAX_AMOUNT, currency)}, e.g. ${formatMoney(250_000, currency)}, or leave it empty for no limit.`,
        });
        return z.NEVER;
      }
      return amount;
    }),
    chargeHour: integerIn("the hour", 0, 23),
  });
}

function sameSettings(a: SavedAutopaySettings, b: SavedAutopaySettings): boolean {
  return (
    a.retryDays.join(",") === b.retryDays.join(",") &&
    a.afterLastFailure === b.afterLastFailure &&
    a.reminderDaysBefore === b.reminderDaysBefore &&
    a.maxPlanAmount === b.maxPlanAmount &&
    a.chargeHour === b.chargeHour
  );
}

/**
 * Saves an organization's autopay rules (the engine reads them at its next run: retries and the
 * charge hour apply to charges scheduled from then on, the reminder days and the largest amount to
 * plans created from then on) and records one audit event with the settings before and after.
 * Nothing is written when nothing changed. Bad input throws a ZodError naming each field.
 */
export async function updateAutopaySettings(
  db: Db,
  options: {
    organizationId: string;
    actor: AuditActor;
    /** The settings, or (for a partial change) a function of the current ones, applied under the lock. */
    input: TUpdateAutopaySettingsInput | ((current: SavedAutopaySettings) => TUpdateAutopaySettingsInput);
  },
): Promise<{ changed: boolean; settings: AutopaySettingsView }> {
  const { organizationId } = options;
  return db.$transaction(async (tx) => {
    // Locks the organization's row, so two admins saving at once are applied one after the other (each audit's "before" is true).
    const [organization] = await sqlOf(tx).query<{ currency: string }>(sql`SELECT currency FROM organizations WHERE id = ${organizationId}::uuid FOR UPDATE`);
    if (!organization) throw new Error(`updateAutopaySettings: no organization ${organizationId}`);
    const { timezone, ...before } = await getAutopaySettings(tx, organizationId);
    const next = autopaySettingsSchema(organization.currency).parse(typeof options.input === "function" ? options.input(before) : options.input);
    if (sameSettings(before, next)) return { changed: false, settings: { ...before, timezone } };
    await tx.autopaySettings.upsert({ where: { organizationId }, create: { organizationId, ...next }, update: next });
    await recordAuditEvent(tx, {
      organizationId,
      actor: options.actor,
      action: "autopay_settings.updated",
      target: { type: "organization", id: organizationId },
      before,
      after: next,
    });
    return { changed: true, settings: { ...next, timezone } };
  });
}
