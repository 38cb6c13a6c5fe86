import Link from "next/link";
import type { InvoiceView } from "@/lib/invoices/invoices.types";
import { formatMoney } from "@/lib/money/currency";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { formatIsoDate, invoiceTitle } from "./invoice-format";
import { InvoiceStatusBadge } from "./invoice-status-badge";

type InvoiceRow = InvoiceView & { patientName?: string };

const muted = <span className="text-muted-foreground">—</span>;

/** Invoices with status, due date and amounts; on phones the less important columns fold away. */
export function InvoiceTable({ invoices, showPatient }: { invoices: InvoiceRow[]; showPatient: boolean }) {
  return (
    <Table>
      <TableHeader>
        <TableRow>
          <TableHead>Invoice</TableHead>
          {showPatient && <TableHead className="hidden sm:table-cell">Patient</TableHead>}
          <TableHead className="hidden sm:table-cell">Status</TableHead>
          <TableHead className="hidden sm:table-cell">Due</TableHead>
          <TableHead className="hidden text-right md:table-cell">Total</TableHead>
          <TableHead className="text-right">Balance due</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {invoices.map((invoice) => (
          <TableRow key={invoice.id} data-testid={`invoice-row-${invoice.id}`}>
            <TableCell>
              <Link href={`/app/invoices/${invoice.id}`} className="font-medium text-primary tabular-nums hover:underline">
                {invoiceTitle(invoice)}
              </Link>
              {showPatient && <div className="mt-0.5 truncate text-sm text-muted-foreground sm:hidden">{invoice.patientName}</div>}
              <div className="mt-1.5 flex flex-wrap items-center gap-2 sm:hidden">
                <InvoiceStatusBadge status={invoice.status} overdue={invoice.overdue} />
                {invoice.dueDate && <span className="text-xs text-muted-foreground">Due {formatIsoDate(invoice.dueDate)}</span>}
              </div>
            </TableCell>
            {showPatient && <TableCell className="hidden sm:table-cell">{invoice.patientName}</TableCell>}
            <TableCell className="hidden sm:table-cell">
              <InvoiceStatusBadge status={invoice.status} overdue={invoice.overdue} />
            </TableCell>
            <TableCell className="hidden whitespace-nowrap sm:table-cell">
              {invoice.dueDate ? (
                formatIsoDate(invoice.dueDate)
              ) : invoice.status === "draft" ? (
                <span className="text-muted-foreground">On finalizing</span>
              ) : (
                muted
              )}
            </TableCell>
            <TableCell className="hidden text-right whitespace-nowrap tabular-nums md:table-cell">{formatMoney(invoice.total, invoice.currency)}</TableCell>
            <TableCell className="text-right font-medium whitespace-nowrap tabular-nums">
              {invoice.status === "draft" ? muted : formatMoney(invoice.amountDue, invoice.currency)}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
