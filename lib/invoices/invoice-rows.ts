import type { Invoice, InvoiceLine } from "@/lib/db/generated/client";
import { jsonRow, modelRow, sql, type Sql } from "@/lib/db/sql";

/**
 * Invoices read and written with the typed SQL layer in the shape Prisma gives them, for the
 * invoice API's hot path (create and finalize: bench/README.md). No column list is kept here: rows
 * are read as `invoice.*` and written through `json_populate_record`, with field and column names
 * related by the schema's one naming rule (lib/db/sql.ts `modelRow`, `jsonRow`).
 */
export type InvoiceWithLines = Invoice & { lines: InvoiceLine[] };

/**
 * The select list of an invoice aliased `invoice` with its lines (one json array, by position, as
 * `lines`); `toInvoiceWithLines` turns a row of it into the model.
 */
export const INVOICE_WITH_LINES = sql`invoice.*,
  (SELECT coalesce(json_agg(line ORDER BY line.position), '[]'::json) FROM invoice_lines line WHERE line.invoice_id = invoice.id) AS lines`;

export function toInvoiceWithLines(row: Record<string, unknown>): InvoiceWithLines {
  const { lines, ...invoice } = row;
  return { ...modelRow<Invoice>(invoice), lines: (lines as Record<string, unknown>[]).map((line) => modelRow<InvoiceLine>(line)) };
}

/** Queues the INSERT of a new invoice and its lines (sent with the caller's next read or COMMIT). */
export async function insertInvoice(runner: Sql, invoice: InvoiceWithLines): Promise<void> {
  const { lines, ...row } = invoice;
  await runner.write(sql`INSERT INTO invoices SELECT * FROM json_populate_record(NULL::invoices, ${jsonRow(row)}::json)`);
  if (lines.length === 0) return;
  await runner.write(sql`INSERT INTO invoice_lines SELECT * FROM json_populate_recordset(NULL::invoice_lines, ${`[${lines.map(jsonRow).join(",")}]`}::json)`);
}
