import type { ClaimStatus } from "@/lib/claims/claims.types";
import { Badge } from "@/components/ui/badge";
import { CLAIM_STATUS_VARIANTS } from "./claim-format";

/** A claim's state as a badge; the label comes with the claim's view (one wording everywhere). */
export function ClaimStatusBadge({ status, label }: { status: ClaimStatus; label: string }) {
  return (
    <Badge variant={CLAIM_STATUS_VARIANTS[status]} data-testid="claim-status">
      {label}
    </Badge>
  );
}
