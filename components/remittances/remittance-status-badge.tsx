import type { RemittanceStatus } from "@/lib/remittances/remittances.types";
import { Badge } from "@/components/ui/badge";
import { REMITTANCE_STATUS_LABELS, REMITTANCE_STATUS_VARIANTS } from "./remittance-format";

/** A remittance's state as a badge. */
export function RemittanceStatusBadge({ status }: { status: RemittanceStatus }) {
  return (
    <Badge variant={REMITTANCE_STATUS_VARIANTS[status]} data-testid="remittance-status">
      {REMITTANCE_STATUS_LABELS[status]}
    </Badge>
  );
}
