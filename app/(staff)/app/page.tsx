import type { Metadata } from "next";
import Link from "next/link";
import { Building2, CreditCard, ShieldAlert, Users } from "lucide-react";
import { getDb } from "@/lib/db/client";
import { requirePageAuth } from "@/lib/auth/session";
import { hasRole, ROLE_LABELS, ROLES } from "@/lib/auth/roles";
import { postalAddressLines } from "@/lib/addresses/postal-address";
import { listMembers } from "@/lib/organizations/list-members";
import { formatMoney } from "@/lib/money/currency";
import type { TAnalyticsQuery } from "@/lib/analytics/analytics-period";
import type { ReportName } from "@/lib/analytics/analytics.types";
import { getAnalyticsReport } from "@/lib/analytics/get-analytics-report";
import { formatDay } from "@/lib/dates/format-date";
import { todayIn } from "@/lib/invoices/dates";
import { formatRate } from "@/lib/analytics/figure-format";
import { countDisputesNeedingAttention } from "@/lib/disputes/list-disputes";
import { countAuthorizedPayments } from "@/lib/payments/list-authorized-payments";
import { getActiveAlerts } from "@/lib/alerts/get-active-alerts";
import { ActiveAlertsBanner } from "@/components/alerts/active-alerts-banner";
import { Badge } from "@/components/ui/badge";
import { buttonVariants } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Dashboard" };

