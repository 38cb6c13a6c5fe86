import type { Db } from "@/lib/db/client";
import { csvAmount, csvDateTime, csvFromPages } from "@/lib/csv/csv";
import type { TListInvoicesInput } from "./invoices.types";
import { listInvoices } from "./list-invoices";

/** The invoices list with its filters, search and sort as CSV, read in keyset batches (constant memory). */
export async function* exportInvoicesCsv(
  db: Db,
  options: { organizationId: string; input: Omit<TListInvoicesInput, "cursor" | "limit"> },
): AsyncGenerator<string> {
  const { timezone } = await db.organization.findUniqueOrThrow({ where: { id: options.organizationId }, select: { timezone: true } });
  yield* csvFromPages({
    header: ["number", "status", "patient", "created", "due_date", "currency", "total", "paid", "credited", "written_off", "balance_due"],
    page: (cursor, limit) => listInvoices(db, { organizationId: options.organizationId, input: { ...options.input, cursor, limit } }),
    row: (invoice) => [
      invoice.number,
      invoice.overdue ? "overdue" : invoice.status,
      invoice.patientName,
      csvDateTime(new Date(invoice.createdAt), timezone),
      invoice.dueDate,
      invoice.currency,
      csvAmount(invoice.total, invoice.currency),
      csvAmount(invoice.amountPaid, invoice.currency),
      csvAmount(invoice.amountCredited, invoice.currency),
      csvAmount(invoice.amountWrittenOff, invoice.currency),
      csvAmount(invoice.status === "draft" ? 0 : invoice.amountDue, invoice.currency),
    ],
  });
}
