import Link from "next/link";
import { Plus } from "lucide-react";
import type { MembershipSummary } from "@/lib/memberships/memberships.types";
import { formatMoney } from "@/lib/money/currency";
import { cardLabel } from "@/components/cards/card-label";
import { formatIsoDate } from "@/components/invoices/invoice-format";
import { buttonVariants } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { MembershipStatusBadge, perInterval, periodLastDay } from "./membership-status-badge";

/** What comes next for a membership, in one line: its next charge, when it ends, or that it is paused. */
export function membershipNextLine(membership: MembershipSummary): string {
  const live = membership.status === "active" || membership.status === "past_due" || membership.status === "paused";
  if (!live) return membership.canceledAt ? "Ended" : "Not charged any more";
  if (membership.cancelAtPeriodEnd)
    return membership.currentPeriodEnd ? `Ends after ${periodLastDay(membership.currentPeriodEnd)}` : "Ends at the end of this period";
  if (membership.status === "paused") return "Paused: nothing is charged";
  return membership.nextChargeDate ? `Next charge ${formatIsoDate(membership.nextChargeDate)}` : "No charge scheduled";
}

/** The patient page's memberships: each with its state, price, next charge and card; staff enroll from here. */
export function PatientMembershipsCard({
  patientId,
  memberships,
  canEnroll,
  className,
}: {
  patientId: string;
  memberships: MembershipSummary[];
  canEnroll: boolean;
  className?: string;
}) {
  return (
    <Card className={className} data-testid="patient-memberships">
      <CardHeader>
        <CardTitle>Memberships</CardTitle>
        <CardDescription>A fixed price every month or year, charged to a card on file.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-3">
        {canEnroll && (
          <Link href={`/app/memberships/new?patientId=${patientId}`} className={buttonVariants({ variant: "outline", size: "sm", className: "w-fit" })}>
            <Plus aria-hidden="true" /> Enroll
          </Link>
        )}
        {memberships.length === 0 ? (
          <p className="text-sm text-muted-foreground">No memberships.</p>
        ) : (
          <ul className="grid gap-3 text-sm">
            {memberships.map((membership) => (
              <li key={membership.id} className="grid gap-1 border-t pt-3 first:border-t-0 first:pt-0" data-testid="patient-membership">
                <div className="flex flex-wrap items-center justify-between gap-2">
                  <Link href={`/app/memberships/${membership.id}`} className="min-w-0 font-medium break-words text-primary underline-offset-4 hover:underline">
                    {membership.planName}
                  </Link>
                  <MembershipStatusBadge status={membership.status} cancelAtPeriodEnd={membership.cancelAtPeriodEnd} />
                </div>
                <p className="text-muted-foreground tabular-nums">
                  {perInterval(formatMoney(membership.amount, membership.currency), membership.interval)} ·{" "}
                  <span className="whitespace-nowrap">{membershipNextLine(membership)}</span>
                </p>
                {membership.card && <p className="text-muted-foreground">{cardLabel(membership.card)}</p>}
                {membership.cancelAtPeriodEnd && membership.cancelRequestedBy === "patient_online" && (
                  <p className="text-muted-foreground">Canceled by the patient online.</p>
                )}
              </li>
            ))}
          </ul>
        )}
      </CardContent>
    </Card>
  );
}
