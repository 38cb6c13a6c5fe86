import { listExportRoute } from "@/lib/csv/list-export-route";
import { exportCreditNotesCsv } from "@/lib/credit-notes/export-credit-notes";
import { readCreditNoteListParams } from "@/lib/search/list-params";

export const dynamic = "force-dynamic";

/** The credit notes list as CSV, with the list's filters, search and sort (its URL's parameters). */
export const GET = listExportRoute("/app/credit-notes/export", { name: "credit-notes", readParams: readCreditNoteListParams, rows: exportCreditNotesCsv });
