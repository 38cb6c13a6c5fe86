import { z } from "zod";
import { formatClaimNumber } from "@/lib/claims/claim-number";
import type { Db, Tx } from "@/lib/db/client";
import { sql, sqlOf } from "@/lib/db/sql";
import { zRecordId } from "@/lib/http/record-id";
import { toIsoDate } from "@/lib/invoices/dates";

/** A page of the underpaid queue (cursor: the last line's id from the page before). */
export const ZListUnderpaidLinesOptions = z.strictObject({
  organizationId: zRecordId(),
  cursor: zRecordId("Use the nextCursor of the previous page.").optional(),
  limit: z.number().int("Give a whole number.").min(1, "At least 1.").max(100, "At most 100."),
});
export type TListUnderpaidLinesOptions = z.input<typeof ZListUnderpaidLinesOptions>;

/** One service line a payer allowed less for than its fee schedule says (amounts in cents). */
export type UnderpaidLineView = {
  /** The remittance line's id (also the cursor). */
  id: string;
  claim: { id: string; displayNumber: string };
  patient: { id: string; name: string };
  payer: { id: string; name: string };
  /** YYYY-MM-DD: the line's date as paid, else the claim line's; null when neither is known. */
  serviceDate: string | null;
  procedureCode: string;
  modifiers: string[];
  units: number;
  /** The fee schedule's allowed amount × units, rounded to the cent. */
  expectedAmount: number;
  /** AMT*B6 when the payer sent it, else the charge less the line's CO, PI and OA adjustments. */
  allowedAmount: number;
  paidAmount: number;
  /** expectedAmount − allowedAmount (> 0). */
  shortfall: number;
  remittance: { id: string; traceNumber: string };
  /** When the claim payment was posted (the queue's order, newest first). */
  postedAt: string;
};

export type UnderpaidLinesPage = { lines: UnderpaidLineView[]; nextCursor: string | null };

type Row = {
  id: string;
  claimId: string;
  claimNumber: number;
  patientId: string;
  patientFirstName: string;
  patientLastName: string;
  payerId: string;
  payerName: string;
  serviceDate: Date | null;
  procedureCode: string;
  modifiers: string[];
  units: number;
  expectedAmount: number;
  allowedAmount: number;
  paidAmount: number;
  remittanceId: string;
  traceNumber: string;
  sortAt: Date;
};

/**
 * The underpaid queue: service lines of posted claim payments (not reversals, CLP02 22) whose
 * allowed amount is below the payer's fee schedule × the units paid. The fee is the remittance's
 * payer's entry for the line's code and first modifier, else its any-modifier ('') entry; a line
 * without an entry is not in the queue. The allowed amount is AMT*B6 when sent, else the charge less
 * the line's CO, PI and OA adjustments. Lines allowed nothing (denied) are the denial queue's, not
 * this one's. Newest posting first, in keyset pages; one query.
 */
export async function listUnderpaidLines(db: Db | Tx, options: TListUnderpaidLinesOptions): Promise<UnderpaidLinesPage> {
  const { organizationId, cursor, limit } = ZListUnderpaidLinesOptions.parse(options);
  const rows = await sqlOf(db).query<Row>(sql`
    WITH cursor_line AS (
      SELECT COALESCE(rc.posted_at, r.created_at) AS sort_at, l.id
      FROM remittance_lines l
      JOIN remittance_claims rc ON rc.id = l.remittance_claim_id
      JOIN remittances r ON r.id = rc.remittance_id
      WHERE l.id = ${cursor ?? null}::uuid AND l.organization_id = ${organizationId}::uuid
    )
    SELECT l.id, c.id AS "claimId", c.number AS "claimNumber",
           p.id AS "patientId", p.first_name AS "patientFirstName", p.last_name AS "patientLastName",
           py.id AS "payerId", py.name AS "payerName",
           COALESCE(l.service_date, cl.service_date) AS "serviceDate",
           l.procedure_code AS "procedureCode", l.modifiers, l.units::float8 AS units,
           amounts.expected AS "expectedAmount", amounts.allowed AS "allowedAmount", l.paid_amount AS "paidAmount",
           r.id AS "remittanceId", r.trace_number AS "traceNumber", amounts.sort_at AS "sortAt"
    FROM remittance_claims rc
    JOIN remittances r ON r.id = rc.remittance_id
    JOIN payers py ON py.id = r.payer_id
    JOIN claims c ON c.id = rc.claim_id
    JOIN patients p ON p.id = c.patient_id
    JOIN remittance_lines l ON l.remittance_claim_id = rc.id
    LEFT JOIN claim_lines cl ON cl.id = l.claim_line_id
    CROSS JOIN LATERAL (
      -- The modifier-specific entry sorts before the '' one.
      SELECT f.allowed_amount FROM payer_fee_schedule f
      WHERE f.payer_id = r.payer_id AND f.organization_id = rc.organization_id AND f.procedure_code = l.procedure_code
        AND f.modifier IN ('', COALESCE(l.modifiers[1], ''))
      ORDER BY f.modifier DESC
      LIMIT 1
    ) fee
    CROSS JOIN LATERAL (
      SELECT COALESCE(
               l.allowed_amount,
               l.charge_amount - COALESCE((SELECT SUM(a.amount) FROM remittance_adjustments a
                                           WHERE a.remittance_line_id = l.id AND a.group_code IN ('CO', 'PI', 'OA')), 0)
             )::int AS allowed,
             ROUND(fee.allowed_amount * l.units)::int AS expected,
             COALESCE(rc.posted_at, r.created_at) AS sort_at
    ) amounts
    WHERE rc.organization_id = ${organizationId}::uuid
      AND rc.status = 'posted'
      AND rc.status_code <> '22'
      AND amounts.allowed > 0
      AND amounts.allowed < amounts.expected
      AND (NOT EXISTS (SELECT 1 FROM cursor_line) OR (amounts.sort_at, l.id) < (SELECT sort_at, id FROM cursor_line))
    ORDER BY amounts.sort_at DESC, l.id DESC
    LIMIT ${limit + 1}::int`);
  const page = rows.slice(0, limit);
  return {
    lines: page.map((row) => ({
      id: row.id,
      claim: { id: row.claimId, displayNumber: formatClaimNumber(row.claimNumber) },
      patient: { id: row.patientId, name: `${row.patientFirstName} ${row.patientLastName}` },
      payer: { id: row.payerId, name: row.payerName },
      serviceDate: toIsoDate(row.serviceDate),
      procedureCode: row.procedureCode,
      modifiers: row.modifiers,
      units: Number(row.units),
      expectedAmount: row.expectedAmount,
      allowedAmount: row.allowedAmount,
      paidAmount: row.paidAmount,
      shortfall: row.expectedAmount - row.allowedAmount,
      remittance: { id: row.remittanceId, traceNumber: row.traceNumber },
      postedAt: row.sortAt.toISOString(),
    })),
    nextCursor: rows.length > limit ? page.at(-1)!.id : null,
  };
}
