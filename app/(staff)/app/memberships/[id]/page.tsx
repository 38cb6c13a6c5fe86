import type { Metadata } from "next";
import Link from "next/link";
import { ChevronLeft, FileText } from "lucide-react";
import { getDb } from "@/lib/db/client";
import { requirePageAuth } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/roles";
import { formatMoney } from "@/lib/money/currency";
import { orNotFound } from "@/lib/http/or-not-found";
import { getMembershipOrThrow } from "@/lib/memberships/get-membership";
import { listPlanOptions } from "@/lib/payment-plans/list-plan-options";
import {
  cancelMembershipAction,
  changeMembershipCardAction,
  pauseMembershipAction,
  resumeMembershipAction,
  undoCancelAtPeriodEndAction,
} from "@/lib/actions/memberships/manage-membership";
import { cardLabel } from "@/components/cards/card-label";
import { formatDate, formatIsoDate } from "@/components/invoices/invoice-format";
import { MembershipActions } from "@/components/memberships/membership-actions";
import { formatPeriod, membershipPeriodStatusLabel, MembershipStatusBadge, perInterval, periodLastDay } from "@/components/memberships/membership-status-badge";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";

export const metadata: Metadata = { title: "Membership" };

const DECLINE_LABELS = { soft: "declined, retried", hard: "declined, not retried", authentication_required: "needs the patient's bank confirmation" } as const;
const CANCELED_BY = { patient_online: "the patient, from their card link", staff_on_behalf: "staff" } as const;

