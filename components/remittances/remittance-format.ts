import type { BadgeProps } from "@/components/ui/badge";
import type { RemittanceStatus } from "@/lib/remittances/remittances.types";

/** A remittance's state in words: one wording for the list, the detail page and the claim page. */
export const REMITTANCE_STATUS_LABELS: Record<RemittanceStatus, string> = {
  received: "Received, not all posted",
  needs_review: "Needs review",
  posted: "Posted",
};

export const REMITTANCE_STATUS_VARIANTS: Record<RemittanceStatus, NonNullable<BadgeProps["variant"]>> = {
  received: "outline",
  needs_review: "warning",
  posted: "success",
};

/** "99213 25 59" (the code and its modifiers, as a biller reads them). */
export function procedureLabel(code: string, modifiers: readonly string[]): string {
  return [code, ...modifiers].join(" ");
}
