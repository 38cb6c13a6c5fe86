import type { Db, Tx } from "@/lib/db/client";
import { readAlertRuleSettings, type ConfiguredAlertRule } from "./alert-rules";
import { ALERT_RULES, type AlertRuleKind } from "./alerts.types";

export type ConfiguredAlertRules = { [R in AlertRuleKind]: ConfiguredAlertRule<R> };

/**
 * The organization's alert rules, every rule present: the rows it has, with defaults for rules it
 * has no row for yet (and for values a row lacks). Reads only; rows are made by
 * `ensureAlertRules` and by saving the settings.
 */
export async function getAlertRules(db: Db | Tx, options: { organizationId: string }): Promise<ConfiguredAlertRules> {
  const rows = await db.alertRule.findMany({ where: { organizationId: options.organizationId } });
  const byRule = new Map(rows.map((row) => [row.rule, row]));
  const rule = <R extends AlertRuleKind>(kind: R): ConfiguredAlertRule<R> => {
    const row = byRule.get(kind);
    return { rule: kind, enabled: row?.enabled ?? true, settings: readAlertRuleSettings(kind, row?.settings) };
  };
  return Object.fromEntries(ALERT_RULES.map((kind) => [kind, rule(kind)])) as ConfiguredAlertRules;
}

/** Writes the default row of each rule the organization has none for (lazily, the first time alerts are evaluated). */
export async function ensureAlertRules(db: Db | Tx, options: { organizationId: string }): Promise<void> {
  await db.alertRule.createMany({
    data: ALERT_RULES.map((rule) => ({ organizationId: options.organizationId, rule, enabled: true, settings: readAlertRuleSettings(rule, {}) })),
    skipDuplicates: true,
  });
}
