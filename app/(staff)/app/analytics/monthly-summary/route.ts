import { parseSummaryMonth } from "@/lib/analytics/monthly-summary";
import { getDb } from "@/lib/db/client";
import { withAuth } from "@/lib/http/route";
import { renderMonthlySummaryPdf } from "@/lib/pdf/render-monthly-summary-pdf";

export const dynamic = "force-dynamic";

/** The one-page monthly summary PDF (`?month=YYYY-MM`, 422 naming `month` otherwise), to print. Any staff role, like the analytics page. */
export const GET = withAuth("/app/analytics/monthly-summary", { role: "viewer" }, async (request, { auth }) => {
  const month = parseSummaryMonth(request.nextUrl.searchParams, auth.organization.timezone);
  const { filename, pdf } = await renderMonthlySummaryPdf(await getDb(), { organizationId: auth.organization.id, month });
  return new Response(new Uint8Array(pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `inline; filename="${filename}"`,
      "Content-Length": String(pdf.length),
      "Cache-Control": "private, no-store",
    },
  });
});
