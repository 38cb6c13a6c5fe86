import { z } from "zod";
import type { AlertRuleKind } from "./alerts.types";

function wholeNumber(label: string, min: number, max: number) {
  return z.coerce
    .number({ message: `Enter ${label} as a number.` })
    .refine(Number.isFinite, `Enter ${label} as a number.`)
    .refine(Number.isInteger, `Enter ${label} as a whole number.`)
    .refine((value) => value >= min && value <= max, `Enter ${label} from ${min.toLocaleString("en-US")} to ${max.toLocaleString("en-US")}.`);
}

/** Every rule: email the admins at most once per this many hours (one email per rule per window). */
const emailIntervalHours = wholeNumber("the email interval", 1, 720);

/**
 * Each rule's thresholds, with the defaults a clinic starts with. The JSON in alert_rules.settings
 * is parsed with these (missing or unreadable values fall back to the defaults).
 */
export const ALERT_RULE_SCHEMAS = {
  /** Card failure rate above `thresholdPercent` over the last `lastAttempts` attempts, or over the last `windowHours` hours; each window needs `minAttempts`. */
  card_failure_rate: z.object({
    thresholdPercent: z.coerce
      .number({ message: "Enter a percentage." })
      .refine(Number.isFinite, "Enter a percentage.")
      .refine((value) => value >= 0.1 && value <= 100, "Enter a percentage from 0.1 to 100.")
      .refine((value) => Math.round(value * 10) === value * 10, "Use at most one decimal place."),
    lastAttempts: wholeNumber("the number of attempts", 10, 10_000),
    windowHours: wholeNumber("the hours", 1, 168),
    minAttempts: wholeNumber("the minimum attempts", 1, 1_000),
    emailIntervalHours,
  }),
  /** More than `maxFailures` Stripe webhook deliveries failed to apply (answered 5xx) in the last `windowHours` hours. */
  webhook_failures: z.object({
    maxFailures: wholeNumber("the number of failures", 0, 10_000),
    windowHours: wholeNumber("the hours", 1, 168),
    emailIntervalHours,
  }),
  /** A dispute (chargeback or inquiry) opened and still waiting for the clinic's response. */
  dispute_opened: z.object({ emailIntervalHours }),
  /** A card or bank payment in `processing` or `requires_action` for more than `hours` hours. */
  payment_stuck: z.object({ hours: wholeNumber("the hours", 1, 720), emailIntervalHours }),
  /** An email (invoice, receipt, invitation…) failed to send in the last `windowHours` hours. */
  email_failed: z.object({ windowHours: wholeNumber("the hours", 1, 720), emailIntervalHours }),
} as const satisfies Record<AlertRuleKind, z.ZodType>;

export type AlertRuleSettings = { [R in AlertRuleKind]: z.infer<(typeof ALERT_RULE_SCHEMAS)[R]> };

export const DEFAULT_ALERT_RULE_SETTINGS: AlertRuleSettings = {
  card_failure_rate: { thresholdPercent: 5, lastAttempts: 100, windowHours: 24, minAttempts: 10, emailIntervalHours: 24 },
  webhook_failures: { maxFailures: 3, windowHours: 24, emailIntervalHours: 24 },
  dispute_opened: { emailIntervalHours: 24 },
  payment_stuck: { hours: 24, emailIntervalHours: 24 },
  email_failed: { windowHours: 24, emailIntervalHours: 24 },
};

/** A rule as a clinic has set it. */
export type ConfiguredAlertRule<R extends AlertRuleKind = AlertRuleKind> = { rule: R; enabled: boolean; settings: AlertRuleSettings[R] };

/** The stored JSON read with the rule's schema, each missing or unreadable value taken from the defaults. */
export function readAlertRuleSettings<R extends AlertRuleKind>(rule: R, stored: unknown): AlertRuleSettings[R] {
  const defaults = DEFAULT_ALERT_RULE_SETTINGS[rule] as Record<string, unknown>;
  const merged: Record<string, unknown> = { ...defaults };
  if (stored && typeof stored === "object" && !Array.isArray(stored)) {
    const shape = ALERT_RULE_SCHEMAS[rule].shape as Record<string, z.ZodType>;
    for (const [key, value] of Object.entries(stored)) {
      const parsed = shape[key]?.safeParse(value);
      if (parsed?.success) merged[key] = parsed.data;
    }
  }
  return merged as AlertRuleSettings[R];
}
