import type { Metadata } from "next";
import { Suspense } from "react";
import Link from "next/link";
import { BarChart3, FileDown } from "lucide-react";
import { getDb } from "@/lib/db/client";
import { requirePageAuth } from "@/lib/auth/session";
import { ZAnalyticsQuery, type TAnalyticsQuery } from "@/lib/analytics/analytics-period";
import { AGING_BUCKET_AGES } from "@/lib/analytics/aging-buckets";
import type { CollectionChannel, Compared, ReportName } from "@/lib/analytics/analytics.types";
import { CHANNEL_LABELS, FIGURE_DEFINITIONS, type FigureKey } from "@/lib/analytics/figure-definitions";
import { collectionsDrillDownHref, refundsDrillDownHref } from "@/lib/analytics/drill-downs";
import { getAnalyticsReport } from "@/lib/analytics/get-analytics-report";
import { hasSubmittedClaims } from "@/lib/analytics/insurance-figures";
import { getActiveAlerts } from "@/lib/alerts/get-active-alerts";
import { hasRole } from "@/lib/auth/roles";
import { formatCalendarDate, formatDay } from "@/lib/dates/format-date";
import { formatMoney } from "@/lib/money/currency";
import { listHref } from "@/lib/search/list-params";
import { InsuranceSectionLoader } from "./insurance-section-loader";
import { ActiveAlertsBanner } from "@/components/alerts/active-alerts-banner";
import { AgingChart } from "@/components/analytics/aging-chart";
import { AnalyticsSection, SubHeading } from "@/components/analytics/analytics-section";
import { AGING_COLORS } from "@/components/analytics/chart-colors";
import { ChannelChart } from "@/components/analytics/channel-chart";
import { ChartTable } from "@/components/analytics/chart-table";
import { formatDays, formatRate } from "@/lib/analytics/figure-format";
import { FigureInfo } from "@/components/analytics/figure-info";
import { FigureTile } from "@/components/analytics/figure-tile";
import { AnalyticsSectionSkeleton } from "@/components/analytics/analytics-skeleton";
import { PeriodPicker, type PeriodPickerValue } from "@/components/analytics/period-picker";
import { TrendChart } from "@/components/analytics/trend-chart";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { buttonVariants } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";

export const metadata: Metadata = { title: "Analytics" };

const CHANNEL_METHOD: Record<CollectionChannel, string> = {
  pay_page_card: "card",
  pay_page_bank: "us_bank_account",
  desk_card: "card",
  saved_card: "card",
  autopay: "card",
  cash: "cash",
  check: "check",
  card_terminal: "card_terminal",
  bank_transfer: "bank_transfer",
};

const FIELD_NAMES: Record<string, string> = { preset: "Period", from: "From", to: "To", granularity: "Granularity" };

function first(value: string | string[] | undefined): string | undefined {
  return (Array.isArray(value) ? value[0] : value) || undefined;
}

/** "Dec 1 – Dec 5, 2026" */
function formatRange(from: string, to: string): string {
  return from === to ? formatCalendarDate(from) : `${formatCalendarDate(from)} – ${formatCalendarDate(to)}`;
}

/**
 * Where the money is: what was billed and collected in a period (with the previous period of the
 * same length beside it), what is owed now and for how long, how cards fare, refunds, disputes and
 * services. Every figure comes from the ledger through lib/analytics (the same loaders as the
 * reports API, the CSV exports and the monthly PDF), links to the rows behind it, and has its
 * definition one click away. Everyone in the clinic may look; there is nothing to change here.
 */
