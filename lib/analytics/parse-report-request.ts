import { AppError, type FieldErrors } from "@/lib/errors";
import { zodFieldErrors } from "@/lib/http/error-response";
import { REPORT_NAMES, type ReportName } from "./analytics.types";
import { ZAnalyticsQuery, type TAnalyticsQuery } from "./analytics-period";

export const REPORT_FORMATS = ["json", "csv"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

function isReportFormat(value: string): value is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(value);
}

export function isReportName(value: string): value is ReportName {
  return (REPORT_NAMES as readonly string[]).includes(value);
}

/**
 * A report's name (from the path) and its query (`?preset=&from=&to=&granularity=`), as the API and
 * the CSV exports read them. An unknown report is bad input like a bad date: 422 naming `report`,
 * reported together with any bad query field.
 */
export function parseReportRequest(report: string, params: URLSearchParams): { report: ReportName; query: TAnalyticsQuery; format: ReportFormat | undefined } {
  const fields: FieldErrors = {};
  if (!isReportName(report)) fields.report = [`Unknown report "${report.slice(0, 40)}": choose one of ${REPORT_NAMES.join(", ")}`];
  const format = params.get("format") ?? undefined;
  if (format !== undefined && !isReportFormat(format)) fields.format = [`Choose one of ${REPORT_FORMATS.join(", ")}`];
  const { format: _format, ...query } = Object.fromEntries(params.entries());
  const parsed = ZAnalyticsQuery.safeParse(query);
  if (!parsed.success) Object.assign(fields, zodFieldErrors(parsed.error));
  if (Object.keys(fields).length > 0 || !parsed.success || !isReportName(report))
    throw new AppError("VALIDATION_FAILED", fields.report ? "Unknown report." : "Some query parameters are invalid.", { fields });
  return { report, query: parsed.data, format: format as ReportFormat | undefined };
}
