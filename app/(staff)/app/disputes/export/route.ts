import { listExportRoute } from "@/lib/csv/list-export-route";
import { exportDisputesCsv } from "@/lib/disputes/export-disputes";
import { readDisputeListParams } from "@/lib/search/list-params";

export const dynamic = "force-dynamic";

/** The disputes list as CSV, with the list's filters, search and sort (its URL's parameters). */
export const GET = listExportRoute("/app/disputes/export", { name: "disputes", readParams: readDisputeListParams, rows: exportDisputesCsv });
