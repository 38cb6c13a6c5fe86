import { getDb } from "@/lib/db/client";
import { csvHeaders, textStream } from "@/lib/csv/csv";
import { withAuth } from "@/lib/http/route";
import { exportInvoicesCsv } from "@/lib/invoices/export-invoices";
import { readInvoiceListParams } from "@/lib/search/list-params";

export const dynamic = "force-dynamic";

/** The invoices list as CSV, with the list's filters, search and sort (its URL's parameters). */
export const GET = withAuth("/app/invoices/export", { role: "viewer" }, async (request, { auth }) => {
  const { input } = readInvoiceListParams(request.nextUrl.searchParams);
  return new Response(textStream(exportInvoicesCsv(await getDb(), { organizationId: auth.organization.id, input })), {
    headers: csvHeaders("invoices", auth.organization.timezone),
  });
});
