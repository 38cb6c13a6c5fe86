import type { Db, Tx } from "@/lib/db/client";
import { sql, sqlOf, type Int8 } from "@/lib/db/sql";
import type { AnalyticsPeriod, ServiceRow, ServicesReport } from "./analytics.types";
import { horizonCheckSql, withRollupHorizon } from "./load-ledger-facts";
import { SERVICE_AMOUNTS_SQL, sharedAcrossLines } from "./service-shares";

/**
 * Top services of a period (by service code and description): net charges (their invoice lines'
 * totals at finalization, less voids, less their share of credit notes) and collections (their
 * share of what payments applied to their invoices), both by the journal's clinic day.
 */
export async function getServicesReport(db: Db | Tx, options: { organizationId: string; period: AnalyticsPeriod; limit?: number }): Promise<ServicesReport> {
  const { organizationId, period } = options;
  const { timezone, currency } = period;
  const rows = await withRollupHorizon(db, { organizationId, timezone }, async (horizon) => {
    const live = sql`
      SELECT journal_id, kind, (occurred_at AT TIME ZONE ${timezone})::date AS day, currency, invoice_id, figure, SUM(amount)::bigint AS amount
      FROM (${SERVICE_AMOUNTS_SQL}
        AND e.organization_id = ${organizationId}::uuid AND e.xact_id >= ${horizon}::bigint AND e.currency = ${currency}
        AND e.occurred_at >= (${period.from}::date::timestamp AT TIME ZONE ${timezone})
        AND e.occurred_at < ((${period.to}::date + 1)::timestamp AT TIME ZONE ${timezone})
        GROUP BY e.id, e.kind, e.occurred_at, e.currency, COALESCE(l.invoice_id, cn.invoice_id)) per_journal
      GROUP BY journal_id, kind, occurred_at, currency, invoice_id, figure`;
    const rows = await sqlOf(db).query<{ horizon: boolean; serviceCode: string; description: string; netCharges: Int8; collections: Int8; lines: number }>(sql`
      SELECT false AS horizon, service_code AS "serviceCode", description, SUM(net_charges)::bigint AS "netCharges", SUM(collections)::bigint AS collections,
             SUM(lines)::int AS lines
      FROM (
        SELECT t.service_code, t.description, t.net_charges, t.collections, t.lines
        FROM service_daily_totals t
        WHERE t.organization_id = ${organizationId}::uuid AND t.currency = ${currency} AND t.day >= ${period.from}::date AND t.day <= ${period.to}::date
          AND EXISTS (SELECT 1 FROM ledger_rollup_state s WHERE s.organization_id = ${organizationId}::uuid AND s.timezone = ${timezone} AND s.horizon = ${horizon}::bigint)
        UNION ALL
        SELECT service_code, description, CASE WHEN figure = 'charge' THEN share ELSE 0 END, CASE WHEN figure = 'collection' THEN share ELSE 0 END, line_count
        FROM (${sharedAcrossLines(live)}) shares
      ) services
      GROUP BY service_code, description
      UNION ALL
      SELECT true, '', '', ${horizonCheckSql({ organizationId, timezone })}::bigint, 0, 0`);
    const seen = rows.find((row) => row.horizon);
    return { result: rows.filter((row) => !row.horizon), horizonSeen: Number(seen?.netCharges ?? 0) };
  });
  const services: ServiceRow[] = rows.map((row) => ({
    serviceCode: row.serviceCode === "" ? null : row.serviceCode,
    description: row.description,
    netCharges: Number(row.netCharges),
    collections: Number(row.collections),
    lines: row.lines,
  }));
  const limit = options.limit ?? 10;
  const by = (figure: "netCharges" | "collections") =>
    services
      .filter((service) => service[figure] !== 0)
      .sort((a, b) => b[figure] - a[figure] || (a.serviceCode ?? "").localeCompare(b.serviceCode ?? "") || a.description.localeCompare(b.description))
      .slice(0, limit);
  return { period, byNetCharges: by("netCharges"), byCollections: by("collections") };
}
