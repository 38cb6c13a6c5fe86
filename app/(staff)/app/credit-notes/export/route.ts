import { getDb } from "@/lib/db/client";
import { csvHeaders, textStream } from "@/lib/csv/csv";
import { withAuth } from "@/lib/http/route";
import { exportCreditNotesCsv } from "@/lib/credit-notes/export-credit-notes";
import { readCreditNoteListParams } from "@/lib/search/list-params";

export const dynamic = "force-dynamic";

/** The credit notes list as CSV, with the list's filters, search and sort (its URL's parameters). */
export const GET = withAuth("/app/credit-notes/export", { role: "viewer" }, async (request, { auth }) => {
  const { input } = readCreditNoteListParams(request.nextUrl.searchParams);
  return new Response(textStream(exportCreditNotesCsv(await getDb(), { organizationId: auth.organization.id, input })), {
    headers: csvHeaders("credit-notes", auth.organization.timezone),
  });
});
