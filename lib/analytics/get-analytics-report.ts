import type { Db, Tx } from "@/lib/db/client";
import { sql, sqlOf } from "@/lib/db/sql";
import { resolveAnalyticsPeriod, type TAnalyticsQuery } from "./analytics-period";
import type { AnalyticsReports, ReportName } from "./analytics.types";
import { getAgingReport } from "./get-aging-report";
import { getCollectionsReport } from "./get-collections-report";
import { getDisputesReport } from "./get-disputes-report";
import { getInsuranceReport } from "./insurance-figures";
import { getPaymentsReport } from "./get-payments-report";
import { getRecurringReport } from "./get-recurring-report";
import { getRefundsReport } from "./get-refunds-report";
import { getServicesReport } from "./get-services-report";
import { getSummaryReport } from "./get-summary-report";

/**
 * One report for the page, the API, the CSV exports and the PDF: reads the organization's time
 * zone and currency, resolves the query to its period there and runs the report's loader.
 */
export async function getAnalyticsReport<R extends ReportName>(
  db: Db | Tx,
  options: { organizationId: string; report: R; query: TAnalyticsQuery; now?: Date },
): Promise<AnalyticsReports[R]> {
  const [organization] = await sqlOf(db).query<{ timezone: string; currency: string }>(
    sql`SELECT timezone, currency FROM organizations WHERE id = ${options.organizationId}::uuid`,
  );
  if (!organization) throw new Error(`getAnalyticsReport: no organization ${options.organizationId}`);
  const now = options.now ?? new Date();
  const { organizationId } = options;
  const period = resolveAnalyticsPeriod(options.query, organization, now);
  const report: ReportName = options.report;
  switch (report) {
    case "summary":
      return (await getSummaryReport(db, { organizationId, period, now })) as AnalyticsReports[R];
    case "aging":
      return (await getAgingReport(db, { organizationId, now })) as AnalyticsReports[R];
    case "collections":
      return (await getCollectionsReport(db, { organizationId, period })) as AnalyticsReports[R];
    case "payments":
      return (await getPaymentsReport(db, { organizationId, period })) as AnalyticsReports[R];
    case "refunds":
      return (await getRefundsReport(db, { organizationId, period })) as AnalyticsReports[R];
    case "disputes":
      return (await getDisputesReport(db, { organizationId, period })) as AnalyticsReports[R];
    case "services":
      return (await getServicesReport(db, { organizationId, period })) as AnalyticsReports[R];
    case "recurring":
      return (await getRecurringReport(db, { organizationId, period, now })) as AnalyticsReports[R];
    case "insurance":
      return (await getInsuranceReport(db, { organizationId, period, now })) as AnalyticsReports[R];
  }
}
