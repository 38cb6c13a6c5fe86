import { csvAmount, csvFromPages } from "@/lib/csv/csv";
import type { Db } from "@/lib/db/client";
import { sql } from "@/lib/db/sql";
import { todayIn } from "@/lib/invoices/dates";
import { daysBetween } from "../analytics-period";
import { agingBucket } from "../aging-buckets";
import { CSV_PAGE_ROWS, keysetPage, type ReportCsvOptions } from "./report-csv";

/**
 * The aging as CSV: one row per open or partially paid invoice (what the aging report counts; their
 * amounts due add up to the receivable), oldest invoice date first, with its age in days from the
 * invoice date (the clinic's date it was finalized) to the clinic's today and its bucket. Like the
 * aging report, it is a picture of now: the period does not apply.
 */
export async function* agingCsv(db: Db, options: ReportCsvOptions): AsyncGenerator<string> {
  const { period, organizationId } = options;
  const asOf = todayIn(period.timezone, options.now);
  const filters = sql`i.organization_id = ${organizationId}::uuid AND i.currency = ${period.currency} AND i.status IN ('open', 'partially_paid')`;
  yield* csvFromPages({
    header: ["invoice", "patient", "issue_date", "due_date", "days", "bucket", "status", "currency", "total", "amount_due"],
    batch: CSV_PAGE_ROWS,
    page: (cursor, limit) =>
      keysetPage<{
        id: string;
        sortAt: Date;
        number: string | null;
        patient: string;
        issueDate: string;
        dueDate: Date | null;
        status: string;
        total: number;
        amountDue: number;
      }>(db, {
        head: sql`FROM invoices i WHERE ${filters}`,
        rows: (range) => sql`
          SELECT i.id::text AS id, i.finalized_at AS "sortAt", i.number, p.first_name || ' ' || p.last_name AS patient,
                 to_char(i.finalized_at AT TIME ZONE ${period.timezone}, 'YYYY-MM-DD') AS "issueDate", i.due_date AS "dueDate",
                 i.status::text AS status, i.total, i.amount_due AS "amountDue"
          FROM invoices i JOIN patients p ON p.id = i.patient_id
          WHERE ${filters} AND ${range}`,
        sort: sql`i.finalized_at`,
        id: sql`i.id`,
        cursor,
        limit,
      }),
    row: (invoice) => {
      const days = daysBetween(invoice.issueDate, asOf);
      return [
        invoice.number,
        invoice.patient,
        invoice.issueDate,
        invoice.dueDate?.toISOString().slice(0, 10),
        days,
        agingBucket(days),
        invoice.status,
        period.currency,
        csvAmount(invoice.total, period.currency),
        csvAmount(invoice.amountDue, period.currency),
      ];
    },
  });
}
