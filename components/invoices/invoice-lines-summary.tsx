import type { InvoiceView } from "@/lib/invoices/invoices.types";
import { formatMoney } from "@/lib/money/currency";
import { invoicePaidFigures, invoicePaidRows, type InvoiceRefundTotals } from "@/lib/invoices/invoice-paid-figures";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { TotalsList, type TotalsRow } from "./totals-list";

function discountLabel(discount: InvoiceView["discount"]): string {
  if (!discount) return "Discount";
  return "percent" in discount ? `Discount (${discount.percent}%)` : "Discount";
}

/** The invoice's lines and the figures that follow from them, as stored (and recomputed) by the server. */
export function InvoiceLinesSummary({ invoice, refunds }: { invoice: InvoiceView; refunds?: InvoiceRefundTotals }) {
  const money = (amount: number) => formatMoney(amount, invoice.currency);
  const finalized = invoice.status !== "draft";
  const rows: TotalsRow[] = [
    { label: "Subtotal", value: money(invoice.subtotal), testId: "invoice-subtotal" },
    ...(invoice.discountTotal > 0 ? [{ label: discountLabel(invoice.discount), value: `−${money(invoice.discountTotal)}`, testId: "invoice-discount" }] : []),
    { label: invoice.taxRate > 0 ? `Tax (${invoice.taxRate}%)` : "Tax", value: money(invoice.taxTotal), testId: "invoice-tax" },
    { label: "Total", value: money(invoice.total), emphasis: true, testId: "invoice-total" },
    ...(finalized ? invoicePaidRows(invoicePaidFigures(invoice, refunds), invoice.currency) : []),
    ...(invoice.amountCredited > 0 ? [{ label: "Credited", value: money(invoice.amountCredited), testId: "invoice-credited" }] : []),
    ...(invoice.amountWrittenOff > 0 ? [{ label: "Written off", value: money(invoice.amountWrittenOff), testId: "invoice-written-off" }] : []),
    ...(finalized ? [{ label: "Balance due", value: money(invoice.amountDue), emphasis: true, testId: "invoice-balance" }] : []),
  ];

  return (
    <div className="grid gap-6">
      {invoice.lines.length === 0 ? (
        <p className="rounded-lg border border-dashed px-4 py-6 text-center text-sm text-muted-foreground">This draft has no lines yet.</p>
      ) : (
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead>Description</TableHead>
              <TableHead className="text-right">Qty</TableHead>
              <TableHead className="hidden text-right sm:table-cell">Unit price</TableHead>
              <TableHead className="text-right">Amount</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {invoice.lines.map((line) => (
              <TableRow key={line.id}>
                <TableCell className="min-w-40">
                  <div className="font-medium">{line.description}</div>
                  {(line.serviceCode || line.taxExempt) && (
                    <div className="mt-1 flex flex-wrap items-center gap-2 text-sm text-muted-foreground">
                      {line.serviceCode && <span className="tabular-nums">Code {line.serviceCode}</span>}
                      {line.taxExempt && <Badge variant="outline">Tax-exempt</Badge>}
                    </div>
                  )}
                  <div className="mt-0.5 text-sm text-muted-foreground tabular-nums sm:hidden">{money(line.unitAmount)} each</div>
                </TableCell>
                <TableCell className="text-right tabular-nums">{line.quantity}</TableCell>
                <TableCell className="hidden text-right whitespace-nowrap tabular-nums sm:table-cell">{money(line.unitAmount)}</TableCell>
                <TableCell className="text-right whitespace-nowrap tabular-nums">{money(line.amount)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <TotalsList rows={rows} className="ml-auto w-full max-w-sm" testId="invoice-totals" />
    </div>
  );
}
