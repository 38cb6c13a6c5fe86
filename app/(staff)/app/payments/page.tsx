import type { Metadata } from "next";
import Link from "next/link";
import { Banknote, CreditCard } from "lucide-react";
import { getDb } from "@/lib/db/client";
import { firstParam, nextPageHref } from "@/lib/http/search-params";
import { requirePageAuth } from "@/lib/auth/session";
import { formatMoney } from "@/lib/money/currency";
import { listPayments, PAYMENT_METHOD_TYPES, PAYMENT_STATUS_FILTERS, ZListPaymentsInput } from "@/lib/payments/list-payments";
import { PAYMENT_STATUS_FILTER_LABELS } from "@/lib/payments/payment-display-state";
import { PaymentStatusBadge, paymentMethodLabel } from "@/components/payments/payment-status-badge";
import { RecordPaymentLink } from "@/components/payments/record-payment-link";
import { hasRole } from "@/lib/auth/roles";
import { Button, buttonVariants } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { PageHeader } from "@/components/ui/page-header";
import { Select } from "@/components/ui/select";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { AuthorizedHoldsCard } from "./_components/authorized-holds-card";
import { dateTimeFormatter } from "@/lib/dates/format-date";

export const metadata: Metadata = { title: "Payments" };

const FILTERS = ["status", "methodType", "invoiceNumber", "from", "to"] as const;

const METHOD_FILTER_LABELS: Record<(typeof PAYMENT_METHOD_TYPES)[number], string> = {
  card: "Card (Stripe)",
  us_bank_account: "Bank account (ACH)",
  cash: "Cash",
  check: "Check",
  card_terminal: "Card terminal",
  bank_transfer: "Bank transfer",
};

export default async function PaymentsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const auth = await requirePageAuth("viewer");
  const params = await searchParams;
  const single = (name: string) => firstParam(params, name);
  const parsed = ZListPaymentsInput.safeParse(Object.fromEntries([...FILTERS, "cursor"].map((name) => [name, single(name)])));
  const page = await listPayments(await getDb(), { organizationId: auth.organization.id, input: parsed.success ? parsed.data : {} });
  const filtered = FILTERS.some((name) => single(name));
  const dateFormat = dateTimeFormatter({ timeZone: auth.organization.timezone });

  return (
    <div className="grid gap-6">
      <PageHeader
        title="Payments"
        description="Every attempt to collect money: card payments from the pay page and saved cards, and payments recorded at the front desk, with their outcome."
        actions={
          hasRole(auth.role, "billing") && (
            <>
              <Link href="/app/payments/end-of-day" className={buttonVariants({ variant: "outline" })}>
                <Banknote aria-hidden="true" /> End of day
              </Link>
              <RecordPaymentLink variant="default" />
            </>
          )
        }
      />
      <AuthorizedHoldsCard organizationId={auth.organization.id} timeZone={auth.organization.timezone} />
      <Card>
        <CardContent className="grid gap-6 pt-6 sm:pt-6">
          <form className="grid gap-3 sm:grid-cols-3 sm:items-end lg:grid-cols-6" role="search" aria-label="Filter payments">
            <div className="grid gap-1.5">
              <Label htmlFor="filter-status">Status</Label>
              <Select id="filter-status" name="status" defaultValue={single("status") ?? ""}>
                <option value="">Any status</option>
                {PAYMENT_STATUS_FILTERS.map((status) => (
                  <option key={status} value={status}>
                    {PAYMENT_STATUS_FILTER_LABELS[status]}
                  </option>
                ))}
              </Select>
            </div>
            <div className="grid gap-1.5">
              <Label htmlFor="filter-method">Method</Label>
              <Select id="filter-method" name="methodType" defaultValue={single("methodType") ?? ""}>
                <option value="">Any method</option>
                {PAYMENT_METHOD_TYPES.map((method) => (
                  <option key={method} value={method}>
                    {METHOD_FILTER_LABELS[method]}
                  </option>
                ))}
              </Select>
            </div>
            <div className="grid gap-1.5">
              <Label htmlFor="filter-invoice">Invoice number</Label>
              <Input id="filter-invoice" name="invoiceNumber" defaultValue={single("invoiceNumber")} placeholder="INV-00012" />
            </div>
            <div className="grid gap-1.5">
              <Label htmlFor="filter-from">From</Label>
              <Input id="filter-from" name="from" type="date" defaultValue={single("from")} />
            </div>
            <div className="grid gap-1.5">
              <Label htmlFor="filter-to">To</Label>
              <Input id="filter-to" name="to" type="date" defaultValue={single("to")} />
            </div>
            <div className="flex gap-2">
              <Button type="submit" variant="secondary">
                Filter
              </Button>
              {filtered && (
                <Link href="/app/payments" className={buttonVariants({ variant: "ghost" })}>
                  Clear
                </Link>
              )}
            </div>
          </form>
          {page.data.length === 0 ? (
            <EmptyState
              icon={CreditCard}
              title={filtered ? "No payments match" : "No payments yet"}
              description={
                filtered
                  ? "Try other filters."
                  : "Payments appear here when patients pay on the pay page, staff charge a saved card, or the front desk records cash or a check."
              }
            />
          ) : (
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>Date</TableHead>
                  <TableHead className="hidden sm:table-cell">Patient</TableHead>
                  <TableHead className="hidden sm:table-cell">Invoice</TableHead>
                  <TableHead className="hidden sm:table-cell">Method</TableHead>
                  <TableHead className="hidden sm:table-cell">Status</TableHead>
                  <TableHead className="text-right">Amount</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {page.data.map((payment) => (
                  <TableRow key={payment.id}>
                    <TableCell>
                      <Link href={`/app/payments/${payment.id}`} className="font-medium whitespace-nowrap text-primary underline-offset-4 hover:underline">
                        {dateFormat.format(payment.createdAt)}
                      </Link>
                      {/* Phones drop the patient, invoice, method and status columns; the same facts sit under the date and the amount. */}
                      <span className="mt-0.5 block text-muted-foreground sm:hidden">
                        {payment.patient?.name} · {payment.invoice?.number} · {paymentMethodLabel(payment)}
                      </span>
                    </TableCell>
                    <TableCell className="hidden sm:table-cell">{payment.patient?.name}</TableCell>
                    <TableCell className="hidden whitespace-nowrap sm:table-cell">{payment.invoice?.number}</TableCell>
                    <TableCell className="hidden whitespace-nowrap sm:table-cell">{paymentMethodLabel(payment)}</TableCell>
                    <TableCell className="hidden sm:table-cell">
                      <PaymentStatusBadge state={payment.display} />
                    </TableCell>
                    <TableCell className="text-right whitespace-nowrap tabular-nums">
                      {formatMoney(payment.status === "succeeded" ? payment.amountReceived : payment.amount, payment.currency)}
                      <span className="mt-1 flex justify-end sm:hidden">
                        {/* On a phone a long state ("Partially refunded · $40.00") wraps instead of widening the column. */}
                        <PaymentStatusBadge state={payment.display} className="max-w-28 text-right whitespace-normal" />
                      </span>
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
          {page.nextCursor && (
            <div>
              <Link href={nextPageHref("/app/payments", params, FILTERS, page.nextCursor)} className={buttonVariants({ variant: "outline" })}>
                Older payments
              </Link>
            </div>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
