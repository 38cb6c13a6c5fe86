import type { Metadata } from "next";
import Link from "next/link";
import { CreditCard } from "lucide-react";
import { getDb } from "@/lib/db/client";
import { firstParam, nextPageHref } from "@/lib/http/search-params";
import { requirePageAuth } from "@/lib/auth/session";
import { formatMoney } from "@/lib/money/currency";
import { listPayments, PAYMENT_STATUSES, ZListPaymentsInput } from "@/lib/payments/list-payments";
import { PaymentStatusBadge, paymentMethodLabel } from "@/components/payments/payment-status-badge";
import { RecordPaymentLink } from "@/components/payments/record-payment-link";
import { hasRole } from "@/lib/auth/roles";
import { AuthorizedHoldsCard } from "@/components/payments/authorized-holds-card";
import { Button, buttonVariants } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { PageHeader } from "@/components/ui/page-header";
import { Select } from "@/components/ui/select";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";

export const metadata: Metadata = { title: "Payments" };

const FILTERS = ["status", "methodType", "invoiceNumber", "from", "to"] as const;

export default async function PaymentsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const auth = await requirePageAuth("viewer");
  const params = await searchParams;
  const single = (name: string) => firstParam(params, name);
  const parsed = ZListPaymentsInput.safeParse(Object.fromEntries([...FILTERS, "cursor"].map((name) => [name, single(name)])));
  const page = await listPayments(await getDb(), { organizationId: auth.organization.id, input: parsed.success ? parsed.data : {} });
  const filtered = FILTERS.some((name) => single(name));
  const dateFormat = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: auth.organization.timezone });

  return (
    <div className="grid gap-6">
      <PageHeader
        title="Payments"
        description="Every attempt to collect money: card payments from the pay page and saved cards, and payments recorded at the front desk, with their outcome."
        actions={hasRole(auth.role, "billing") && <RecordPaymentLink variant="default" />}
      />
      <AuthorizedHoldsCard organizationId={auth.organization.id} timeZone={auth.organization.timezone} />
      <Card>
        <CardContent className="grid gap-6 pt-6 sm:pt-6">
          <form className="grid gap-3 sm:grid-cols-5 sm:items-end" role="search" aria-label="Filter payments">
            <div className="grid gap-1.5">
              <Label htmlFor="filter-status">Status</Label>
              <Select id="filter-status" name="status" defaultValue={single("status") ?? ""}>
                <option value="">Any status</option>
                {PAYMENT_STATUSES.map((status) => (
                  <option key={status} value={status}>
                    {status.replaceAll("_", " ")}
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
              description={filtered ? "Try other filters." : "Payments appear here when patients pay on the pay page or staff charge a saved card."}
            />
          ) : (
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>Date</TableHead>
                  <TableHead>Patient</TableHead>
                  <TableHead>Invoice</TableHead>
                  <TableHead>Method</TableHead>
                  <TableHead>Status</TableHead>
                  <TableHead className="text-right">Amount</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {page.data.map((payment) => (
                  <TableRow key={payment.id}>
                    <TableCell className="whitespace-nowrap">
                      <Link href={`/app/payments/${payment.id}`} className="font-medium text-primary underline-offset-4 hover:underline">
                        {dateFormat.format(payment.createdAt)}
                      </Link>
                    </TableCell>
                    <TableCell>{payment.patient.name}</TableCell>
                    <TableCell>{payment.invoice.number}</TableCell>
                    <TableCell className="whitespace-nowrap">{paymentMethodLabel(payment)}</TableCell>
                    <TableCell>
                      <PaymentStatusBadge status={payment.status} />
                    </TableCell>
                    <TableCell className="text-right tabular-nums">{formatMoney(payment.status === "succeeded" ? payment.amountReceived : payment.amount, payment.currency)}</TableCell>
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
