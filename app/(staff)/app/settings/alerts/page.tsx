import type { Metadata } from "next";
import Link from "next/link";
import { History } from "lucide-react";
import { getActiveAlerts } from "@/lib/alerts/get-active-alerts";
import { getAlertRules } from "@/lib/alerts/get-alert-rules";
import { ALERT_RULES } from "@/lib/alerts/alerts.types";
import { updateAlertRulesAction } from "@/lib/actions/alerts/update-alert-rules";
import { requirePageAuth } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { ActiveAlertsBanner } from "@/components/alerts/active-alerts-banner";
import { AlertRulesForm, type AlertRulesFormValues } from "@/components/alerts/alert-rules-form";
import { buttonVariants } from "@/components/ui/button";

export const metadata: Metadata = { title: "Alerts" };

export default async function AlertSettingsPage() {
  const auth = await requirePageAuth("admin");
  const db = await getDb();
  const [rules, active] = await Promise.all([
    getAlertRules(db, { organizationId: auth.organization.id }),
    getActiveAlerts(db, { organizationId: auth.organization.id }),
  ]);
  const values = Object.fromEntries(
    ALERT_RULES.map((rule) => [rule, { enabled: rules[rule].enabled, settings: rules[rule].settings as Record<string, number> }]),
  ) as AlertRulesFormValues;
  return (
    <div className="grid gap-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm text-muted-foreground">
          {active.length === 0 ? "No alert is active right now." : `${active.length} ${active.length === 1 ? "alert is" : "alerts are"} active right now.`}
        </p>
        <Link href="/app/settings/alerts/history" className={buttonVariants({ variant: "outline", size: "sm" })}>
          <History aria-hidden="true" /> Alert history
        </Link>
      </div>
      <ActiveAlertsBanner alerts={active} timeZone={auth.organization.timezone} />
      <AlertRulesForm rules={values} save={updateAlertRulesAction} />
    </div>
  );
}
