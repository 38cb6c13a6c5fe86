import { csvAmount, csvDateTime, csvFromPages } from "@/lib/csv/csv";
import type { Db } from "@/lib/db/client";
import { sql } from "@/lib/db/sql";
import { CSV_PAGE_ROWS, inPeriod, keysetPage, type ReportCsvOptions } from "./report-csv";

/**
 * The disputes as CSV: one row per dispute opened in the period or closed in it (the clinic's days),
 * oldest first, with its state now: the rows behind "opened", "won", "lost" and the win rate.
 */
export async function* disputesCsv(db: Db, options: ReportCsvOptions): AsyncGenerator<string> {
  const { period, organizationId } = options;
  const filters = sql`d.organization_id = ${organizationId}::uuid AND d.currency = ${period.currency}
            AND (${inPeriod(sql`d.created_at`, period)} OR (d.closed_at IS NOT NULL AND ${inPeriod(sql`d.closed_at`, period)}))`;
  yield* csvFromPages({
    header: ["opened", "invoice", "patient", "reason", "status", "evidence_due_by", "evidence_submitted", "closed", "resolution", "currency", "amount", "fee"],
    batch: CSV_PAGE_ROWS,
    page: (cursor, limit) =>
      keysetPage<{
        id: string;
        sortAt: Date;
        invoice: string | null;
        patient: string | null;
        reason: string;
        status: string;
        evidenceDueBy: Date | null;
        evidenceSubmittedAt: Date | null;
        closedAt: Date | null;
        resolution: string | null;
        amount: number;
        fee: number;
      }>(db, {
        head: sql`FROM disputes d WHERE ${filters}`,
        rows: (range) => sql`
          SELECT d.id::text AS id, d.created_at AS "sortAt", i.number AS invoice, pt.first_name || ' ' || pt.last_name AS patient,
                 d.reason, d.status::text AS status, d.evidence_due_by AS "evidenceDueBy", d.evidence_submitted_at AS "evidenceSubmittedAt",
                 d.closed_at AS "closedAt", d.resolution::text AS resolution, d.amount, d.fee_amount AS fee
          FROM disputes d
          JOIN invoices i ON i.id = d.invoice_id
          LEFT JOIN patients pt ON pt.id = i.patient_id
          WHERE ${filters} AND ${range}`,
        sort: sql`d.created_at`,
        id: sql`d.id`,
        cursor,
        limit,
      }),
    row: (dispute) => [
      csvDateTime(dispute.sortAt, period.timezone),
      dispute.invoice,
      dispute.patient,
      dispute.reason,
      dispute.status,
      dispute.evidenceDueBy ? csvDateTime(dispute.evidenceDueBy, period.timezone) : null,
      dispute.evidenceSubmittedAt ? csvDateTime(dispute.evidenceSubmittedAt, period.timezone) : null,
      dispute.closedAt ? csvDateTime(dispute.closedAt, period.timezone) : null,
      dispute.resolution,
      period.currency,
      csvAmount(dispute.amount, period.currency),
      csvAmount(dispute.fee, period.currency),
    ],
  });
}
