import { csvAmount, csvDateTime, csvFromPages } from "@/lib/csv/csv";
import type { Db } from "@/lib/db/client";
import { sql } from "@/lib/db/sql";
import { CSV_PAGE_ROWS, inPeriod, keysetPage, type ReportCsvOptions } from "./report-csv";

/** The refunds as CSV: one row per refund requested in the period (the clinic's days), oldest first, with its state now. */
export async function* refundsCsv(db: Db, options: ReportCsvOptions): AsyncGenerator<string> {
  const { period, organizationId } = options;
  const filters = sql`r.organization_id = ${organizationId}::uuid AND r.currency = ${period.currency}
            AND ${inPeriod(sql`r.created_at`, period)}`;
  yield* csvFromPages({
    header: ["requested", "invoice", "patient", "payment_method", "reason", "mode", "status", "settled", "failure_reason", "currency", "amount", "from_credit"],
    batch: CSV_PAGE_ROWS,
    page: (cursor, limit) =>
      keysetPage<{
        id: string;
        sortAt: Date;
        invoice: string | null;
        patient: string;
        method: string;
        reason: string;
        mode: string;
        status: string;
        settledAt: Date | null;
        failureReason: string | null;
        amount: number;
        fromCredit: number;
      }>(db, {
        head: sql`FROM refunds r WHERE ${filters}`,
        rows: (range) => sql`
          SELECT r.id::text AS id, r.created_at AS "sortAt", i.number AS invoice, pt.first_name || ' ' || pt.last_name AS patient,
                 p.method_type::text AS method, r.reason::text AS reason, r.mode::text AS mode, r.status::text AS status,
                 COALESCE(r.succeeded_at, r.failed_at) AS "settledAt", r.failure_reason AS "failureReason", r.amount, r.from_credit AS "fromCredit"
          FROM refunds r
          JOIN payments p ON p.id = r.payment_id
          JOIN invoices i ON i.id = r.invoice_id
          JOIN patients pt ON pt.id = r.patient_id
          WHERE ${filters} AND ${range}`,
        sort: sql`r.created_at`,
        id: sql`r.id`,
        cursor,
        limit,
      }),
    row: (refund) => [
      csvDateTime(refund.sortAt, period.timezone),
      refund.invoice,
      refund.patient,
      refund.method,
      refund.reason,
      refund.mode,
      refund.status,
      refund.settledAt ? csvDateTime(refund.settledAt, period.timezone) : null,
      refund.failureReason,
      period.currency,
      csvAmount(refund.amount, period.currency),
      csvAmount(refund.fromCredit, period.currency),
    ],
  });
}
