import type { InvoiceStatus } from "@/lib/invoices/invoices.types";
import { Badge, type BadgeProps } from "@/components/ui/badge";
import { STATUS_LABELS } from "./invoice-format";

const VARIANTS: Record<InvoiceStatus, BadgeProps["variant"]> = {
  draft: "secondary",
  open: "outline",
  partially_paid: "warning",
  paid: "success",
  void: "secondary",
  uncollectible: "destructive",
};

/** The invoice's status; an open invoice past due reads "Overdue", a partly paid one gets both. */
export function InvoiceStatusBadge({ status, overdue }: { status: InvoiceStatus; overdue: boolean }) {
  if (overdue && status === "open") return <Badge variant="destructive">Overdue</Badge>;
  return (
    <span className="inline-flex flex-wrap gap-1">
      <Badge variant={VARIANTS[status]}>{STATUS_LABELS[status]}</Badge>
      {overdue && <Badge variant="destructive">Overdue</Badge>}
    </span>
  );
}
