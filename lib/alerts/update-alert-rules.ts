import { z } from "zod";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import type { Db } from "@/lib/db/client";
import { ALERT_RULE_SCHEMAS } from "./alert-rules";
import { ALERT_RULES, type AlertRuleKind } from "./alerts.types";
import { getAlertRules } from "./get-alert-rules";

const enabled = z.boolean({ message: "Choose on or off." });

/** Every rule's switch and thresholds, as the settings form sends them (numbers may come as text). */
export const ZUpdateAlertRulesInput = z.strictObject({
  card_failure_rate: ALERT_RULE_SCHEMAS.card_failure_rate.extend({ enabled }),
  webhook_failures: ALERT_RULE_SCHEMAS.webhook_failures.extend({ enabled }),
  dispute_opened: ALERT_RULE_SCHEMAS.dispute_opened.extend({ enabled }),
  payment_stuck: ALERT_RULE_SCHEMAS.payment_stuck.extend({ enabled }),
  email_failed: ALERT_RULE_SCHEMAS.email_failed.extend({ enabled }),
});
export type TUpdateAlertRulesInput = z.input<typeof ZUpdateAlertRulesInput>;

type RuleState = { enabled: boolean; settings: Record<string, unknown> };

function sameRule(a: RuleState, b: RuleState): boolean {
  const keys = new Set([...Object.keys(a.settings), ...Object.keys(b.settings)]);
  return a.enabled === b.enabled && [...keys].every((key) => a.settings[key] === b.settings[key]);
}

/**
 * Saves the organization's alert rules and records one audit event with what changed (before and
 * after of each changed rule); nothing is written when nothing changed. Returns the rules changed.
 */
export async function updateAlertRules(
  db: Db,
  options: { organizationId: string; actor: AuditActor; input: TUpdateAlertRulesInput },
): Promise<{ changed: AlertRuleKind[] }> {
  const input = ZUpdateAlertRulesInput.parse(options.input);
  return db.$transaction(async (tx) => {
    const current = await getAlertRules(tx, { organizationId: options.organizationId });
    const before: Record<string, RuleState> = {};
    const after: Record<string, RuleState> = {};
    for (const rule of ALERT_RULES) {
      const { enabled: nextEnabled, ...settings } = input[rule];
      const next: RuleState = { enabled: nextEnabled, settings };
      const previous: RuleState = { enabled: current[rule].enabled, settings: current[rule].settings };
      if (sameRule(previous, next)) continue;
      before[rule] = previous;
      after[rule] = next;
      await tx.alertRule.upsert({
        where: { organizationId_rule: { organizationId: options.organizationId, rule } },
        create: { organizationId: options.organizationId, rule, enabled: next.enabled, settings: settings as object },
        update: { enabled: next.enabled, settings: settings as object },
      });
    }
    const changed = Object.keys(after) as AlertRuleKind[];
    if (changed.length > 0) {
      await recordAuditEvent(tx, {
        organizationId: options.organizationId,
        actor: options.actor,
        action: "alert_rules.updated",
        target: { type: "organization", id: options.organizationId },
        before: before as object,
        after: after as object,
      });
    }
    return { changed };
  });
}
