import { parseReportRequest } from "@/lib/analytics/parse-report-request";
import { exportReportCsv, reportCsvResponse } from "@/lib/analytics/csv/export-report-csv";
import { getAnalyticsReport } from "@/lib/analytics/get-analytics-report";
import { apiRoute } from "@/lib/http/api-route";

export const dynamic = "force-dynamic";

/**
 * A report (summary, aging, collections, payments, refunds, disputes, services, recurring, insurance) for the key's
 * organization as JSON, or as the CSV of its rows with `?format=csv` or `Accept: text/csv`. An
 * unknown report name is bad input like a bad date: 422 naming `report`.
 */
export const GET = apiRoute<{ report: string }>("/api/v1/reports/{report}", async (request, { db, principal, actor, params }) => {
  const { report, query, format } = parseReportRequest(params.report, request.nextUrl.searchParams);
  const csv = format === "csv" || (format === undefined && /(^|,)\s*text\/csv\b/i.test(request.headers.get("accept") ?? ""));
  if (csv) return reportCsvResponse(await exportReportCsv(db, { organizationId: principal.organizationId, actor, report, query }));
  return { status: 200, body: await getAnalyticsReport(db, { organizationId: principal.organizationId, report, query }) };
});
