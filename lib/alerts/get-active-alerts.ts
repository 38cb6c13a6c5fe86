import type { Db } from "@/lib/db/client";
import { ALERT_RULE_LABELS, ALERT_RULE_LINKS, type ActiveAlert } from "./alerts.types";

/** The organization's alerts whose condition still held at the last evaluation, newest first (for the banner). */
export async function getActiveAlerts(db: Db, options: { organizationId: string }): Promise<ActiveAlert[]> {
  const alerts = await db.alert.findMany({
    where: { organizationId: options.organizationId, activeRule: { not: null } },
    orderBy: { firedAt: "desc" },
    select: { id: true, rule: true, detail: true, firedAt: true },
  });
  return alerts.map((alert) => ({
    id: alert.id,
    rule: alert.rule,
    label: ALERT_RULE_LABELS[alert.rule],
    detail: alert.detail,
    firedAt: alert.firedAt.toISOString(),
    href: ALERT_RULE_LINKS[alert.rule],
  }));
}