export default async function AnalyticsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const auth = await requirePageAuth("viewer");
  const params = await searchParams;
  const raw = { preset: first(params.preset), from: first(params.from), to: first(params.to), granularity: first(params.granularity) };
  const parsed = ZAnalyticsQuery.safeParse(raw);
  const pickerValue: PeriodPickerValue = {
    preset: (raw.from || raw.to ? "custom" : parsed.success ? (parsed.data.preset ?? "this_month") : "this_month") as PeriodPickerValue["preset"],
    from: raw.from ?? "",
    to: raw.to ?? "",
    granularity: parsed.success ? (parsed.data.granularity ?? "") : "",
  };
  const pickerKey = JSON.stringify(raw);

  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? "preset")] ??= issue.message;
    return (
      <div className="grid gap-6">
        <PageHeader title="Analytics" description="How the clinic is doing: billed, collected, owed." />
        <PeriodPicker key={pickerKey} action="/app/analytics" value={pickerValue} errors={errors} />
        <Alert variant="destructive" id="analytics-period-errors" data-testid="period-errors">
          <AlertTitle>This period can’t be shown</AlertTitle>
          <AlertDescription>
            <ul className="list-disc pl-4">
              {Object.entries(errors).map(([field, message]) => (
                <li key={field}>
                  <span className="font-medium">{FIELD_NAMES[field] ?? field}</span>: {message}
                </li>
              ))}
            </ul>
            <Link href="/app/analytics" className="mt-2 inline-block underline underline-offset-4">
              Show this month instead
            </Link>
          </AlertDescription>
        </Alert>
      </div>
    );
  }

  const query: TAnalyticsQuery = parsed.data;
  const db = await getDb();
  const load = <R extends ReportName>(report: R) => getAnalyticsReport(db, { organizationId: auth.organization.id, report, query });
  // Admins see the clinic's active alerts here as on the dashboard (their links lead into admin settings).
  const alerts = hasRole(auth.role, "admin") ? getActiveAlerts(db, { organizationId: auth.organization.id }) : Promise.resolve([]);
  const [activeAlerts, summary, aging, collections, payments, refunds, disputes, services, recurring, hasClaims] = await Promise.all([
    alerts,
    load("summary"),
    load("aging"),
    load("collections"),
    load("payments"),
    load("refunds"),
    load("disputes"),
    load("services"),
    load("recurring"),
    hasSubmittedClaims(db, auth.organization.id),
  ]);
  const { period } = summary;
  const currency = period.currency;
  const money = (amount: number) => formatMoney(amount, currency);
  const definition = (key: FigureKey) => FIGURE_DEFINITIONS[key];
  const previousLabel = `the previous period (${formatRange(period.previous.from, period.previous.to)})`;
  const queryValues = { preset: query.preset, from: query.from, to: query.to, granularity: query.granularity };
  const csv = (report: ReportName) => listHref(`/app/analytics/export/${report}`, queryValues);
  const inPeriod = { from: period.from, to: period.to };
  const paymentsHref = (values: Record<string, string | undefined>) => listHref("/app/payments", { ...values, ...inPeriod });
  // Collections and refunds date a payment by when the money moved (its journals), not when it was created.
  const paidHref = (values: Record<string, string | undefined> = {}) => collectionsDrillDownHref(period, values);
  const refundedHref = refundsDrillDownHref(period);
  const amountChange = (figure: Compared, better: "up" | "down" | "neutral") => ({ ...figure, kind: "amount" as const, better });

  const noActivity =
    aging.total.count === 0 &&
    [summary.charges, summary.collections, summary.refunds, summary.creditNotes].every((figure) => figure.current === 0 && figure.previous === 0) &&
    payments.attempted.current === 0 &&
    disputes.open.length === 0 &&
    recurring.plans.active === 0 &&
    recurring.autopay.attempts.current === 0 &&
    recurring.memberships.activeMemberships === 0 &&
    !hasClaims;

  const header = (
    <PageHeader
      title="Analytics"
      description={
        <>
          {formatRange(period.from, period.to)}, compared with {formatRange(period.previous.from, period.previous.to)}. Days in the clinic’s time zone (
          {period.timezone.replaceAll("_", " ")}), amounts in {currency}.
        </>
      }
      actions={
        <a href={`/app/analytics/monthly-summary?month=${period.to.slice(0, 7)}`} className={buttonVariants({ variant: "outline" })}>
          <FileDown aria-hidden="true" /> Monthly summary (PDF)
        </a>
      }
    />
  );
  const picker = <PeriodPicker key={pickerKey} action="/app/analytics" value={pickerValue} />;

  if (noActivity)
    return (
      <div className="grid gap-6">
        {header}
        {picker}
        <EmptyState
          icon={BarChart3}
          titleAs="h2"
          title="Nothing billed or collected in this period"
          description="Figures appear here once invoices are finalized and payments come in. Nothing is owed right now either. Try a longer period."
          action={
            <Link href="/app/analytics?preset=last_year" className={buttonVariants({ variant: "outline" })}>
              Show last year
            </Link>
          }
          data-testid="analytics-empty"
        />
      </div>
    );

  const trendPoints = summary.series.map((point) => ({
    label: period.granularity === "month" ? formatCalendarDate(point.start).replace(/ \d+,/, "") : formatCalendarDate(point.start).replace(/, \d{4}$/, ""),
    range: formatRange(point.start, point.end),
    charges: point.charges,
    collections: point.collections,
  }));
  const agingSegments = aging.buckets.map((bucket) => ({ ...bucket, label: AGING_BUCKET_AGES[bucket.key].label }));
  const channels = collections.byChannel
    .filter((channel) => channel.amount !== 0 || channel.count !== 0)
    .toSorted((a, b) => b.amount - a.amount)
    .map((channel) => ({ ...channel, label: CHANNEL_LABELS[channel.channel] }));

  return (
    <div className="grid gap-6">
      {header}
      <ActiveAlertsBanner alerts={activeAlerts} timeZone={period.timezone} />
      {picker}

      <AnalyticsSection
        id="summary"
        title="Billed and collected"
        description={`${formatRange(period.from, period.to)}; ▲/▼ compare with ${formatRange(period.previous.from, period.previous.to)}.`}
        csvHref={csv("summary")}
      >
        <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
          <FigureTile
            id="charges"
            definition={definition("charges")}
            value={money(summary.charges.current)}
            href={listHref("/app/invoices", inPeriod)}
            change={amountChange(summary.charges, "up")}
            previousLabel={previousLabel}
            detail={summary.discounts.current > 0 ? `after ${money(summary.discounts.current)} discounts` : undefined}
          />
          <FigureTile
            id="net-charges"
            definition={definition("netCharges")}
            value={money(summary.netCharges.current)}
            href={listHref("/app/credit-notes", {})}
            change={amountChange(summary.netCharges, "up")}
            previousLabel={previousLabel}
            detail={`${money(summary.creditNotes.current)} credit notes`}
          />
          <FigureTile
            id="collections"
            definition={definition("collections")}
            value={money(summary.collections.current)}
            href={paidHref()}
            change={amountChange(summary.collections, "up")}
            previousLabel={previousLabel}
            detail={`+ ${money(summary.creditApplied.current)} credit applied`}
          />
          <FigureTile
            id="refunds"
            definition={definition("refunds")}
            value={money(summary.refunds.current)}
            href={refundedHref}
            change={amountChange(summary.refunds, "down")}
            previousLabel={previousLabel}
          />
          <FigureTile
            id="net-collections"
            definition={definition("netCollections")}
            value={money(summary.netCollections.current)}
            href={paidHref()}
            change={amountChange(summary.netCollections, "up")}
            previousLabel={previousLabel}
          />
          <FigureTile
            id="processing-fees"
            definition={definition("processingFees")}
            value={money(summary.processingFees.current)}
            href={paidHref({ methodType: "card" })}
            change={amountChange(summary.processingFees, "neutral")}
            previousLabel={previousLabel}
          />
          <FigureTile
            id="dispute-losses"
            definition={definition("disputeLosses")}
            value={money(summary.disputeLosses.current)}
            href="/app/disputes?filter=lost"
            change={amountChange(summary.disputeLosses, "down")}
            previousLabel={previousLabel}
            detail={`${money(summary.disputeFees.current)} dispute fees`}
          />
          <FigureTile
            id="write-offs"
            definition={definition("writeOffs")}
            value={money(summary.writeOffs.current)}
            href="/app/invoices?status=uncollectible"
            change={amountChange(summary.writeOffs, "down")}
            previousLabel={previousLabel}
          />
          <FigureTile
            id="gross-collection-rate"
            definition={definition("grossCollectionRate")}
            value={formatRate(summary.grossCollectionRate.current)}
            change={{ ...summary.grossCollectionRate, kind: "rate", better: "up" }}
            previousLabel={previousLabel}
          />
          <FigureTile
            id="net-collection-rate"
            definition={definition("netCollectionRate")}
            value={formatRate(summary.netCollectionRate.current)}
            change={{ ...summary.netCollectionRate, kind: "rate", better: "up" }}
            previousLabel={previousLabel}
          />
          <FigureTile
            id="dispute-fees"
            definition={definition("disputeFees")}
            value={money(summary.disputeFees.current)}
            href="/app/disputes"
            change={amountChange(summary.disputeFees, "down")}
            previousLabel={previousLabel}
          />
          <FigureTile
            id="credit-applied"
            definition={definition("creditApplied")}
            value={money(summary.creditApplied.current)}
            change={amountChange(summary.creditApplied, "neutral")}
            previousLabel={previousLabel}
          />
        </div>
        <figure className="grid gap-2" aria-labelledby="trend-title">
          <SubHeading info={<FigureInfo figure={definition("charges")} />}>
            <span id="trend-title">Charges and collections by {period.granularity}</span>
          </SubHeading>
          <TrendChart points={trendPoints} currency={currency} />
          <ChartTable
            caption={`Charges and collections by ${period.granularity}, ${formatRange(period.from, period.to)}`}
            columns={[period.granularity === "day" ? "Day" : period.granularity === "week" ? "Week" : "Month", "Charges", "Collections"]}
            rows={trendPoints.map((point, index) => ({ key: String(index), cells: [point.range, money(point.charges), money(point.collections)] }))}
          />
        </figure>
      </AnalyticsSection>

      <AnalyticsSection
        id="receivables"
        title="What patients owe"
        description={`Now (${formatCalendarDate(aging.asOf)}), by age of the invoice.`}
        csvHref={csv("aging")}
      >
        <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
          <FigureTile
            id="receivables"
            definition={definition("receivables")}
            value={money(summary.receivables.amount)}
            href="/app/invoices?status=outstanding"
            detail={`${summary.receivables.openInvoices} open ${summary.receivables.openInvoices === 1 ? "invoice" : "invoices"}`}
          />
          <FigureTile
            id="over-90"
            definition={definition("over90Percent")}
            value={formatRate(summary.receivables.over90Percent)}
            href="/app/invoices?age=91%2B"
            detail={money(summary.receivables.over90Amount)}
          />
          <FigureTile id="days-in-ar" definition={definition("daysInAR")} value={formatDays(summary.receivables.daysInAR)} />
          <FigureTile id="open-invoices" definition={definition("openInvoices")} value={String(aging.total.count)} href="/app/invoices?status=outstanding" />
        </div>
        <figure className="grid gap-3" aria-labelledby="aging-title">
          <SubHeading info={<FigureInfo figure={definition("aging")} />}>
            <span id="aging-title">Receivables by age</span>
          </SubHeading>
          <AgingChart buckets={agingSegments} currency={currency} />
          <ul className="grid grid-cols-2 gap-2 sm:grid-cols-3 lg:grid-cols-5" aria-label="Aging buckets" data-testid="aging-buckets">
            {agingSegments.map((bucket, index) => (
              <li key={bucket.key}>
                <Link
                  href={`/app/invoices?age=${encodeURIComponent(bucket.key)}`}
                  className="flex h-full flex-col gap-0.5 rounded-md border p-3 transition-colors hover:bg-accent focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none"
                  data-testid={`aging-bucket-${bucket.key}`}
                >
                  <span className="flex items-center gap-2 text-xs text-muted-foreground">
                    <span aria-hidden="true" className="size-2.5 rounded-sm" style={{ background: AGING_COLORS[index] }} />
                    {bucket.label}
                  </span>
                  <span className="font-semibold tabular-nums">{money(bucket.amount)}</span>
                  <span className="text-xs text-muted-foreground">
                    {bucket.count} {bucket.count === 1 ? "invoice" : "invoices"}
                  </span>
                </Link>
              </li>
            ))}
          </ul>
          <ChartTable
            caption={`Receivables by age on ${formatCalendarDate(aging.asOf)}`}
            columns={["Age", "Invoices", "Amount due"]}
            rows={[
              ...agingSegments.map((bucket) => ({ key: bucket.key, cells: [bucket.label, String(bucket.count), money(bucket.amount)] })),
              { key: "total", cells: ["Total", String(aging.total.count), money(aging.total.amount)] },
            ]}
          />
        </figure>
      </AnalyticsSection>

      <Suspense fallback={<AnalyticsSectionSkeleton label="Loading the insurance figures" />}>
        <InsuranceSectionLoader organizationId={auth.organization.id} query={query} csvHref={csv("insurance")} previousLabel={previousLabel} />
      </Suspense>

      <AnalyticsSection id="collections" title="How money came in" description="Money received by channel in the period." csvHref={csv("collections")}>
        {channels.length === 0 ? (
          <p className="text-sm text-muted-foreground">No money received in this period.</p>
        ) : (
          <figure className="grid gap-2" aria-labelledby="channels-title">
            <SubHeading info={<FigureInfo figure={definition("collections")} />}>
              <span id="channels-title">Collections by channel</span>
            </SubHeading>
            <ChannelChart channels={channels} currency={currency} />
            <ChartTable
              caption="Collections by channel"
              columns={["Channel", "Payments", "Amount"]}
              rows={channels.map((channel) => ({
                key: channel.channel,
                cells: [
                  <Link key="link" href={paidHref({ methodType: CHANNEL_METHOD[channel.channel] })} className="underline-offset-4 hover:underline">
                    {channel.label}
                  </Link>,
                  String(channel.count),
                  money(channel.amount),
                ],
              }))}
            />
          </figure>
        )}
        <p className="text-sm text-muted-foreground">
          Patient credit applied to invoices ({money(collections.creditApplied.current)}) is not money received and is not in these channels.
        </p>
      </AnalyticsSection>

      <AnalyticsSection id="payments" title="Card payments" description="Card payments patients and staff tried in the period." csvHref={csv("payments")}>
        <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
          <FigureTile
            id="success-rate"
            definition={definition("successRate")}
            value={formatRate(payments.successRate.current)}
            href={paymentsHref({ methodType: "card" })}
            change={{ ...payments.successRate, kind: "rate", better: "up" }}
            previousLabel={previousLabel}
            detail={`${payments.succeeded.current} of ${payments.attempted.current}`}
          />
          <FigureTile
            id="first-attempt-rate"
            definition={definition("firstAttemptSuccessRate")}
            value={formatRate(payments.firstAttemptSuccessRate.current)}
            change={{ ...payments.firstAttemptSuccessRate, kind: "rate", better: "up" }}
            previousLabel={previousLabel}
            detail={`${payments.succeededFirstAttempt.current} at the first try`}
          />
          <FigureTile id="three-d-secure" definition={definition("threeDSecureShare")} value={formatRate(payments.threeDSecureShare)} />
          <FigureTile
            id="attempted"
            definition={definition("attempted")}
            value={String(payments.attempted.current)}
            href={paymentsHref({ methodType: "card" })}
            change={{ ...payments.attempted, kind: "amount", better: "neutral" }}
            previousLabel={previousLabel}
          />
        </div>
        <div className="grid gap-2" data-testid="decline-reasons">
          <SubHeading info={<FigureInfo figure={definition("declineReasons")} />}>Top decline reasons</SubHeading>
          {payments.declineReasons.length === 0 ? (
            <p className="text-sm text-muted-foreground">No declines in this period.</p>
          ) : (
            <ol className="grid gap-1 text-sm">
              {payments.declineReasons.slice(0, 5).map((reason) => (
                <li key={reason.code} className="flex items-center justify-between gap-3 border-b py-1.5 last:border-0">
                  <Link href={paymentsHref({ status: "failed" })} className="underline-offset-4 hover:underline">
                    {reason.label}
                  </Link>
                  <span className="tabular-nums">{reason.count}</span>
                </li>
              ))}
            </ol>
          )}
        </div>
      </AnalyticsSection>

      <AnalyticsSection id="refunds-disputes" title="Refunds and disputes" csvHref={csv("refunds")}>
        <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
          <FigureTile
            id="refunds-count"
            definition={definition("refundsCount")}
            value={`${refunds.count.current} · ${money(refunds.amount.current)}`}
            href={refundedHref}
            change={amountChange(refunds.amount, "down")}
            previousLabel={previousLabel}
            detail={refunds.failed.count > 0 ? `${refunds.failed.count} failed (${money(refunds.failed.amount)})` : undefined}
          />
          <FigureTile
            id="disputes-opened"
            definition={definition("disputesOpened")}
            value={`${disputes.opened.count.current} · ${money(disputes.opened.amount.current)}`}
            href="/app/disputes"
            change={amountChange(disputes.opened.amount, "down")}
            previousLabel={previousLabel}
          />
          <FigureTile
            id="win-rate"
            definition={definition("winRate")}
            value={formatRate(disputes.winRate)}
            href="/app/disputes?filter=won"
            detail={`${disputes.won.count} won · ${disputes.lost.count} lost`}
          />
          <FigureTile
            id="disputes-lost"
            definition={definition("disputesLost")}
            value={`${disputes.lost.count} · ${money(disputes.lost.amount)}`}
            href="/app/disputes?filter=lost"
            detail={`${money(disputes.losses.current)} lost to chargebacks + ${money(disputes.fees.current)} fees`}
          />
        </div>
        <div className="grid gap-2" data-testid="open-disputes">
          <div className="flex flex-wrap items-center justify-between gap-2">
            <SubHeading info={<FigureInfo figure={definition("openDisputes")} />}>Open disputes</SubHeading>
            <a href={csv("disputes")} download className={buttonVariants({ variant: "outline", size: "sm" })} aria-label="Download disputes as CSV">
              <FileDown aria-hidden="true" /> CSV
            </a>
          </div>
          {disputes.open.length === 0 ? (
            <p className="text-sm text-muted-foreground">No open disputes.</p>
          ) : (
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead scope="col">Invoice</TableHead>
                  <TableHead scope="col">Reason</TableHead>
                  <TableHead scope="col">Evidence due</TableHead>
                  <TableHead scope="col" className="text-right">
                    Amount
                  </TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {disputes.open.map((dispute) => (
                  <TableRow key={dispute.id}>
                    <TableCell>
                      <Link href="/app/disputes?filter=open" className="font-medium underline-offset-4 hover:underline">
                        {dispute.invoiceNumber ?? "—"}
                      </Link>
                    </TableCell>
                    <TableCell>{dispute.reason.replaceAll("_", " ")}</TableCell>
                    <TableCell>{dispute.evidenceDueBy ? formatDay(dispute.evidenceDueBy, { timeZone: period.timezone }) : "—"}</TableCell>
                    <TableCell className="text-right tabular-nums">{money(dispute.amount)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </div>
      </AnalyticsSection>

      <AnalyticsSection
        id="recurring"
        title="Plans, memberships and autopay"
        description="Payment plans and memberships now, and how their card-on-file charges went in the period."
        csvHref={csv("recurring")}
      >
        <div className="grid gap-2">
          <SubHeading>Payment plans</SubHeading>
          <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
            <FigureTile
              id="active-plans"
              definition={definition("activePlans")}
              value={String(recurring.plans.active)}
              detail={`${recurring.plans.pastDue} past due · ${recurring.plans.paused} paused`}
            />
            <FigureTile
              id="plan-outstanding"
              definition={definition("planOutstanding")}
              value={money(recurring.plans.outstanding)}
              detail={`on ${recurring.plans.active} active ${recurring.plans.active === 1 ? "plan" : "plans"}`}
            />
            <FigureTile
              id="plan-default-rate"
              definition={definition("planDefaultRate")}
              value={formatRate(recurring.planDefaultRate.current)}
              href="/app/needs-attention"
              change={{ ...recurring.planDefaultRate, kind: "rate", better: "down" }}
              previousLabel={previousLabel}
              detail={`${recurring.planEnds.defaulted.current} of ${
                recurring.planEnds.completed.current + recurring.planEnds.defaulted.current + recurring.planEnds.canceled.current
              } ended`}
            />
            <FigureTile
              id="plans-ended"
              definition={definition("plansEnded")}
              value={String(recurring.planEnds.completed.current + recurring.planEnds.defaulted.current + recurring.planEnds.canceled.current)}
              detail={`${recurring.planEnds.completed.current} completed · ${recurring.planEnds.canceled.current} canceled`}
            />
          </div>
        </div>
        <div className="grid gap-2">
          <SubHeading>Autopay charges</SubHeading>
          {recurring.autopay.attempts.current === 0 && recurring.autopay.attempts.previous === 0 ? (
            <p className="text-sm text-muted-foreground" data-testid="autopay-none">
              No autopay charge reached a result in this period or the one before.
            </p>
          ) : null}
          <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
            <FigureTile
              id="autopay-success-rate"
              definition={definition("autopaySuccessRate")}
              value={formatRate(recurring.autopaySuccessRate.current)}
              href={paymentsHref({ source: "autopay" })}
              change={{ ...recurring.autopaySuccessRate, kind: "rate", better: "up" }}
              previousLabel={previousLabel}
              detail={`${recurring.autopay.succeeded.current} of ${recurring.autopay.attempts.current} attempts`}
            />
            <FigureTile
              id="autopay-first-attempt-rate"
              definition={definition("autopayFirstAttemptSuccessRate")}
              value={formatRate(recurring.autopayFirstAttemptSuccessRate.current)}
              change={{ ...recurring.autopayFirstAttemptSuccessRate, kind: "rate", better: "up" }}
              previousLabel={previousLabel}
              detail={`${recurring.autopay.firstAttemptsSucceeded.current} of ${recurring.autopay.firstAttempts.current} at the first try`}
            />
            <FigureTile
              id="autopay-eventual-rate"
              definition={definition("autopayEventualSuccessRate")}
              value={formatRate(recurring.autopayEventualSuccessRate.current)}
              change={{ ...recurring.autopayEventualSuccessRate, kind: "rate", better: "up" }}
              previousLabel={previousLabel}
              detail={`${recurring.autopay.eventuallyPaid.current} of ${recurring.autopay.firstAttempts.current} paid`}
            />
            <FigureTile
              id="autopay-recovery-rate"
              definition={definition("autopayRecoveryRate")}
              value={formatRate(recurring.autopayRecoveryRate.current)}
              href="/app/needs-attention"
              change={{ ...recurring.autopayRecoveryRate, kind: "rate", better: "up" }}
              previousLabel={previousLabel}
              detail={`${recurring.autopay.recovered.current} of ${recurring.autopay.firstAttemptsFailed.current} failed first attempts`}
            />
          </div>
        </div>
        <div className="grid gap-2">
          <SubHeading>Memberships</SubHeading>
          <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
            <FigureTile
              id="active-members"
              definition={definition("activeMembers")}
              value={String(recurring.memberships.activeMembers)}
              detail={`${recurring.memberships.pastDue} past due · ${recurring.memberships.paused} paused`}
            />
            <FigureTile
              id="mrr"
              definition={definition("mrr")}
              value={money(recurring.memberships.mrr)}
              detail={`from ${recurring.memberships.activeMemberships} ${recurring.memberships.activeMemberships === 1 ? "membership" : "memberships"}`}
            />
            <FigureTile
              id="membership-churn"
              definition={definition("membershipChurnRate")}
              value={formatRate(recurring.membershipChurnRate.current)}
              change={{ ...recurring.membershipChurnRate, kind: "rate", better: "down" }}
              previousLabel={previousLabel}
              detail={`${recurring.memberships.canceled.current + recurring.memberships.defaulted.current} ended of ${recurring.memberships.activeAtStart.current} at the start`}
            />
          </div>
        </div>
      </AnalyticsSection>

      <AnalyticsSection id="services" title="Top services" description="By service code and description, in the period." csvHref={csv("services")}>
        <div className="grid gap-6 lg:grid-cols-2">
          {(
            [
              ["serviceNetCharges", services.byNetCharges, "netCharges"],
              ["serviceCollections", services.byCollections, "collections"],
            ] as const
          ).map(([key, rows, column]) => (
            <div key={key} className="grid content-start gap-2" data-testid={`services-${column}`}>
              <SubHeading info={<FigureInfo figure={definition(key)} />}>{definition(key).label}</SubHeading>
              {rows.length === 0 ? (
                <p className="text-sm text-muted-foreground">Nothing in this period.</p>
              ) : (
                <Table>
                  <TableHeader>
                    <TableRow>
                      <TableHead scope="col">Service</TableHead>
                      <TableHead scope="col" className="text-right">
                        {column === "netCharges" ? "Net charges" : "Collected"}
                      </TableHead>
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {rows.slice(0, 5).map((row) => (
                      <TableRow key={`${row.serviceCode}|${row.description}`}>
                        <TableCell className="whitespace-normal">
                          {row.serviceCode && <span className="mr-2 font-mono text-xs text-muted-foreground">{row.serviceCode}</span>}
                          {row.description}
                        </TableCell>
                        <TableCell className="text-right tabular-nums">{money(row[column])}</TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              )}
            </div>
          ))}
        </div>
      </AnalyticsSection>
    </div>
  );
}
