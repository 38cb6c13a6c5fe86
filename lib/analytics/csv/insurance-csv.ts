import { formatClaimNumber } from "@/lib/claims/claim-number";
import { csvAmount, csvFromPages } from "@/lib/csv/csv";
import type { Db } from "@/lib/db/client";
import { sql } from "@/lib/db/sql";
import { todayIn } from "@/lib/invoices/dates";
import { daysBetween } from "../analytics-period";
import { agingBucket } from "../aging-buckets";
import { OPEN_CLAIM_STATUSES } from "../insurance-figures";
import { CSV_PAGE_ROWS, keysetPage, type ReportCsvOptions } from "./report-csv";

/**
 * The insurance report as CSV: one row per claim with an insurance balance now (what the A/R by
 * payer and age adds up), in the order the claims were created, with its days from submission to
 * the clinic's today and its bucket. Like the A/R, it is a picture of now: the period does not apply.
 */
export async function* insuranceCsv(db: Db, options: ReportCsvOptions): AsyncGenerator<string> {
  const { period, organizationId } = options;
  const asOf = todayIn(period.timezone, options.now);
  const filters = sql`c.organization_id = ${organizationId}::uuid AND c.status = ANY(${OPEN_CLAIM_STATUSES}::"ClaimStatus"[]) AND c.insurance_balance <> 0`;
  yield* csvFromPages({
    header: ["claim", "patient", "payer", "submitted_on", "days", "bucket", "status", "currency", "charge", "insurance_balance"],
    batch: CSV_PAGE_ROWS,
    page: (cursor, limit) =>
      keysetPage<{
        id: string;
        sortAt: Date;
        number: number;
        patient: string;
        payer: string;
        submittedOn: string;
        status: string;
        charge: number;
        balance: number;
      }>(db, {
        head: sql`FROM claims c WHERE ${filters}`,
        rows: (range) => sql`
          SELECT c.id::text AS id, c.created_at AS "sortAt", c.number, pt.first_name || ' ' || pt.last_name AS patient, py.name AS payer,
                 to_char(COALESCE(c.submitted_at, c.created_at) AT TIME ZONE ${period.timezone}, 'YYYY-MM-DD') AS "submittedOn",
                 c.status::text AS status, c.total_charge AS charge, c.insurance_balance AS balance
          FROM claims c JOIN patients pt ON pt.id = c.patient_id JOIN payers py ON py.id = c.payer_id
          WHERE ${filters} AND ${range}`,
        sort: sql`c.created_at`,
        id: sql`c.id`,
        cursor,
        limit,
      }),
    row: (claim) => {
      const days = daysBetween(claim.submittedOn, asOf);
      return [
        formatClaimNumber(claim.number),
        claim.patient,
        claim.payer,
        claim.submittedOn,
        days,
        agingBucket(days),
        claim.status,
        period.currency,
        csvAmount(claim.charge, period.currency),
        csvAmount(claim.balance, period.currency),
      ];
    },
  });
}
