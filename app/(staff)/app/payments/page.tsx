import type { Metadata } from "next";
import Link from "next/link";
import { Banknote, CreditCard } from "lucide-react";
import { getDb } from "@/lib/db/client";
import { requirePageAuth } from "@/lib/auth/session";
import { formatMoney } from "@/lib/money/currency";
import { getPatientName } from "@/lib/patients/get-patient-name";
import { listPayments, PAYMENT_METHOD_TYPES, PAYMENT_SORT_DIRECTIONS, PAYMENT_STATUS_FILTERS } from "@/lib/payments/list-payments";
import { listHref, PAYMENT_DEFAULT_SORT, readPaymentListParams, sortHeaders, sortValues } from "@/lib/search/list-params";
import { NextPageLink } from "@/components/search/list-pages";
import { KeptParams } from "@/components/search/list-search-form";
import { ListToolbar } from "@/components/search/list-toolbar";
import { SortableTableHead } from "@/components/search/sortable-table-head";
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
import { dateTimeFormatter, formatDayRange } from "@/lib/dates/format-date";

export const metadata: Metadata = { title: "Payments" };

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
  const { filters, sort, input } = readPaymentListParams(await searchParams);
  const db = await getDb();
  const [page, patientName] = await Promise.all([
    listPayments(db, { organizationId: auth.organization.id, input: { ...input, cursor: filters.cursor } }),
    filters.patient ? getPatientName(db, { organizationId: auth.organization.id, id: filters.patient }) : null,
  ]);
  const { cursor, ...current } = filters;
  const values = { ...current, ...sortValues(sort, PAYMENT_DEFAULT_SORT) };
  const href = (changes: Record<string, string | undefined>) => listHref("/app/payments", { ...values, ...changes });
  const header = sortHeaders({ path: "/app/payments", values, sort, directions: PAYMENT_SORT_DIRECTIONS, fallback: PAYMENT_DEFAULT_SORT });
  const filtered = Object.values(current).some(Boolean) || Boolean(cursor);
  const paidFilter = Boolean(filters.paidFrom || filters.paidTo);
  // Ranges that come from a link (the analytics page's drill-downs), shown and removable as chips.
  const chips = [
    ...(paidFilter
      ? [{ label: "Paid", value: formatDayRange(filters.paidFrom, filters.paidTo), removeHref: href({ paidFrom: undefined, paidTo: undefined }) }]
      : []),
    ...(filters.refundedFrom || filters.refundedTo
      ? [
          {
            label: "Refund requested",
            value: formatDayRange(filters.refundedFrom, filters.refundedTo),
            removeHref: href({ refundedFrom: undefined, refundedTo: undefined }),
          },
        ]
      : []),
  ];
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
            <KeptParams
              values={{
                patient: filters.patient,
                paidFrom: filters.paidFrom,
                paidTo: filters.paidTo,
                refundedFrom: filters.refundedFrom,
                refundedTo: filters.refundedTo,
                sort: values.sort,
                dir: values.dir,
              }}
            />
            <div className="grid gap-1.5 sm:col-span-3 lg:col-span-2">
              <Label htmlFor="filter-search">Search</Label>
              <Input
                id="filter-search"
                name="q"
                type="search"
                defaultValue={filters.q}
                placeholder="Patient, phone, MRN, invoice number or amount"
                autoComplete="off"
                maxLength={100}
              />
            </div>
            <div className="grid gap-1.5">
              <Label htmlFor="filter-status">Status</Label>
              <Select id="filter-status" name="status" defaultValue={filters.status ?? ""}>
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
              <Select id="filter-method" name="methodType" defaultValue={filters.methodType ?? ""}>
                <option value="">Any method</option>
                {PAYMENT_METHOD_TYPES.map((method) => (
                  <option key={method} value={method}>
                    {METHOD_FILTER_LABELS[method]}
                  </option>
                ))}
              </Select>
            </div>
            <div className="grid gap-1.5">
              <Label htmlFor="filter-from">From</Label>
              <Input id="filter-from" name="from" type="date" defaultValue={filters.from} />
            </div>
            <div className="grid gap-1.5">
              <Label htmlFor="filter-to">To</Label>
              <Input id="filter-to" name="to" type="date" defaultValue={filters.to} />
            </div>
            <div className="flex gap-2 lg:col-span-2">
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
          <ListToolbar
            patient={filters.patient ? { name: patientName, removeHref: href({ patient: undefined }) } : undefined}
            chips={chips}
            exportHref={page.data.length > 0 ? listHref("/app/payments/export", values) : undefined}
          />
          {page.data.length === 0 ? (
            <EmptyState
              icon={CreditCard}
              title={filtered ? "No payments match" : "No payments yet"}
              description={
                filtered
                  ? filters.q
                    ? `Nothing matches “${filters.q}”. Try a patient's last name, part of their phone number, an invoice number or an amount.`
                    : "Try other filters."
                  : "Payments appear here when patients pay on the pay page, staff charge a saved card, or the front desk records cash or a check."
              }
            />
          ) : (
            <Table>
              <TableHeader>
                <TableRow>
                  <SortableTableHead label="Date" header={header("date")} />
                  <TableHead className="hidden sm:table-cell">Patient</TableHead>
                  <TableHead className="hidden sm:table-cell">Invoice</TableHead>
                  <TableHead className="hidden sm:table-cell">Method</TableHead>
                  <TableHead className="hidden sm:table-cell">Status</TableHead>
                  <SortableTableHead label="Amount" header={header("amount")} className="text-right" />
                </TableRow>
              </TableHeader>
              <TableBody>
                {page.data.map((payment) => (
                  <TableRow key={payment.id}>
                    <TableCell>
                      <Link href={`/app/payments/${payment.id}`} className="font-medium whitespace-nowrap text-primary underline-offset-4 hover:underline">
                        {dateFormat.format(payment.createdAt)}
                      </Link>
                      {/* Listed for when the money came in (the "Paid" filter): say when, as it may be another day than it started. */}
                      {paidFilter && payment.succeededAt && (
                        <span className="mt-0.5 block text-muted-foreground" data-testid="payment-paid-at">
                          Paid {dateFormat.format(payment.succeededAt)}
                        </span>
                      )}
                      {/* Phones drop the patient, invoice, method and status columns; the same facts sit under the date and the amount. */}
                      <span className="mt-0.5 block text-muted-foreground sm:hidden">
                        {payment.patient?.name} ·{" "}
                        {payment.invoice?.number && (
                          <>
                            <Link href={`/app/invoices/${payment.invoice.id}`} className="whitespace-nowrap underline underline-offset-4">
                              {payment.invoice.number}
                            </Link>{" "}
                            ·{" "}
                          </>
                        )}
                        {paymentMethodLabel(payment)}
                      </span>
                    </TableCell>
                    <TableCell className="hidden sm:table-cell">{payment.patient?.name}</TableCell>
                    <TableCell className="hidden whitespace-nowrap sm:table-cell">
                      {payment.invoice?.number ? (
                        <Link href={`/app/invoices/${payment.invoice.id}`} className="text-primary underline-offset-4 hover:underline">
                          {payment.invoice.number}
                        </Link>
                      ) : (
                        payment.row.prepayment && <span className="text-muted-foreground">Prepayment</span>
                      )}
                    </TableCell>
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
          <NextPageLink href={page.nextCursor && href({ cursor: page.nextCursor })} />
        </CardContent>
      </Card>
    </div>
  );
}
