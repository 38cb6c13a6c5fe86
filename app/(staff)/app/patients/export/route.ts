import { getDb } from "@/lib/db/client";
import { csvHeaders, textStream } from "@/lib/csv/csv";
import { withAuth } from "@/lib/http/route";
import { exportPatientsCsv } from "@/lib/patients/export-patients";
import { readPatientListParams } from "@/lib/search/list-params";

export const dynamic = "force-dynamic";

/** The patients list as CSV, with the list's filters, search and sort (its URL's parameters). */
export const GET = withAuth("/app/patients/export", { role: "viewer" }, async (request, { auth }) => {
  const { input } = readPatientListParams(request.nextUrl.searchParams);
  return new Response(textStream(exportPatientsCsv(await getDb(), { organizationId: auth.organization.id, input })), {
    headers: csvHeaders("patients", auth.organization.timezone),
  });
});
