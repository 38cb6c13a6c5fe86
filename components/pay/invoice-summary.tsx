import type { InvoiceView } from "@/lib/invoices/invoices.types";
import { formatMoney } from "@/lib/money/currency";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { formatCalendarDate } from "@/lib/dates/format-date";

function formatDate(isoDate: string | null) {
  return isoDate ? formatCalendarDate(isoDate) : "on receipt";
}

/** The invoice as a patient reads it: what for, how much, what is left to pay. */
export function InvoiceSummary({ invoice }: { invoice: InvoiceView }) {
  const money = (amount: number) => formatMoney(amount, invoice.currency);
  const rows: [string, number][] = [["Subtotal", invoice.subtotal]];
  if (invoice.discountTotal > 0) rows.push(["Discount", -invoice.discountTotal]);
  if (invoice.taxTotal > 0) rows.push(["Tax", invoice.taxTotal]);
  rows.push(["Total", invoice.total]);
  if (invoice.amountPaid > 0) rows.push(["Paid", -invoice.amountPaid]);
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
        <dl className="grid gap-1 border-t pt-3 text-sm">
          {rows.map(([label, amount]) => (
            <div key={label} className="flex justify-between">
              <dt className="text-muted-foreground">{label}</dt>
              <dd className="tabular-nums">{amount < 0 ? `−${money(-amount)}` : money(amount)}</dd>
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
