import { listExportRoute } from "@/lib/csv/list-export-route";
import { exportPatientsCsv } from "@/lib/patients/export-patients";
import { readPatientListParams } from "@/lib/search/list-params";

export const dynamic = "force-dynamic";

/** The patients list as CSV, with the list's filters, search and sort (its URL's parameters). */
export const GET = listExportRoute("/app/patients/export", { name: "patients", readParams: readPatientListParams, rows: exportPatientsCsv });
