import { csvAmount, csvDateTime, csvFromPages } from "@/lib/csv/csv";
import type { Db } from "@/lib/db/client";
import { sql, sqlOf } from "@/lib/db/sql";
import { afterCursor, CSV_PAGE_ROWS, inPeriod, pageOf, type ReportCsvOptions } from "./report-csv";

/**
 * The card payments as CSV: one row per card PaymentIntent created in the period (the clinic's
 * days) that was submitted at least once (it succeeded, failed or went further than waiting for a
 * card), oldest first: the rows behind the success rates and decline reasons.
 */
export async function* paymentsCsv(db: Db, options: ReportCsvOptions): AsyncGenerator<string> {
  const { period, organizationId } = options;
  yield* csvFromPages({
    header: [
      "created",
      "invoice",
      "source",
      "status",
      "succeeded",
      "first_attempt_success",
      "decline_code",
      "decline_message",
      "three_d_secure",
      "card_brand",
      "card_last4",
      "currency",
      "amount",
    ],
    batch: CSV_PAGE_ROWS,
    page: async (cursor, limit) =>
      pageOf(
        await sqlOf(db).query<{
          id: string;
          sortAt: Date;
          invoice: string | null;
          source: string;
          status: string;
          succeeded: boolean;
          firstAttempt: boolean;
          failureCode: string | null;
          failureMessage: string | null;
          cardBrand: string | null;
          cardLast4: string | null;
          amount: number;
        }>(sql`
          SELECT p.id::text AS id, p.created_at AS "sortAt", i.number AS invoice, p.source::text AS source, p.status::text AS status,
                 p.succeeded_at IS NOT NULL AS succeeded, p.succeeded_at IS NOT NULL AND p.failed_at IS NULL AS "firstAttempt",
                 p.failure_code AS "failureCode", p.failure_message AS "failureMessage", p.card_brand AS "cardBrand", p.card_last4 AS "cardLast4", p.amount
          FROM payments p
          LEFT JOIN invoices i ON i.id = p.invoice_id
          WHERE p.organization_id = ${organizationId}::uuid AND p.currency = ${period.currency} AND p.source <> 'manual' AND p.method_type = 'card'
            AND (p.succeeded_at IS NOT NULL OR p.failed_at IS NOT NULL OR p.status NOT IN ('requires_payment_method', 'canceled'))
            AND ${inPeriod(sql`p.created_at`, period)}
            ${afterCursor(sql`p.created_at`, sql`p.id`, cursor)}
          ORDER BY p.created_at, p.id
          LIMIT ${limit}::int`),
        limit,
      ),
    row: (payment) => [
      csvDateTime(payment.sortAt, period.timezone),
      payment.invoice,
      payment.source,
      payment.status,
      payment.succeeded ? "yes" : "no",
      payment.firstAttempt ? "yes" : "no",
      payment.failureCode,
      payment.failureMessage,
      null,
      payment.cardBrand,
      payment.cardLast4,
      period.currency,
      csvAmount(payment.amount, period.currency),
    ],
  });
}
