import type { AlertRuleKind } from "@/lib/db/generated/enums";

/** What an alert watches. */
export type { AlertRuleKind };

/** The rules in the order settings and history show them. */
export const ALERT_RULES = [
  "card_failure_rate",
  "webhook_failures",
  "dispute_opened",
  "payment_stuck",
  "email_failed",
] as const satisfies readonly AlertRuleKind[];

export const ALERT_RULE_LABELS: Record<AlertRuleKind, string> = {
  card_failure_rate: "Card failures",
  webhook_failures: "Stripe webhook failures",
  dispute_opened: "Dispute opened",
  payment_stuck: "Stuck payment",
  email_failed: "Email not delivered",
};

/** Where an admin goes to act on an alert of each rule. */
export const ALERT_RULE_LINKS: Record<AlertRuleKind, string> = {
  card_failure_rate: "/app/payments?status=failed",
  webhook_failures: "/app/payments",
  dispute_opened: "/app/disputes?filter=needs_response",
  payment_stuck: "/app/payments",
  email_failed: "/app/mailbox",
};

/** An alert whose condition still holds, for the banner on the dashboard and the analytics page. */
export type ActiveAlert = { id: string; rule: AlertRuleKind; label: string; detail: string; firedAt: string; href: string };

/** One row of the alert history. */
export type AlertHistoryItem = { id: string; rule: AlertRuleKind; label: string; detail: string; firedAt: string; clearedAt: string | null; emailed: boolean };
