import { csvAmount, csvDateTime, csvFromPages } from "@/lib/csv/csv";
import type { Db } from "@/lib/db/client";
import { sql } from "@/lib/db/sql";
import { declineReason } from "@/lib/payments/decline-reasons";
import { CARD_ATTEMPT_SQL, SUCCEEDED_SQL } from "../get-payments-report";
import { CSV_PAGE_ROWS, inPeriod, keysetPage, type ReportCsvOptions } from "./report-csv";

/**
 * The card payments as CSV: one row per card attempt of the period (CARD_ATTEMPT_SQL: a card
 * PaymentIntent submitted at least once, by the clinic day it was created), oldest first, with
 * whether it succeeded eventually and at the first attempt, its latest decline and whether it went
 * through 3-D Secure: the rows behind the success rates, decline reasons and 3-D Secure share.
 */
export async function* paymentsCsv(db: Db, options: ReportCsvOptions): AsyncGenerator<string> {
  const { period, organizationId } = options;
  const filters = sql`p.organization_id = ${organizationId}::uuid AND p.currency = ${period.currency} AND ${CARD_ATTEMPT_SQL}
            AND ${inPeriod(sql`p.created_at`, period)}`;
  yield* csvFromPages({
    header: [
      "created",
      "invoice",
      "source",
      "status",
      "succeeded",
      "first_attempt_success",
      "decline_code",
      "decline_reason",
      "three_d_secure",
      "card_brand",
      "card_last4",
      "currency",
      "amount",
    ],
    batch: CSV_PAGE_ROWS,
    page: (cursor, limit) =>
      keysetPage<{
        id: string;
        sortAt: Date;
        invoice: string | null;
        source: string;
        status: string;
        succeeded: boolean;
        firstAttempt: boolean;
        failureCode: string | null;
        threeDSecure: boolean;
        cardBrand: string | null;
        cardLast4: string | null;
        amount: number;
      }>(db, {
        head: sql`FROM payments p WHERE ${filters}`,
        rows: (range) => sql`
          SELECT p.id::text AS id, p.created_at AS "sortAt", i.number AS invoice, p.source::text AS source, p.status::text AS status,
                 ${SUCCEEDED_SQL} AS succeeded, ${SUCCEEDED_SQL} AND p.failed_at IS NULL AS "firstAttempt",
                 CASE WHEN p.failed_at IS NOT NULL THEN COALESCE(p.failure_code, '') END AS "failureCode", p.action_required_at IS NOT NULL AS "threeDSecure",
                 p.card_brand AS "cardBrand", p.card_last4 AS "cardLast4", p.amount
          FROM payments p
          LEFT JOIN invoices i ON i.id = p.invoice_id
          WHERE ${filters} AND ${range}`,
        sort: sql`p.created_at`,
        id: sql`p.id`,
        cursor,
        limit,
      }),
    row: (payment) => [
      csvDateTime(payment.sortAt, period.timezone),
      payment.invoice,
      payment.source,
      payment.status,
      payment.succeeded ? "yes" : "no",
      payment.firstAttempt ? "yes" : "no",
      payment.failureCode === null ? null : payment.failureCode || "unknown",
      payment.failureCode === null ? null : declineReason(payment.failureCode),
      payment.threeDSecure ? "yes" : "no",
      payment.cardBrand,
      payment.cardLast4,
      period.currency,
      csvAmount(payment.amount, period.currency),
    ],
  });
}
