import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { textStream } from "@/lib/csv/csv";
import type { Db } from "@/lib/db/client";
import { todayIn } from "@/lib/invoices/dates";
import type { ReportName } from "../analytics.types";
import { resolveAnalyticsPeriod, type TAnalyticsQuery } from "../analytics-period";
import { agingCsv } from "./aging-csv";
import { collectionsCsv } from "./collections-csv";
import { disputesCsv } from "./disputes-csv";
import { insuranceCsv } from "./insurance-csv";
import { paymentsCsv } from "./payments-csv";
import { recurringCsv } from "./recurring-csv";
import { refundsCsv } from "./refunds-csv";
import type { ReportCsv } from "./report-csv";
import { servicesCsv } from "./services-csv";
import { summaryCsv } from "./summary-csv";

const REPORT_CSVS: Record<ReportName, ReportCsv> = {
  summary: summaryCsv,
  aging: agingCsv,
  collections: collectionsCsv,
  payments: paymentsCsv,
  refunds: refundsCsv,
  disputes: disputesCsv,
  services: servicesCsv,
  recurring: recurringCsv,
  insurance: insuranceCsv,
};

/**
 * A report section as CSV: the rows behind its figures for the query's period (the clinic's days),
 * streamed in keyset pages so memory stays constant however many rows. Amounts are decimals of the
 * organization's currency; dates and times are on the clinic's clock. The rows hold patients' names,
 * so the export is audit-logged (who, which report, which query) before the first row is read.
 */
export async function exportReportCsv(
  db: Db,
  options: { organizationId: string; actor: AuditActor; report: ReportName; query: TAnalyticsQuery; now?: Date },
): Promise<{ filename: string; rows: AsyncGenerator<string> }> {
  const { organizationId, report } = options;
  const organization = await db.organization.findUniqueOrThrow({ where: { id: organizationId }, select: { timezone: true, currency: true } });
  const now = options.now ?? new Date();
  const period = resolveAnalyticsPeriod(options.query, organization, now);
  await recordAuditEvent(db, {
    organizationId,
    actor: options.actor,
    action: "analytics.exported",
    after: { report, query: options.query, period: { from: period.from, to: period.to, granularity: period.granularity } },
  });
  const filename =
    report === "aging" || report === "insurance"
      ? `analytics-${report}-${todayIn(period.timezone, now)}.csv`
      : `analytics-${report}-${period.from}-to-${period.to}.csv`;
  return { filename, rows: REPORT_CSVS[report](db, { organizationId, period, now }) };
}

/** A report's CSV as a download, pulled from the database as the client reads. */
export function reportCsvResponse(csv: { filename: string; rows: AsyncGenerator<string> }): Response {
  return new Response(textStream(csv.rows), {
    headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${csv.filename}"`, "Cache-Control": "no-store" },
  });
}
