import type { NextRequest } from "next/server";
import { parseReportRequest } from "@/lib/analytics/parse-report-request";
import { exportReportCsv, reportCsvResponse } from "@/lib/analytics/csv/export-report-csv";
import { getDb } from "@/lib/db/client";
import { withAuth } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** A section of the analytics page as CSV (the page's query: ?preset=&from=&to=&granularity=), streamed and audit-logged. */
export const GET = withAuth<{ report: string }>("/app/analytics/export/{report}", { role: "viewer" }, async (request: NextRequest, { auth, params }) => {
  const { report, query } = parseReportRequest(params.report, request.nextUrl.searchParams);
  const db = await getDb();
  return reportCsvResponse(await exportReportCsv(db, { organizationId: auth.organization.id, actor: auth.actor, report, query }));
});
