import type { Metadata } from "next";
import Link from "next/link";
import { BadgeCheck, Settings } from "lucide-react";
import { getDb } from "@/lib/db/client";
import { requirePageAuth } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/roles";
import { formatMoney } from "@/lib/money/currency";
import { listMemberships } from "@/lib/memberships/get-membership";
import { listMembershipPlans } from "@/lib/memberships/membership-plans";
import { MEMBERSHIP_STATUSES, type MembershipSummary } from "@/lib/memberships/memberships.types";
import { listHref } from "@/lib/search/list-params";
import { formatIsoDate } from "@/components/invoices/invoice-format";
import { MembershipStatusBadge, perInterval, periodLastDay } from "@/components/memberships/membership-status-badge";
import { ClearFiltersLink, ListPageLinks } from "@/components/search/list-pages";
import { buttonVariants } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { cn } from "@/lib/utils/cn";

export const metadata: Metadata = { title: "Memberships" };

const PAGE_SIZE = 25;
const TABS: { value: MembershipSummary["status"] | undefined; label: string }[] = [
  { value: undefined, label: "All" },
  { value: "active", label: "Active" },
  { value: "past_due", label: "Past due" },
  { value: "paused", label: "Paused" },
  { value: "canceled", label: "Canceled" },
  { value: "defaulted", label: "Defaulted" },
];

const one = (value: string | string[] | undefined) => (typeof value === "string" && value !== "" ? value : undefined);

/** What the row says about money to come: the next charge, or when an ending membership ends. */
function nextLabel(membership: MembershipSummary): string {
  if (membership.cancelAtPeriodEnd && membership.currentPeriodEnd) return `Ends after ${periodLastDay(membership.currentPeriodEnd)}`;
  if (membership.status === "paused") return "Paused";
  if (membership.nextChargeDate) return formatIsoDate(membership.nextChargeDate);
  return "—";
}

export default async function MembershipsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const auth = await requirePageAuth("viewer");
  const params = await searchParams;
  const statusParam = one(params.status);
  const status = MEMBERSHIP_STATUSES.find((value) => value === statusParam);
  const cursor = one(params.cursor);
  const db = await getDb();
  const [page, plans] = await Promise.all([
    listMemberships(db, { organizationId: auth.organization.id, status, cursor, limit: PAGE_SIZE }),
    listMembershipPlans(db, { organizationId: auth.organization.id }),
  ]);
  const href = (changes: { status?: string; cursor?: string }) => listHref("/app/memberships", { status, ...changes });
  const isAdmin = hasRole(auth.role, "admin");

  return (
    <div className="grid grid-cols-1 gap-6">
      <PageHeader
        title="Memberships"
        description="Patients on a membership plan, charged every month or year to their card on file. Enroll a patient from their page."
        actions={
          isAdmin && (
            <Link href="/app/settings/membership-plans" className={buttonVariants({ variant: "outline" })}>
              <Settings aria-hidden="true" /> Membership plans
            </Link>
          )
        }
      />
      <nav aria-label="Filter memberships" className="flex flex-wrap gap-2">
        {TABS.map((tab) => (
          <Link
            key={tab.label}
            href={href({ status: tab.value })}
            aria-current={status === tab.value ? "page" : undefined}
            className={cn(buttonVariants({ variant: status === tab.value ? "secondary" : "ghost", size: "sm" }))}
          >
            {tab.label}
          </Link>
        ))}
      </nav>
      <Card>
        <CardContent className="grid gap-4 pt-4 sm:pt-6">
          {page.data.length === 0 ? (
            <EmptyState
              icon={BadgeCheck}
              title={status || cursor ? "No memberships here" : "No memberships yet"}
              description={
                status || cursor
                  ? "Nothing matches this filter."
                  : plans.length === 0
                    ? "Create a membership plan first, then enroll patients from their page."
                    : "Enroll a patient from their page: open the patient, then choose Enroll under Memberships."
              }
              action={
                status || cursor ? (
                  <ClearFiltersLink href="/app/memberships" label="Show all memberships" />
                ) : (
                  plans.length === 0 &&
                  isAdmin && (
                    <Link href="/app/settings/membership-plans" className={buttonVariants({ variant: "outline" })}>
                      Create a membership plan
                    </Link>
                  )
                )
              }
            />
          ) : (
            <Table className="[&_td]:px-2 [&_th]:px-2 sm:[&_td]:px-3 sm:[&_th]:px-3">
              <TableHeader>
                <TableRow>
                  <TableHead>Patient</TableHead>
                  <TableHead className="hidden md:table-cell">Plan</TableHead>
                  <TableHead className="hidden md:table-cell">Status</TableHead>
                  <TableHead className="hidden sm:table-cell">Next charge</TableHead>
                  <TableHead className="text-right">Price</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {page.data.map((membership) => (
                  <TableRow key={membership.id} data-testid="membership-row">
                    <TableCell className="min-w-0">
                      <Link href={`/app/memberships/${membership.id}`} className="font-medium break-words text-primary underline-offset-4 hover:underline">
                        {membership.patientName}
                      </Link>
                      {/* Phones keep two columns: plan, state and next charge go under the name. */}
                      <span className="mt-0.5 block text-muted-foreground md:hidden">{membership.planName}</span>
                      <span className="mt-1 flex flex-wrap items-center gap-x-2 gap-y-1 md:hidden">
                        <MembershipStatusBadge status={membership.status} cancelAtPeriodEnd={membership.cancelAtPeriodEnd} />
                        <span className="text-xs text-muted-foreground sm:hidden">{nextLabel(membership)}</span>
                      </span>
                    </TableCell>
                    <TableCell className="hidden md:table-cell">{membership.planName}</TableCell>
                    <TableCell className="hidden md:table-cell">
                      <MembershipStatusBadge status={membership.status} cancelAtPeriodEnd={membership.cancelAtPeriodEnd} />
                    </TableCell>
                    <TableCell className="hidden whitespace-nowrap sm:table-cell">{nextLabel(membership)}</TableCell>
                    <TableCell className="text-right whitespace-nowrap tabular-nums">
                      {perInterval(formatMoney(membership.amount, membership.currency), membership.interval)}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
          <ListPageLinks firstPageHref={cursor ? href({}) : null} nextPageHref={page.nextCursor && href({ cursor: page.nextCursor })} />
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Plans</CardTitle>
          <CardDescription>{isAdmin ? "Create and change plans in Settings." : "An admin creates and changes plans in Settings."}</CardDescription>
        </CardHeader>
        <CardContent>
          {plans.length === 0 ? (
            <p className="text-sm text-muted-foreground">No membership plans yet.</p>
          ) : (
            <ul className="grid gap-2 text-sm" data-testid="membership-plan-summary">
              {plans.map((plan) => (
                <li key={plan.id} className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1">
                  <span className="font-medium break-words">{plan.name}</span>
                  <span className="text-muted-foreground tabular-nums">
                    {perInterval(formatMoney(plan.amount, plan.currency), plan.interval)} · {plan.activeMembers}{" "}
                    {plan.activeMembers === 1 ? "member" : "members"}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
