import { getDb } from "@/lib/db/client";
import { csvHeaders, textStream } from "@/lib/csv/csv";
import { withAuth } from "@/lib/http/route";
import { exportPaymentsCsv } from "@/lib/payments/export-payments";
import { readPaymentListParams } from "@/lib/search/list-params";

export const dynamic = "force-dynamic";

/** The payments list as CSV, with the list's filters, search and sort (its URL's parameters). */
export const GET = withAuth("/app/payments/export", { role: "viewer" }, async (request, { auth }) => {
  const { input } = readPaymentListParams(request.nextUrl.searchParams);
  return new Response(textStream(exportPaymentsCsv(await getDb(), { organizationId: auth.organization.id, input })), {
    headers: csvHeaders("payments", auth.organization.timezone),
  });
});
