import { getDb } from "@/lib/db/client";
import { csvHeaders, textStream } from "@/lib/csv/csv";
import { withAuth } from "@/lib/http/route";
import { exportDisputesCsv } from "@/lib/disputes/export-disputes";
import { readDisputeListParams } from "@/lib/search/list-params";

export const dynamic = "force-dynamic";

/** The disputes list as CSV, with the list's filters, search and sort (its URL's parameters). */
export const GET = withAuth("/app/disputes/export", { role: "viewer" }, async (request, { auth }) => {
  const { input } = readDisputeListParams(request.nextUrl.searchParams);
  return new Response(textStream(exportDisputesCsv(await getDb(), { organizationId: auth.organization.id, input })), {
    headers: csvHeaders("disputes", auth.organization.timezone),
  });
});
