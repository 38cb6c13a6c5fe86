import { csvAmount, csvDateTime, csvFromPages } from "@/lib/csv/csv";
import type { Db } from "@/lib/db/client";
import { sql } from "@/lib/db/sql";
import { DEFAULT_ACCOUNTS } from "@/lib/ledger/accounts";
import { LEDGER_FIGURE_RULES } from "../ledger-figures";
import { CHANNEL_SQL } from "../load-ledger-facts";
import { CSV_PAGE_ROWS, inPeriod, keysetPage, type ReportCsvOptions } from "./report-csv";

const MOVEMENT: Record<string, string> = {
  "payment.succeeded": "payment received",
  "payment.manual": "payment received",
  "payment.manual.voided": "manual payment voided",
  "refund.requested": "refund",
  "refund.failed": "refund failed",
};

const codes = (accounts: readonly (keyof typeof DEFAULT_ACCOUNTS)[]) => accounts.map((account) => DEFAULT_ACCOUNTS[account].code);

/**
 * The collections as CSV: one row per money movement of the period (a journal of the collections or
 * refunds figure), dated when it was booked on the clinic's clock, with the money it moved in or
 * out: `amount` is what the journal put on (positive) or took off (negative) the money accounts the
 * figure reads. So the rows' amounts of "payment received" and "manual payment voided" add up to
 * collections, and those of "refund" and "refund failed" to minus refunds.
 */
export async function* collectionsCsv(db: Db, options: ReportCsvOptions): AsyncGenerator<string> {
  const { period, organizationId } = options;
  const collections = LEDGER_FIGURE_RULES.collections;
  const refunds = LEDGER_FIGURE_RULES.refunds;
  const filters = sql`e.organization_id = ${organizationId}::uuid AND e.currency = ${period.currency}
    AND e.kind = ANY(${[...collections.kinds, ...refunds.kinds]}::text[]) AND ${inPeriod(sql`e.occurred_at`, period)}`;
  yield* csvFromPages({
    header: ["date", "movement", "channel", "method", "invoice", "patient", "receipt", "reference", "currency", "amount"],
    batch: CSV_PAGE_ROWS,
    page: (cursor, limit) =>
      keysetPage<{
        id: string;
        sortAt: Date;
        kind: string;
        channel: string;
        method: string | null;
        invoice: string | null;
        patient: string | null;
        receipt: string | null;
        reference: string | null;
        amount: number;
      }>(db, {
        head: sql`FROM journal_entries e WHERE ${filters}`,
        rows: (range) => sql`
          SELECT e.id::text AS id, e.occurred_at AS "sortAt", e.kind, ${CHANNEL_SQL} AS channel, p.method_type::text AS method,
                 i.number AS invoice, pt.first_name || ' ' || pt.last_name AS patient, p.receipt_number AS receipt, p.reference,
                 (SELECT COALESCE(SUM(l.amount), 0)::int FROM journal_lines l JOIN ledger_accounts a ON a.id = l.account_id
                   WHERE l.journal_entry_id = e.id
                     AND a.code = ANY(CASE WHEN e.kind = ANY(${[...collections.kinds]}::text[]) THEN ${codes(collections.accounts)}::text[] ELSE ${codes(refunds.accounts)}::text[] END)) AS amount
          FROM journal_entries e
          LEFT JOIN refunds r ON e.source_type = 'refund' AND r.id = e.source_id
          LEFT JOIN payments p ON p.id = CASE WHEN e.source_type = 'payment' THEN e.source_id ELSE r.payment_id END
          LEFT JOIN invoices i ON i.id = COALESCE(r.invoice_id, p.invoice_id)
          LEFT JOIN patients pt ON pt.id = COALESCE(r.patient_id, p.patient_id)
          WHERE ${filters} AND ${range}`,
        sort: sql`e.occurred_at`,
        id: sql`e.id`,
        cursor,
        limit,
      }),
    row: (movement) => [
      csvDateTime(movement.sortAt, period.timezone),
      MOVEMENT[movement.kind] ?? movement.kind,
      movement.channel || null,
      movement.method,
      movement.invoice,
      movement.patient,
      movement.receipt,
      movement.reference,
      period.currency,
      csvAmount(movement.amount, period.currency),
    ],
  });
}
