import type { InvoiceView } from "@/lib/invoices/invoices.types";
import { formatMoney } from "@/lib/money/currency";
import { invoicePaidFigures, invoicePaidRows, type InvoiceRefundTotals } from "@/lib/invoices/invoice-paid-figures";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { formatCalendarDate } from "@/lib/dates/format-date";

function formatDate(isoDate: string | null) {
  return isoDate ? formatCalendarDate(isoDate) : "on receipt";
}

/** The invoice as a patient reads it: what for, how much, what is left to pay. */
export function InvoiceSummary({ invoice, refunds }: { invoice: InvoiceView; refunds?: InvoiceRefundTotals }) {
  const money = (amount: number) => formatMoney(amount, invoice.currency);
  const minus = (amount: number) => `−${money(amount)}`;
  const rows: [string, string][] = [["Subtotal", money(invoice.subtotal)]];
  if (invoice.discountTotal > 0) rows.push(["Discount", minus(invoice.discountTotal)]);
  if (invoice.taxTotal > 0) rows.push(["Tax", money(invoice.taxTotal)]);
  rows.push(["Total", money(invoice.total)]);
  const figures = invoicePaidFigures(invoice, refunds);
  // What was paid reads as a plain amount ("Paid $210.00"), refunds as amounts taken off it.
  if (figures.paid > 0) rows.push(...invoicePaidRows(figures, invoice.currency).map((row): [string, string] => [row.label, row.value]));
  if (invoice.amountCredited > 0) rows.push(["Credited", minus(invoice.amountCredited)]);
  if (invoice.amountWrittenOff > 0) rows.push(["Written off", minus(invoice.amountWrittenOff)]);
  return (
    <Card>
      <CardHeader className="flex flex-row items-baseline justify-between gap-2">
        <CardTitle as="h2">Invoice {invoice.number}</CardTitle>
        <p className="text-sm text-muted-foreground">Due {formatDate(invoice.dueDate)}</p>
      </CardHeader>
      <CardContent className="grid gap-4">
        <ul className="grid gap-2 text-sm">
          {invoice.lines.map((line) => (
            <li key={line.id} className="flex justify-between gap-4">
              <span>
                {line.description}
                {line.quantity > 1 && <span className="text-muted-foreground"> × {line.quantity}</span>}
              </span>
              <span className="tabular-nums">{money(line.amount)}</span>
            </li>
          ))}
        </ul>
        <dl className="grid gap-1 border-t pt-3 text-sm" data-testid="pay-totals">
          {rows.map(([label, value]) => (
            <div key={label} className="flex justify-between gap-4">
              <dt className="text-muted-foreground">{label}</dt>
              <dd className="tabular-nums">{value}</dd>
            </div>
          ))}
          <div className="mt-1 flex justify-between border-t pt-2 text-base font-semibold">
            <dt>Balance due</dt>
            <dd className="tabular-nums" data-testid="balance-due">
              {money(invoice.amountDue)}
            </dd>
          </div>
        </dl>
      </CardContent>
    </Card>
  );
}
