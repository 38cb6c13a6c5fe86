import Link from "next/link";
import { ShieldCheck } from "lucide-react";
import { AGING_BUCKET_AGES } from "@/lib/analytics/aging-buckets";
import { AGING_BUCKETS, type InsuranceReport } from "@/lib/analytics/analytics.types";
import { FIGURE_DEFINITIONS } from "@/lib/analytics/figure-definitions";
import { formatDays, formatRate } from "@/lib/analytics/figure-format";
import { formatCalendarDate } from "@/lib/dates/format-date";
import { formatMoney } from "@/lib/money/currency";
import { AnalyticsSection, SubHeading } from "@/components/analytics/analytics-section";
import { FigureInfo } from "@/components/analytics/figure-info";
import { FigureTile } from "@/components/analytics/figure-tile";
import { buttonVariants } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";

const claimsOfPayer = (payerId: string) => `/app/claims?payer=${encodeURIComponent(payerId)}`;
const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

/**
 * The analytics page's insurance section: what payers owe by payer and age (now), how fast they
 * pay and how often they deny claims at first, and who paid the period's collections, with the net
 * collection rate counting contractual adjustments. Receives the report; loads nothing.
 */
export function InsuranceSection({ report, csvHref, previousLabel }: { report: InsuranceReport; csvHref: string; previousLabel: string }) {
  const { period, receivables, daysToPay, denials } = report;
  const money = (amount: number) => formatMoney(amount, period.currency);
  const amountChange = (figure: { current: number; previous: number }, better: "up" | "down" | "neutral") => ({
    ...figure,
    kind: "amount" as const,
    better,
  });
  const title = "Insurance";
  if (!report.hasClaims)
    return (
      <AnalyticsSection id="insurance" title={title} description="Claims, payers and what they pay.">
        <EmptyState
          icon={ShieldCheck}
          title="No claims sent yet"
          description="Once claims go to payers, what they owe, how fast they pay and how often they deny shows here."
          action={
            <Link href="/app/claims" className={buttonVariants({ variant: "outline" })}>
              Go to claims
            </Link>
          }
          data-testid="insurance-empty"
        />
      </AnalyticsSection>
    );

  const payerIds = [...new Set([...daysToPay.byPayer.map((row) => row.payerId), ...denials.byPayer.map((row) => row.payerId)])];
  const payerRows = payerIds.map((payerId) => {
    const days = daysToPay.byPayer.find((row) => row.payerId === payerId);
    const denied = denials.byPayer.find((row) => row.payerId === payerId);
    return { payerId, payerName: days?.payerName ?? denied?.payerName ?? "", days, denied };
  });

  return (
    <AnalyticsSection
      id="insurance"
      title={title}
      description={`Owed by payers now (${formatCalendarDate(receivables.asOf)}); paid, days to pay and denials in the period.`}
      csvHref={csvHref}
    >
      <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        <FigureTile
          id="insurance-receivables"
          definition={FIGURE_DEFINITIONS.insuranceReceivables}
          value={money(receivables.total.amount)}
          href="/app/claims"
          detail={`${plural(receivables.total.count, "open claim", "open claims")} · ${formatRate(receivables.over90Percent)} over 90 days`}
        />
        <FigureTile
          id="insurer-paid"
          definition={FIGURE_DEFINITIONS.insurerPaid}
          value={money(report.insurerPaid.current)}
          href="/app/claims/remittances"
          change={amountChange(report.insurerPaid, "up")}
          previousLabel={previousLabel}
          detail={`${money(report.contractualAdjustments.current)} contractual adjustments`}
        />
        <FigureTile
          id="patient-collections"
          definition={FIGURE_DEFINITIONS.patientCollections}
          value={money(report.patientCollections.current)}
          change={amountChange(report.patientCollections, "up")}
          previousLabel={previousLabel}
          detail={`payers ${formatRate(report.insurerShare.current)} · patients ${formatRate(report.insurerShare.current === null ? null : 1 - report.insurerShare.current)}`}
        />
        <FigureTile
          id="insurance-net-collection-rate"
          definition={FIGURE_DEFINITIONS.insuranceNetCollectionRate}
          value={formatRate(report.netCollectionRate.current)}
          change={{ ...report.netCollectionRate, kind: "rate", better: "up" }}
          previousLabel={previousLabel}
          detail={`of ${money(report.claimCharges.current)} claim charges`}
        />
        <FigureTile
          id="denial-rate"
          definition={FIGURE_DEFINITIONS.denialRate}
          value={formatRate(denials.denialRate.current)}
          href="/app/claims?tab=denied"
          change={{ ...denials.denialRate, kind: "rate", better: "down" }}
          previousLabel={previousLabel}
          detail={`${denials.initiallyDenied.count.current} of ${plural(denials.submitted.count.current, "claim", "claims")} · ${formatRate(denials.denialRateByAmount.current)} of charges`}
        />
        <FigureTile
          id="days-to-pay"
          definition={FIGURE_DEFINITIONS.daysToPay}
          value={formatDays(daysToPay.overall.averageDays)}
          detail={`median ${formatDays(daysToPay.overall.medianDays)} · ${plural(daysToPay.overall.claims, "claim", "claims")} paid`}
        />
        <FigureTile
          id="insurer-share"
          definition={FIGURE_DEFINITIONS.insurerShare}
          value={formatRate(report.insurerShare.current)}
          change={{ ...report.insurerShare, kind: "rate", better: "neutral" }}
          previousLabel={previousLabel}
        />
        <FigureTile
          id="contractual-adjustments"
          definition={FIGURE_DEFINITIONS.contractualAdjustments}
          value={money(report.contractualAdjustments.current)}
          change={amountChange(report.contractualAdjustments, "neutral")}
          previousLabel={previousLabel}
        />
      </div>

      <div className="grid gap-2" data-testid="insurance-ar-by-payer">
        <SubHeading info={<FigureInfo figure={FIGURE_DEFINITIONS.insuranceReceivables} />}>Owed by payer and age</SubHeading>
        {receivables.byPayer.length === 0 ? (
          <p className="text-sm text-muted-foreground">Payers owe nothing on open claims now.</p>
        ) : (
          <Table scrollLabel="Insurance receivables by payer and age">
            <TableHeader>
              <TableRow>
                <TableHead scope="col">Payer</TableHead>
                {AGING_BUCKETS.map((key) => (
                  <TableHead key={key} scope="col" className="text-right">
                    {AGING_BUCKET_AGES[key].label}
                  </TableHead>
                ))}
                <TableHead scope="col" className="text-right">
                  Total
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {receivables.byPayer.map((payer) => (
                <TableRow key={payer.payerId}>
                  <TableHead scope="row" className="font-medium">
                    <Link href={claimsOfPayer(payer.payerId)} className="underline-offset-4 hover:underline">
                      {payer.payerName}
                    </Link>
                  </TableHead>
                  {payer.buckets.map((bucket) => (
                    <TableCell key={bucket.key} className="text-right tabular-nums">
                      {bucket.count === 0 ? "—" : money(bucket.amount)}
                    </TableCell>
                  ))}
                  <TableCell className="text-right font-medium tabular-nums">{money(payer.total.amount)}</TableCell>
                </TableRow>
              ))}
              <TableRow>
                <TableHead scope="row">All payers</TableHead>
                {receivables.buckets.map((bucket) => (
                  <TableCell key={bucket.key} className="text-right tabular-nums">
                    {money(bucket.amount)}
                  </TableCell>
                ))}
                <TableCell className="text-right font-semibold tabular-nums">{money(receivables.total.amount)}</TableCell>
              </TableRow>
            </TableBody>
          </Table>
        )}
      </div>

      <div className="grid gap-2" data-testid="insurance-by-payer">
        <SubHeading info={<FigureInfo figure={FIGURE_DEFINITIONS.daysToPay} />}>Days to pay and denials by payer</SubHeading>
        {payerRows.length === 0 ? (
          <p className="text-sm text-muted-foreground">No claim was submitted or first paid in this period.</p>
        ) : (
          <Table scrollLabel="Days to pay and denial rate by payer">
            <TableHeader>
              <TableRow>
                <TableHead scope="col">Payer</TableHead>
                <TableHead scope="col" className="text-right">
                  Claims paid
                </TableHead>
                <TableHead scope="col" className="text-right">
                  Days to pay
                </TableHead>
                <TableHead scope="col" className="hidden text-right sm:table-cell">
                  Median
                </TableHead>
                <TableHead scope="col" className="text-right">
                  Submitted
                </TableHead>
                <TableHead scope="col" className="text-right">
                  Denial rate
                </TableHead>
                <TableHead scope="col" className="hidden text-right sm:table-cell">
                  By charges
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {payerRows.map((row) => (
                <TableRow key={row.payerId}>
                  <TableHead scope="row" className="font-medium">
                    <Link href={claimsOfPayer(row.payerId)} className="underline-offset-4 hover:underline">
                      {row.payerName}
                    </Link>
                  </TableHead>
                  <TableCell className="text-right tabular-nums">{row.days?.claims ?? 0}</TableCell>
                  <TableCell className="text-right tabular-nums">{formatDays(row.days?.averageDays ?? null)}</TableCell>
                  <TableCell className="hidden text-right tabular-nums sm:table-cell">{formatDays(row.days?.medianDays ?? null)}</TableCell>
                  <TableCell className="text-right tabular-nums">{row.denied?.submitted.count ?? 0}</TableCell>
                  <TableCell className="text-right tabular-nums">
                    {formatRate(row.denied?.denialRate ?? null)}
                    {row.denied && row.denied.initiallyDenied.count > 0 ? (
                      <span className="block text-xs text-muted-foreground">{row.denied.initiallyDenied.count} denied</span>
                    ) : null}
                  </TableCell>
                  <TableCell className="hidden text-right tabular-nums sm:table-cell">{formatRate(row.denied?.denialRateByAmount ?? null)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
        <p className="text-sm text-muted-foreground">
          Days to pay counts claims first paid in the period; the denial rate, claims submitted in the period (a claim not yet adjudicated counts as not
          denied).
        </p>
      </div>
    </AnalyticsSection>
  );
}
