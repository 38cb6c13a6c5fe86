import Link from "next/link";
import { getDb } from "@/lib/db/client";
import type { AuthContext } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/roles";
import { formatMoney } from "@/lib/money/currency";
import { getPaymentAllocationDetail } from "@/lib/payments/get-payment-allocation-detail";
import { MANUAL_METHOD_LABELS, type ManualPaymentMethod } from "@/lib/payments/manual-payments.types";
import { receiptNumber } from "@/lib/payments/receipt-number";
import { InvoiceStatusBadge } from "@/components/invoices/invoice-status-badge";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { ManualPaymentActions } from "@/components/payments/manual-payment-actions";
import { dateTimeFormatter, formatCalendarDate } from "@/lib/dates/format-date";

/**
 * On the payment page: where the money went (each invoice with what it still owes now), the
 * front-desk details of manual payments, the receipt (print, email) and voiding a manual payment.
 */
export async function ManualPaymentPanel({ paymentId, auth }: { paymentId: string; auth: AuthContext }) {
  const detail = await getPaymentAllocationDetail(await getDb(), { organizationId: auth.organization.id, paymentId });
  if (!detail) return null;
  const { payment, allocations, recordedByName } = detail;
  const money = (amount: number) => formatMoney(amount, payment.currency);
  const manual = payment.source === "manual";
  const canWrite = hasRole(auth.role, "billing");
  const succeeded = payment.status === "succeeded";
  const receivedOn = payment.receivedOn ? formatCalendarDate(payment.receivedOn) : null;
  const dateTime = dateTimeFormatter({ timeZone: auth.organization.timezone });

  if (!succeeded && payment.status !== "voided") return null;
  return (
    <Card>
      <CardHeader>
        <CardTitle>{manual ? "Front-desk payment" : "Receipt and allocation"}</CardTitle>
        <CardDescription>
          {succeeded ? `Receipt ${receiptNumber(payment)}` : "Voided, no receipt"}
          {manual && receivedOn ? ` · received ${receivedOn}` : ""}
          {manual && recordedByName ? ` · recorded by ${recordedByName}` : ""}
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        {payment.status === "voided" && (
          <Alert variant="warning">
            <AlertTitle>Voided{payment.voidedAt ? ` ${dateTime.format(payment.voidedAt)}` : ""}</AlertTitle>
            <AlertDescription>
              {payment.voidReason ? `Reason: ${payment.voidReason}. ` : ""}The invoices below owe again what this payment had paid.
            </AlertDescription>
          </Alert>
        )}
        {manual && (
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm sm:max-w-md">
            <dt className="text-muted-foreground">Method</dt>
            <dd className="text-right">{MANUAL_METHOD_LABELS[payment.methodType as ManualPaymentMethod] ?? payment.methodType}</dd>
            {payment.reference && (
              <>
                <dt className="text-muted-foreground">{payment.methodType === "check" ? "Check number" : "Reference"}</dt>
                <dd className="text-right font-mono">{payment.reference}</dd>
              </>
            )}
            {payment.cashTendered !== null && payment.cashTendered > payment.amount ? (
              <>
                <dt className="text-muted-foreground">Cash received</dt>
                <dd className="text-right tabular-nums">{money(payment.cashTendered)}</dd>
                <dt className="text-muted-foreground">Change given</dt>
                <dd className="text-right tabular-nums" data-testid="change-given">
                  {money(payment.cashTendered - payment.amount)}
                </dd>
                <dt className="text-muted-foreground">Amount paid</dt>
                <dd className="text-right font-medium tabular-nums">{money(payment.amountReceived)}</dd>
              </>
            ) : (
              <>
                <dt className="text-muted-foreground">Amount received</dt>
                <dd className="text-right tabular-nums">{money(payment.amountReceived)}</dd>
              </>
            )}
            {payment.creditAmount > 0 && (
              <>
                <dt className="text-muted-foreground">Kept as patient credit</dt>
                <dd className="text-right tabular-nums">{money(payment.creditAmount)}</dd>
              </>
            )}
          </dl>
        )}
        {allocations.length > 0 && (
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Invoice</TableHead>
                <TableHead className="text-right">Applied</TableHead>
                <TableHead className="text-right">Still owed</TableHead>
                <TableHead className="hidden sm:table-cell">Status</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {allocations.map((allocation) => {
                const invoice = allocation.invoice;
                const owed = invoice ? invoice.amountDue + invoice.amountWrittenOff : 0;
                return (
                  <TableRow key={allocation.invoiceId}>
                    <TableCell>
                      <Link
                        href={`/app/invoices/${allocation.invoiceId}`}
                        className="font-medium whitespace-nowrap text-primary underline-offset-4 hover:underline"
                      >
                        {allocation.invoiceNumber ?? "Invoice"}
                      </Link>
                      {/* Phones have no room for the status column: the badge sits under the number. */}
                      {invoice && (
                        <span className="mt-1 block sm:hidden">
                          <InvoiceStatusBadge status={invoice.status} overdue={false} />
                        </span>
                      )}
                    </TableCell>
                    <TableCell className="text-right whitespace-nowrap tabular-nums">{money(allocation.amount)}</TableCell>
                    <TableCell className="text-right tabular-nums">
                      {money(owed)}
                      {invoice && invoice.amountWrittenOff > 0 && <span className="block text-xs text-muted-foreground">written off</span>}
                    </TableCell>
                    <TableCell className="hidden sm:table-cell">{invoice && <InvoiceStatusBadge status={invoice.status} overdue={false} />}</TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        )}
        <ManualPaymentActions
          paymentId={payment.id}
          hasReceipt={succeeded}
          canEmail={canWrite && Boolean(payment.patient?.email)}
          canVoid={canWrite && manual && succeeded && payment.amountRefunded === 0}
          amountLabel={money(payment.amountReceived)}
        />
      </CardContent>
    </Card>
  );
}
