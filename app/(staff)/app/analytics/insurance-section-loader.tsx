import type { TAnalyticsQuery } from "@/lib/analytics/analytics-period";
import { getAnalyticsReport } from "@/lib/analytics/get-analytics-report";
import { getDb } from "@/lib/db/client";
import { InsuranceSection } from "@/components/analytics/insurance-section";

/**
 * The insurance section, loaded on its own so that the page streams it in after the other figures:
 * its claims queries cost more than the ledger rollups' on a clinic with many claims.
 */
export async function InsuranceSectionLoader({
  organizationId,
  query,
  csvHref,
  previousLabel,
}: {
  organizationId: string;
  query: TAnalyticsQuery;
  csvHref: string;
  previousLabel: string;
}) {
  const report = await getAnalyticsReport(await getDb(), { organizationId, report: "insurance", query });
  return <InsuranceSection report={report} csvHref={csvHref} previousLabel={previousLabel} />;
}
