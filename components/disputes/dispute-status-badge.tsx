import type { DisputeStatus } from "@/lib/disputes/disputes.types";
import { DISPUTE_STATUS_LABELS } from "@/lib/disputes/dispute-status";
import { evidenceDeadline } from "@/lib/disputes/deadline";
import { Badge } from "@/components/ui/badge";

const VARIANTS: Record<DisputeStatus, "destructive" | "warning" | "secondary" | "success" | "outline"> = {
  needs_response: "destructive",
  warning_needs_response: "warning",
  under_review: "secondary",
  warning_under_review: "secondary",
  won: "success",
  warning_closed: "outline",
  lost: "destructive",
};

export function DisputeStatusBadge({ status }: { status: DisputeStatus }) {
  return <Badge variant={VARIANTS[status]}>{DISPUTE_STATUS_LABELS[status]}</Badge>;
}

/** The evidence deadline as a badge while the clinic still has to answer; nothing once answered or closed. */
export function DeadlineBadge({ dueBy, open }: { dueBy: Date | null; open: boolean }) {
  const deadline = open ? evidenceDeadline(dueBy) : null;
  if (!deadline) return null;
  return <Badge variant={deadline.tone === "ok" ? "secondary" : deadline.tone === "warning" ? "warning" : "destructive"}>{deadline.label}</Badge>;
}
