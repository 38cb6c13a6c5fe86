import Link from "next/link";
import { Banknote } from "lucide-react";
import { formatTime } from "@/lib/dates/format-date";
import { formatMoney } from "@/lib/money/currency";
import { MANUAL_METHOD_LABELS } from "@/lib/payments/manual-payments.types";
import type { DrawerTotals, EndOfDayPayment, EndOfDayReport } from "@/lib/reports/end-of-day.types";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TableBody, TableCell, TableFooter, TableHead, TableHeader, TableRow } from "@/components/ui/table";

type Props = { report: EndOfDayReport; timeZone: string; dateLabel: string };

function timeOf(date: Date, timeZone: string): string {
  return formatTime(date, { timeZone });
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

/** One currency's drawer figures: cash with tendered / change / net, checks, card terminal, other, total. */
function TotalsTable({ totals, caption }: { totals: DrawerTotals; caption: string }) {
  const money = (amount: number) => formatMoney(amount, totals.currency);
  return (
    <Table aria-label={caption}>
      <TableHeader>
        <TableRow>
          <TableHead>Method</TableHead>
          <TableHead className="text-right">Payments</TableHead>
          <TableHead className="text-right">Amount</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        <TableRow>
          <TableCell>
            <span className="font-medium">Cash</span>
            {totals.cash.count > 0 && (
              <span className="block text-xs text-muted-foreground">
                {money(totals.cash.tendered)} received − {money(totals.cash.change)} change
              </span>
            )}
          </TableCell>
          <TableCell className="text-right tabular-nums">{totals.cash.count}</TableCell>
          <TableCell className="text-right tabular-nums">{money(totals.cash.net)}</TableCell>
        </TableRow>
        <TableRow>
          <TableCell className="font-medium">Checks</TableCell>
          <TableCell className="text-right tabular-nums">{totals.check.count}</TableCell>
          <TableCell className="text-right tabular-nums">{money(totals.check.amount)}</TableCell>
        </TableRow>
        <TableRow>
          <TableCell className="font-medium">Card terminal</TableCell>
          <TableCell className="text-right tabular-nums">{totals.cardTerminal.count}</TableCell>
          <TableCell className="text-right tabular-nums">{money(totals.cardTerminal.amount)}</TableCell>
        </TableRow>
        <TableRow>
          <TableCell>
            <span className="font-medium">Other</span>
            <span className="block text-xs text-muted-foreground">Bank transfers</span>
          </TableCell>
          <TableCell className="text-right tabular-nums">{totals.other.count}</TableCell>
          <TableCell className="text-right tabular-nums">{money(totals.other.amount)}</TableCell>
        </TableRow>
      </TableBody>
      <TableFooter>
        <TableRow>
          <TableCell className="font-semibold">Total</TableCell>
          <TableCell className="text-right font-semibold tabular-nums">{totals.total.count}</TableCell>
          <TableCell className="text-right font-semibold tabular-nums">{money(totals.total.amount)}</TableCell>
        </TableRow>
      </TableFooter>
    </Table>
  );
}

function PaymentsTable({
  payments,
  timeZone,
  label,
  showStaff = false,
}: {
  payments: EndOfDayPayment[];
  timeZone: string;
  label: string;
  showStaff?: boolean;
}) {
  return (
    <Table aria-label={label}>
      <TableHeader>
        <TableRow>
          <TableHead>Time</TableHead>
          <TableHead>Patient</TableHead>
          <TableHead className="hidden sm:table-cell">Method</TableHead>
          <TableHead className="text-right">Amount</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {payments.map((payment) => {
          const money = (amount: number) => formatMoney(amount, payment.currency);
          return (
            <TableRow key={payment.id}>
              <TableCell className="whitespace-nowrap tabular-nums">
                <Link href={`/app/payments/${payment.id}`} className="text-primary underline-offset-4 hover:underline">
                  {timeOf(payment.recordedAt, timeZone)}
                </Link>
              </TableCell>
              <TableCell className="min-w-32">
                {payment.patientName ?? "—"}
                {payment.invoiceNumbers.length > 0 && <span className="block text-xs text-muted-foreground">{payment.invoiceNumbers.join(", ")}</span>}
                {showStaff && <span className="block text-xs text-muted-foreground">by {payment.recordedByName}</span>}
                {payment.voidReason && <span className="block text-xs text-muted-foreground">Voided: {payment.voidReason}</span>}
                {/* Phones have no room for the method column: it sits under the patient. */}
                <span className="block text-xs text-muted-foreground sm:hidden">
                  {MANUAL_METHOD_LABELS[payment.method]}
                  {payment.reference ? ` ${payment.method === "check" ? "no." : "ref."} ${payment.reference}` : ""}
                </span>
              </TableCell>
              <TableCell className="hidden min-w-28 sm:table-cell">
                {MANUAL_METHOD_LABELS[payment.method]}
                {payment.reference && (
                  <span className="block font-mono text-xs text-muted-foreground">
                    {payment.method === "check" ? "No. " : "Ref. "}
                    {payment.reference}
                  </span>
                )}
              </TableCell>
              <TableCell className="text-right whitespace-nowrap tabular-nums">
                {money(payment.amount)}
                {payment.changeGiven !== null && payment.changeGiven > 0 && (
                  <span className="block text-xs text-muted-foreground">
                    {money(payment.cashTendered ?? 0)} received, {money(payment.changeGiven)} change
                  </span>
                )}
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}

/** The front desk's end-of-day count: per staff member and method, checks by number, voided payments apart. */
export function EndOfDayReportView({ report, timeZone, dateLabel }: Props) {
  if (report.staff.length === 0 && report.voided.length === 0) {
    return (
      <EmptyState
        icon={Banknote}
        title={`No front-desk payments received on ${dateLabel}`}
        description="Cash, checks, card terminal payments and bank transfers recorded with this date received show here. Choose another day above."
      />
    );
  }
  return (
    <div className="grid gap-6">
      <Card className="print:break-inside-avoid print:shadow-none">
        <CardHeader>
          <CardTitle>Totals for the day</CardTitle>
          <CardDescription>
            {plural(
              report.totals.reduce((sum, totals) => sum + totals.total.count, 0),
              "payment",
            )}{" "}
            counted
            {report.voided.length > 0 ? `; ${plural(report.voided.length, "voided payment")} not counted` : ""}.
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-6">
          {report.totals.map((totals) => (
            <TotalsTable key={totals.currency} totals={totals} caption={`Totals for the day in ${totals.currency}`} />
          ))}
          {report.totals.length === 0 && <p className="text-sm text-muted-foreground">Every payment received this day was voided.</p>}
        </CardContent>
      </Card>

      {report.staff.map((section) => (
        <Card key={section.staffId ?? "api"} className="print:break-inside-avoid print:shadow-none">
          <CardHeader>
            <CardTitle>{section.staffName}</CardTitle>
            <CardDescription>{plural(section.payments.length, "payment")} recorded</CardDescription>
          </CardHeader>
          <CardContent className="grid gap-6">
            {section.totals.map((totals) => (
              <TotalsTable key={totals.currency} totals={totals} caption={`${section.staffName}: totals in ${totals.currency}`} />
            ))}
            <PaymentsTable payments={section.payments} timeZone={timeZone} label={`Payments recorded by ${section.staffName}`} />
          </CardContent>
        </Card>
      ))}

      {report.checks.length > 0 && (
        <Card className="print:break-inside-avoid print:shadow-none">
          <CardHeader>
            <CardTitle>Checks to deposit</CardTitle>
            <CardDescription>{plural(report.checks.length, "check")}, by number</CardDescription>
          </CardHeader>
          <CardContent>
            <Table aria-label="Checks to deposit">
              <TableHeader>
                <TableRow>
                  <TableHead>Check number</TableHead>
                  <TableHead>Patient</TableHead>
                  <TableHead className="text-right">Amount</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {report.checks.map((check) => (
                  <TableRow key={check.id}>
                    <TableCell className="font-mono">{check.reference}</TableCell>
                    <TableCell>
                      {check.patientName ?? "—"}
                      <span className="block text-xs text-muted-foreground">by {check.recordedByName}</span>
                    </TableCell>
                    <TableCell className="text-right tabular-nums">{formatMoney(check.amount, check.currency)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </CardContent>
        </Card>
      )}

      {report.voided.length > 0 && (
        <Card className="print:break-inside-avoid print:shadow-none">
          <CardHeader>
            <CardTitle>Voided, not counted</CardTitle>
            <CardDescription>Received this day and voided since; none of this is in the drawer totals.</CardDescription>
          </CardHeader>
          <CardContent>
            <PaymentsTable payments={report.voided} timeZone={timeZone} label="Voided payments" showStaff />
          </CardContent>
        </Card>
      )}
    </div>
  );
}
