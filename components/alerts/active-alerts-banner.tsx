import Link from "next/link";
import { BellRing } from "lucide-react";
import type { ActiveAlert } from "@/lib/alerts/alerts.types";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { ClinicTime } from "@/components/ui/clinic-time";

/**
 * The clinic's active alerts, for admins at the top of the dashboard and the analytics page (the
 * page loads them with getActiveAlerts). Nothing when no alert is active.
 */
export function ActiveAlertsBanner({
  alerts,
  timeZone,
  historyHref = "/app/settings/alerts/history",
}: {
  alerts: ActiveAlert[];
  timeZone: string;
  historyHref?: string;
}) {
  if (alerts.length === 0) return null;
  return (
    <Alert variant="warning" icon={BellRing} data-testid="active-alerts" aria-label={alerts.length === 1 ? "1 active alert" : `${alerts.length} active alerts`}>
      <AlertTitle>{alerts.length === 1 ? "An alert needs your attention" : `${alerts.length} alerts need your attention`}</AlertTitle>
      <AlertDescription>
        <ul className="grid gap-2">
          {alerts.map((alert) => (
            <li key={alert.id} data-testid={`active-alert-${alert.rule}`}>
              <span className="font-medium text-foreground">{alert.label}:</span> {alert.detail}{" "}
              <span className="whitespace-nowrap">
                Since <ClinicTime value={alert.firedAt} timeZone={timeZone} />.
              </span>{" "}
              <Link href={alert.href} className="font-medium whitespace-nowrap text-foreground underline underline-offset-4">
                Look into it<span className="sr-only"> ({alert.label.toLowerCase()})</span>
              </Link>
            </li>
          ))}
        </ul>
        <p>
          Alerts clear by themselves when the condition ends.{" "}
          <Link href={historyHref} className="font-medium text-foreground underline underline-offset-4">
            Alert history
          </Link>
        </p>
      </AlertDescription>
    </Alert>
  );
}
