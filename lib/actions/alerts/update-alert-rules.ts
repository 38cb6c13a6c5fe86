"use server";

import { evaluateAlerts } from "@/lib/alerts/evaluate-alerts";
import { updateAlertRules, ZUpdateAlertRulesInput } from "@/lib/alerts/update-alert-rules";
import { getDb } from "@/lib/db/client";
import { authedAction } from "@/lib/http/action";
import { refreshStaffPages } from "../refresh-staff-pages";

/**
 * Admins only. Saves the rules, then evaluates them at once, so the dashboard's banner follows the
 * new thresholds now rather than at the next minute's run.
 */
export const updateAlertRulesAction = authedAction({ name: "alert_rules.update", role: "admin", schema: ZUpdateAlertRulesInput }, async (input, auth) => {
  const db = await getDb();
  const result = await updateAlertRules(db, { organizationId: auth.organization.id, actor: auth.actor, input });
  await evaluateAlerts(db, { organizationId: auth.organization.id, now: new Date() });
  refreshStaffPages();
  return result;
});