export default async function MembershipPage({ params }: { params: Promise<{ id: string }> }) {
  const auth = await requirePageAuth("viewer");
  const db = await getDb();
  const timeZone = auth.organization.timezone;
  const membership = await orNotFound((await params).id, (membershipId) => getMembershipOrThrow(db, { organizationId: auth.organization.id, membershipId }));
  const canWrite = hasRole(auth.role, "billing");
  const live = membership.status === "active" || membership.status === "past_due" || membership.status === "paused";
  const { cards } = canWrite && live ? await listPlanOptions(db, { organizationId: auth.organization.id, patientId: membership.patientId }) : { cards: [] };
  const money = (amount: number) => formatMoney(amount, membership.currency);
  // The last day the current period covers: a cancellation at period end takes effect after it.
  const lastDayLabel = membership.currentPeriodEnd && periodLastDay(membership.currentPeriodEnd);
  const ending = live && membership.cancelAtPeriodEnd;

  const facts: [string, string][] = [
    ["Plan", membership.planName],
    ["Price", perInterval(money(membership.amount), membership.interval)],
    ["Started", formatIsoDate(membership.startDate)],
    [
      "Current period",
      membership.currentPeriodStart && membership.currentPeriodEnd
        ? formatPeriod(membership.currentPeriodStart, membership.currentPeriodEnd)
        : "Not started yet",
    ],
    [
      ending ? "Ends" : "Next charge",
      ending
        ? lastDayLabel
          ? `After ${lastDayLabel}`
          : "At the end of this period"
        : membership.status === "paused"
          ? "None while paused"
          : membership.nextChargeDate
            ? formatIsoDate(membership.nextChargeDate)
            : "None",
    ],
    ["Card", membership.card ? cardLabel(membership.card) : "The patient's default card, once they add one"],
  ];
  if (membership.canceledAt) facts.push(["Canceled", formatDate(membership.canceledAt, timeZone)]);

  return (
    // One shrinkable column: a wide table scrolls inside its card instead of widening the page on a phone.
    <div className="grid grid-cols-1 gap-6">
      <Link href={`/app/patients/${membership.patientId}`} className="inline-flex w-fit items-center gap-1 text-sm text-muted-foreground hover:text-foreground">
        <ChevronLeft aria-hidden="true" className="size-4" /> {membership.patientName}
      </Link>
      <PageHeader
        title={
          <span className="flex flex-wrap items-center gap-3">
            {membership.planName}
            <MembershipStatusBadge status={membership.status} cancelAtPeriodEnd={membership.cancelAtPeriodEnd} />
          </span>
        }
        description={`${membership.patientName}'s membership: each period is invoiced and charged to the card on file at its start.`}
        actions={
          canWrite && (
            <MembershipActions
              membershipId={membership.id}
              status={membership.status}
              cancelAtPeriodEnd={membership.cancelAtPeriodEnd}
              lastDayLabel={lastDayLabel}
              currency={membership.currency}
              refundableAmount={membership.refundableAmount}
              suggestedRefund={membership.suggestedRefund}
              cards={cards.map((card) => ({ id: card.id, label: cardLabel(card) }))}
              currentCardId={membership.card?.id ?? null}
              actions={{
                pause: pauseMembershipAction,
                resume: resumeMembershipAction,
                undoCancel: undoCancelAtPeriodEndAction,
                cancel: cancelMembershipAction,
                changeCard: changeMembershipCardAction,
              }}
            />
          )
        }
      />
      {ending && (
        <Alert variant="warning" data-testid="membership-ending">
          <AlertDescription>
            Canceled by {membership.cancelRequestedBy ? CANCELED_BY[membership.cancelRequestedBy] : "staff"}: the membership ends after{" "}
            {lastDayLabel ?? "the last day of this period"}. Nothing more is charged.
          </AlertDescription>
        </Alert>
      )}
      {membership.status === "past_due" && (
        <Alert variant="warning">
          <AlertDescription>
            The last charge failed. It is retried automatically; the patient was asked to update their card if the bank refused it.
          </AlertDescription>
        </Alert>
      )}
      <Card>
        <CardContent className="pt-4 sm:pt-6">
          <dl className="grid gap-3 sm:grid-cols-2" data-testid="membership-facts">
            {facts.map(([label, value]) => (
              <div key={label} className="min-w-0">
                <dt className="text-sm text-muted-foreground">{label}</dt>
                <dd className="font-medium break-words">{value}</dd>
              </div>
            ))}
          </dl>
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Periods</CardTitle>
        </CardHeader>
        <CardContent>
          {membership.periods.length === 0 ? (
            <EmptyState
              icon={FileText}
              title="Nothing invoiced yet"
              description={
                membership.nextChargeDate
                  ? `The first period is invoiced and charged on ${formatIsoDate(membership.nextChargeDate)}.`
                  : "No period has started."
              }
            />
          ) : (
            <Table className="[&_td]:px-2 [&_th]:px-2 sm:[&_td]:px-3 sm:[&_th]:px-3">
              <TableHeader>
                <TableRow>
                  <TableHead>Period</TableHead>
                  <TableHead className="hidden sm:table-cell">Invoice</TableHead>
                  <TableHead>Status</TableHead>
                  <TableHead className="text-right">Amount</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {membership.periods.map((period) => {
                  const last = period.attempts.at(-1);
                  const invoiceLink = (
                    <Link href={`/app/invoices/${period.invoiceId}`} className="text-primary underline-offset-4 hover:underline">
                      {period.invoiceNumber ?? "Invoice"}
                    </Link>
                  );
                  return (
                    <TableRow key={period.id} data-testid="membership-period">
                      <TableCell>
                        {/* Two lines on a phone, one where there is room. */}
                        <span className="block whitespace-nowrap sm:inline">{formatIsoDate(period.periodStart)} –</span>{" "}
                        <span className="block whitespace-nowrap sm:inline">{periodLastDay(period.periodEnd)}</span>
                        <span className="mt-0.5 block sm:hidden">{invoiceLink}</span>
                      </TableCell>
                      <TableCell className="hidden whitespace-nowrap sm:table-cell">{invoiceLink}</TableCell>
                      <TableCell>
                        {membershipPeriodStatusLabel(period.status)}
                        {period.paidAt && <span className="block text-sm text-muted-foreground">{formatDate(period.paidAt, timeZone)}</span>}
                        {period.status !== "paid" && last?.declineKind && (
                          <span className="block text-sm text-muted-foreground">
                            Attempt {last.attempt}: {DECLINE_LABELS[last.declineKind]}
                            {last.declineCode ? ` (${last.declineCode.replaceAll("_", " ")})` : ""}
                          </span>
                        )}
                        {period.status === "open" && last?.status === "scheduled" && (
                          <span className="block text-sm text-muted-foreground">Next try {formatDate(last.scheduledFor, timeZone)}</span>
                        )}
                      </TableCell>
                      <TableCell className="text-right tabular-nums">{money(period.amount)}</TableCell>
                    </TableRow>
                  );
                })}
              </TableBody>
            </Table>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