export default async function DashboardPage() {
  const auth = await requirePageAuth("viewer");
  const db = await getDb();
  const today = todayIn(auth.organization.timezone);
  const report = <R extends ReportName>(name: R, query: TAnalyticsQuery) =>
    getAnalyticsReport(db, { organizationId: auth.organization.id, report: name, query });
  const [organization, members, collectedToday, collectedThisMonth, aging, cards, openDisputes, holds, disputes] = await Promise.all([
    db.organization.findUniqueOrThrow({ where: { id: auth.organization.id } }),
    listMembers(db, { organizationId: auth.organization.id }),
    report("collections", { from: today, to: today }),
    report("collections", { preset: "this_month" }),
    report("aging", {}),
    report("payments", { preset: "last_30_days" }),
    report("disputes", {}),
    countAuthorizedPayments(db, auth.organization.id),
    countDisputesNeedingAttention(db, auth.organization.id),
  ]);
  const money = (amount: number) => formatMoney(amount, aging.currency);
  const nextDeadline = openDisputes.open.find((dispute) => dispute.evidenceDueBy)?.evidenceDueBy;
  // The four figures a clinic owner checks every morning, from the analytics loaders (the ledger).
  const figures = [
    {
      id: "collected",
      label: "Collected today",
      value: money(collectedToday.collections.current),
      detail: `${money(collectedThisMonth.collections.current)} this month`,
      href: "/app/analytics",
    },
    {
      id: "receivables",
      label: "Accounts receivable",
      value: money(aging.total.amount),
      detail: `${formatRate(aging.over90Percent)} over 90 days · ${aging.total.count} open ${aging.total.count === 1 ? "invoice" : "invoices"}`,
      href: "/app/analytics#section-receivables",
    },
    {
      id: "card-success",
      label: "Card success rate",
      value: formatRate(cards.successRate.current),
      detail: `last 30 days · ${cards.succeeded.current} of ${cards.attempted.current} ${cards.attempted.current === 1 ? "attempt" : "attempts"}`,
      href: "/app/analytics?preset=last_30_days#section-payments",
    },
    {
      id: "open-disputes",
      label: "Open disputes",
      value: String(openDisputes.open.length),
      detail: nextDeadline ? `next evidence due ${formatDay(nextDeadline, { timeZone: auth.organization.timezone })}` : "none awaiting evidence",
      href: "/app/disputes?filter=open",
    },
  ];
  const active = members.filter((member) => member.active);
  const isAdmin = hasRole(auth.role, "admin");
  const activeAlerts = isAdmin ? await getActiveAlerts(db, { organizationId: auth.organization.id }) : [];
  const firstName = auth.user.name.split(" ")[0] ?? auth.user.name;

  return (
    <div className="grid gap-6">
      <PageHeader title={`Welcome, ${firstName}`} description={`You are signed in to ${organization.name} as ${ROLE_LABELS[auth.role].toLowerCase()}.`} />
      <ActiveAlertsBanner alerts={activeAlerts} timeZone={auth.organization.timezone} />
      <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4" aria-label="Billing at a glance">
        {figures.map((figure) => (
          <li key={figure.id}>
            <Link
              href={figure.href}
              className="block h-full rounded-lg border bg-card p-4 transition-colors hover:bg-accent"
              data-testid={`figure-${figure.id}`}
            >
              <p className="text-sm text-muted-foreground">{figure.label}</p>
              <p className="mt-1 text-2xl font-semibold tabular-nums">{figure.value}</p>
              <p className="text-xs text-muted-foreground">{figure.detail}</p>
            </Link>
          </li>
        ))}
      </ul>
      <ul className="grid gap-4 sm:grid-cols-2" aria-label="Needs attention">
        <li>
          <Link
            href="/app/payments#holds"
            className="flex h-full items-start gap-3 rounded-lg border bg-card p-4 transition-colors hover:bg-accent"
            data-testid="card-holds"
          >
            <CreditCard aria-hidden="true" className="mt-0.5 size-5 shrink-0 text-primary" />
            <span className="grid gap-1">
              <span className="text-sm text-muted-foreground">Card holds awaiting capture</span>
              <span className="text-2xl font-semibold tabular-nums">{holds.total}</span>
              {holds.expiringSoon > 0 ? (
                <Badge variant="warning">{holds.expiringSoon} expiring within 48 h</Badge>
              ) : (
                <span className="text-xs text-muted-foreground">{holds.total === 0 ? "Nothing to capture" : "None expiring within 48 h"}</span>
              )}
            </span>
          </Link>
        </li>
        <li>
          <Link
            href="/app/disputes"
            className="flex h-full items-start gap-3 rounded-lg border bg-card p-4 transition-colors hover:bg-accent"
            data-testid="card-disputes"
          >
            <ShieldAlert aria-hidden="true" className={`mt-0.5 size-5 shrink-0 ${disputes.needsResponse > 0 ? "text-destructive" : "text-primary"}`} />
            <span className="grid gap-1">
              <span className="text-sm text-muted-foreground">Disputes needing a response</span>
              <span className="text-2xl font-semibold tabular-nums">{disputes.needsResponse}</span>
              <span className="flex flex-wrap gap-1">
                {disputes.dueSoon > 0 && <Badge variant="destructive">{disputes.dueSoon} due within 3 days</Badge>}
                {disputes.lostUnresolved > 0 && <Badge variant="warning">{disputes.lostUnresolved} lost, awaiting a decision</Badge>}
                {disputes.dueSoon === 0 && disputes.lostUnresolved === 0 && (
                  <span className="text-xs text-muted-foreground">
                    {disputes.needsResponse === 0 ? "Nothing waiting for evidence" : "Deadlines more than 3 days away"}
                  </span>
                )}
              </span>
            </span>
          </Link>
        </li>
      </ul>
      <div className="grid gap-6 md:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle className="flex items-center gap-2">
              <Building2 aria-hidden="true" className="size-5 text-primary" /> Clinic
            </CardTitle>
            <CardDescription>{organization.name}</CardDescription>
          </CardHeader>
          <CardContent>
            <dl className="grid grid-cols-[auto_1fr] gap-x-6 gap-y-2 text-sm">
              <dt className="text-muted-foreground">Address</dt>
              <dd>
                {postalAddressLines(organization).map((line) => (
                  <span key={line} className="block">
                    {line}
                  </span>
                ))}
              </dd>
              <dt className="text-muted-foreground">Currency</dt>
              <dd>{organization.currency}</dd>
              <dt className="text-muted-foreground">Time zone</dt>
              <dd>{organization.timezone.replaceAll("_", " ")}</dd>
            </dl>
          </CardContent>
          {isAdmin && (
            <CardFooter>
              <Link href="/app/settings" className={buttonVariants({ variant: "outline", size: "sm" })}>
                Edit clinic details
              </Link>
            </CardFooter>
          )}
        </Card>
        <Card>
          <CardHeader>
            <CardTitle className="flex items-center gap-2">
              <Users aria-hidden="true" className="size-5 text-primary" /> Team
            </CardTitle>
            <CardDescription>
              {active.length} active {active.length === 1 ? "member" : "members"}
            </CardDescription>
          </CardHeader>
          <CardContent>
            <dl className="grid grid-cols-[1fr_auto] gap-y-2 text-sm">
              {ROLES.map((role) => (
                <div key={role} className="contents">
                  <dt className="text-muted-foreground">{ROLE_LABELS[role]}</dt>
                  <dd className="text-right font-medium tabular-nums">{active.filter((member) => member.role === role).length}</dd>
                </div>
              ))}
            </dl>
          </CardContent>
          {isAdmin && (
            <CardFooter>
              <Link href="/app/settings/users" className={buttonVariants({ variant: "outline", size: "sm" })}>
                Manage users
              </Link>
            </CardFooter>
          )}
        </Card>
      </div>
    </div>
  );
}
