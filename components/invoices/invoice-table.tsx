import Link from "next/link";
import type { InvoiceSortColumn, InvoiceView } from "@/lib/invoices/invoices.types";
import type { SortHeader } from "@/lib/search/list-params";
import { formatMoney } from "@/lib/money/currency";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { SortableTableHead } from "@/components/search/sortable-table-head";
import { formatDate, formatIsoDate, invoiceTitle } from "./invoice-format";
import { InvoiceStatusBadge } from "./invoice-status-badge";

type InvoiceRow = InvoiceView & { patientName?: string };

const muted = <span className="text-muted-foreground">—</span>;

type SortableInvoices = { header: (column: InvoiceSortColumn) => SortHeader; timeZone: string };

/**
 * Invoices with status, due date and amounts; on phones the less important columns fold away.
 * With `sortable`, the headers sort the list and the created date is shown.
 */
export function InvoiceTable({ invoices, showPatient, sortable }: { invoices: InvoiceRow[]; showPatient: boolean; sortable?: SortableInvoices }) {
  const head = (column: InvoiceSortColumn, label: string, className?: string) =>
    sortable ? (
      <SortableTableHead label={label} header={sortable.header(column)} className={className} />
    ) : (
      <TableHead className={className}>{label}</TableHead>
    );
  return (
    <Table>
      <TableHeader>
        <TableRow>
          {head("number", "Invoice")}
          {showPatient && head("patient", "Patient", "hidden sm:table-cell")}
          <TableHead className="hidden sm:table-cell">Status</TableHead>
          {sortable && head("created", "Created", "hidden lg:table-cell")}
          {head("due", "Due", "hidden sm:table-cell")}
          {head("total", "Total", "hidden text-right md:table-cell")}
          {head("balance", "Balance due", "text-right")}
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
            {sortable && <TableCell className="hidden whitespace-nowrap lg:table-cell">{formatDate(invoice.createdAt, sortable.timeZone)}</TableCell>}
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
