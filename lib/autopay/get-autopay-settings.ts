import type { Db, Tx } from "@/lib/db/client";
import type { AfterLastFailure } from "@/lib/db/generated/enums";

export type AutopaySettingsView = {
  retryDays: number[];
  afterLastFailure: AfterLastFailure;
  reminderDaysBefore: number;
  maxPlanAmount: number | null;
  chargeHour: number;
  timezone: string;
};

/** The defaults an organization has until it saves its own settings. */
export const DEFAULT_AUTOPAY_SETTINGS = {
  retryDays: [1, 3, 7],
  afterLastFailure: "past_due",
  reminderDaysBefore: 3,
  maxPlanAmount: null,
  chargeHour: 8,
} as const;

/** An organization's autopay rules (its row, else the defaults) with its time zone. */
export async function getAutopaySettings(db: Db | Tx, organizationId: string): Promise<AutopaySettingsView> {
  const organization = await db.organization.findUniqueOrThrow({
    where: { id: organizationId },
    select: { timezone: true, autopaySettings: true },
  });
  const row = organization.autopaySettings;
  return {
    retryDays: row ? [...row.retryDays] : [...DEFAULT_AUTOPAY_SETTINGS.retryDays],
    afterLastFailure: row?.afterLastFailure ?? DEFAULT_AUTOPAY_SETTINGS.afterLastFailure,
    reminderDaysBefore: row?.reminderDaysBefore ?? DEFAULT_AUTOPAY_SETTINGS.reminderDaysBefore,
    maxPlanAmount: row ? row.maxPlanAmount : DEFAULT_AUTOPAY_SETTINGS.maxPlanAmount,
    chargeHour: row?.chargeHour ?? DEFAULT_AUTOPAY_SETTINGS.chargeHour,
    timezone: organization.timezone,
  };
}
