import { csvAmount, csvFromPages } from "@/lib/csv/csv";
import type { Db } from "@/lib/db/client";
import { sql, sqlOf } from "@/lib/db/sql";
import { CSV_PAGE_ROWS, inPeriod, type ReportCsvOptions } from "./report-csv";

/**
 * The services as CSV: one row per service (service code and description) billed in the period,
 * highest net charges first: its invoice lines (after their discount, with tax) on invoices
 * finalized in the period and not voided, and the payments applied to those invoices shared across
 * their lines by the lines' totals.
 */
export async function* servicesCsv(db: Db, options: ReportCsvOptions): AsyncGenerator<string> {
  const { period, organizationId } = options;
  yield* csvFromPages({
    header: ["service_code", "description", "lines", "currency", "net_charges", "collections"],
    batch: CSV_PAGE_ROWS,
    page: async (cursor, limit) => {
      const offset = cursor ? Number(cursor) : 0;
      const rows = await sqlOf(db).query<{ serviceCode: string | null; description: string; lines: number; netCharges: number; collections: number }>(sql`
        WITH lines AS (
          SELECT l.service_code, l.description, l.amount - l.discount_amount + l.tax_amount AS line_total, i.total, i.amount_paid
          FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id
          WHERE i.organization_id = ${organizationId}::uuid AND i.currency = ${period.currency} AND i.status <> 'void'
            AND i.finalized_at IS NOT NULL AND ${inPeriod(sql`i.finalized_at`, period)}
        )
        SELECT service_code AS "serviceCode", description, COUNT(*)::int AS lines, SUM(line_total)::bigint::int AS "netCharges",
               SUM(CASE WHEN total > 0 THEN round(amount_paid::numeric * line_total / total) ELSE 0 END)::bigint::int AS collections
        FROM lines
        GROUP BY service_code, description
        ORDER BY 4 DESC, service_code NULLS LAST, description
        OFFSET ${offset}::int LIMIT ${limit}::int`);
      return { data: rows, nextCursor: rows.length === limit ? String(offset + limit) : null };
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
