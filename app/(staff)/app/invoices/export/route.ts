import { listExportRoute } from "@/lib/csv/list-export-route";
import { exportInvoicesCsv } from "@/lib/invoices/export-invoices";
import { readInvoiceListParams } from "@/lib/search/list-params";

export const dynamic = "force-dynamic";

/** The invoices list as CSV, with the list's filters, search and sort (its URL's parameters). */
export const GET = listExportRoute("/app/invoices/export", { name: "invoices", readParams: readInvoiceListParams, rows: exportInvoicesCsv });
