import { listExportRoute } from "@/lib/csv/list-export-route";
import { exportPaymentsCsv } from "@/lib/payments/export-payments";
import { readPaymentListParams } from "@/lib/search/list-params";

export const dynamic = "force-dynamic";

/** The payments list as CSV, with the list's filters, search and sort (its URL's parameters). */
export const GET = listExportRoute("/app/payments/export", { name: "payments", readParams: readPaymentListParams, rows: exportPaymentsCsv });
