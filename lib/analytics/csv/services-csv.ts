import { csvAmount, csvFromPages } from "@/lib/csv/csv";
import type { Db } from "@/lib/db/client";
import type { ServiceRow } from "../analytics.types";
import { getServicesReport } from "../get-services-report";
import type { ReportCsvOptions } from "./report-csv";

/**
 * The services as CSV: one row per service (service code and description) with net charges or
 * collections in the period, highest net charges first, read by the services report itself (every
 * service, not its top ten), so the rows add up to the report's figures. A clinic has hundreds of
 * services, not hundreds of thousands: they are read in one statement.
 */
export async function* servicesCsv(db: Db, options: ReportCsvOptions): AsyncGenerator<string> {
  const { period, organizationId } = options;
  yield* csvFromPages<ServiceRow>({
    header: ["service_code", "description", "lines", "currency", "net_charges", "collections"],
    page: async () => {
      const report = await getServicesReport(db, { organizationId, period, limit: Number.MAX_SAFE_INTEGER });
      const services = new Map<string, ServiceRow>();
      for (const service of [...report.byNetCharges, ...report.byCollections])
        services.set(`${service.serviceCode ?? ""}\u0000${service.description}`, service);
      const data = [...services.values()].sort(
        (a, b) =>
          b.netCharges - a.netCharges ||
          b.collections - a.collections ||
          (a.serviceCode ?? "").localeCompare(b.serviceCode ?? "") ||
          a.description.localeCompare(b.description),
      );
      return { data, nextCursor: null };
    },
    row: (service) => [
      service.serviceCode,
      service.description,
      service.lines,
      period.currency,
      csvAmount(service.netCharges, period.currency),
      csvAmount(service.collections, period.currency),
    ],
  });
}
