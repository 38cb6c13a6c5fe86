import { addDays } from "@/lib/invoices/dates";
import type { MembershipSummary } from "@/lib/memberships/memberships.types";
import { formatIsoDate } from "@/components/invoices/invoice-format";
import { Badge } from "@/components/ui/badge";

type MembershipStatus = MembershipSummary["status"];

// The same words and colors as a payment plan's badge: both are autopay, staff read them alike.
const LABELS: Record<MembershipStatus, { label: string; variant: "success" | "warning" | "destructive" | "secondary" | "outline" }> = {
  active: { label: "Active", variant: "success" },
  past_due: { label: "Past due", variant: "warning" },
  paused: { label: "Paused", variant: "secondary" },
  canceled: { label: "Canceled", variant: "secondary" },
  defaulted: { label: "Defaulted", variant: "destructive" },
};

/** A membership's state in words, the same on the patient, membership and list pages; "Ending" when it ends at its period's end. */
export function MembershipStatusBadge({ status, cancelAtPeriodEnd = false }: { status: MembershipStatus; cancelAtPeriodEnd?: boolean }) {
  if (cancelAtPeriodEnd && (status === "active" || status === "past_due" || status === "paused")) {
    return (
      <span className="inline-flex flex-wrap gap-1">
        <Badge variant={LABELS[status].variant}>{LABELS[status].label}</Badge>
        <Badge variant="outline">Ending</Badge>
      </span>
    );
  }
  const { label, variant } = LABELS[status];
  return <Badge variant={variant}>{label}</Badge>;
}

export const MEMBERSHIP_STATUS_LABELS: Record<MembershipStatus, string> = Object.fromEntries(
  Object.entries(LABELS).map(([status, { label }]) => [status, label]),
) as Record<MembershipStatus, string>;

const PERIOD_LABELS = { open: "Due", paid: "Paid", failed: "Failed", canceled: "Not charged" } as const;

export function membershipPeriodStatusLabel(status: keyof typeof PERIOD_LABELS): string {
  return PERIOD_LABELS[status];
}

const INTERVAL_NOUNS = { monthly: "month", yearly: "year" } as const;

/** "$49.00 / month". */
export function perInterval(money: string, interval: keyof typeof INTERVAL_NOUNS): string {
  return `${money} / ${INTERVAL_NOUNS[interval]}`;
}

/**
 * The last day a period covers, for people: periods are [start, end) in the data, but patients and
 * staff read "through Jan 4" (the cancellation email says "will end after" that day too).
 */
export function periodLastDay(periodEnd: string): string {
  return formatIsoDate(addDays(periodEnd, -1));
}

/** "Dec 5, 2026 – Jan 4, 2027": a period with both ends included. */
export function formatPeriod(periodStart: string, periodEnd: string): string {
  return `${formatIsoDate(periodStart)} – ${periodLastDay(periodEnd)}`;
}
