import { Badge } from "@/components/ui/badge";

type PlanStatus = "active" | "past_due" | "paused" | "completed" | "canceled" | "defaulted";

const LABELS: Record<PlanStatus, { label: string; variant: "success" | "warning" | "destructive" | "secondary" | "outline" }> = {
  active: { label: "Active", variant: "success" },
  past_due: { label: "Past due", variant: "warning" },
  paused: { label: "Paused", variant: "secondary" },
  completed: { label: "Completed", variant: "outline" },
  canceled: { label: "Canceled", variant: "secondary" },
  defaulted: { label: "Defaulted", variant: "destructive" },
};

/** A payment plan's state in words, the same on the patient, invoice and plan pages. */
export function PlanStatusBadge({ status }: { status: PlanStatus }) {
  const { label, variant } = LABELS[status];
  return <Badge variant={variant}>{label}</Badge>;
}

const INSTALLMENT_LABELS: Record<string, string> = { scheduled: "Scheduled", paid: "Paid", skipped: "Skipped", failed: "Failed", canceled: "Not charged" };

export function installmentStatusLabel(status: string): string {
  return INSTALLMENT_LABELS[status] ?? status;
}
