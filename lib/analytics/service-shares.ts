import { sql, type SqlFragment } from "@/lib/db/sql";
import { DEFAULT_ACCOUNTS } from "@/lib/ledger/accounts";

const AR = DEFAULT_ACCOUNTS.accountsReceivable.code;
const CREDIT_NOTE_ACCOUNTS = [DEFAULT_ACCOUNTS.creditNotes.code, DEFAULT_ACCOUNTS.salesTaxPayable.code];

/**
 * The amounts services are credited with, per journal and invoice: `charge` (an invoice's total
 * at finalization, less at its void; a credit note's amount, tax included, taken off) and
 * `collection` (what a payment applied to the invoice: its credit to receivables, less a voided
 * manual payment's), with `line_sign` +1 / −1 for the invoice lines finalized / voided.
 */
export const SERVICE_AMOUNTS_SQL = sql`
  SELECT e.id AS journal_id, e.kind, e.occurred_at, e.currency, COALESCE(l.invoice_id, cn.invoice_id) AS invoice_id,
         CASE WHEN e.kind IN ('payment.succeeded', 'payment.manual', 'payment.manual.voided') THEN 'collection' ELSE 'charge' END AS figure,
         SUM(CASE WHEN e.kind IN ('invoice.finalized', 'invoice.voided') THEN l.amount ELSE -l.amount END)::bigint AS amount
  FROM journal_entries e
  JOIN journal_lines l ON l.journal_entry_id = e.id
  JOIN ledger_accounts a ON a.id = l.account_id
  LEFT JOIN credit_notes cn ON e.source_type = 'credit_note' AND cn.id = e.source_id
  WHERE ((e.kind IN ('invoice.finalized', 'invoice.voided', 'payment.succeeded', 'payment.manual', 'payment.manual.voided') AND a.code = ${AR} AND l.invoice_id IS NOT NULL)
      OR (e.kind IN ('credit_note.issued', 'credit_note.voided') AND a.code = ANY(${CREDIT_NOTE_ACCOUNTS}::text[])))`;

/**
 * Shares an amount of an invoice across its lines by their totals (amount − discount + tax), in
 * position order, by cumulative rounding: line i gets floor(|A| × C_i ÷ T) − floor(|A| × C_(i−1) ÷ T)
 * (with A's sign), where C_i is the running total of the line totals through line i and T the
 * invoice total. The shares add up to A exactly, each is within one cent of its exact proportion,
 * and an invoice's own total shares into exactly its line totals. Invoices totalling 0 share nothing.
 * Expects `amounts` (journal_id, kind, day, currency, invoice_id, figure, amount); yields one row per line.
 */
export function sharedAcrossLines(amounts: SqlFragment) {
  return sql`
    SELECT am.day, am.currency, am.figure, am.kind, COALESCE(il.service_code, '') AS service_code, il.description,
           CASE WHEN il.invoice_total = 0 THEN 0
                ELSE sign(am.amount) * (floor(abs(am.amount)::numeric * il.running / il.invoice_total) - floor(abs(am.amount)::numeric * (il.running - il.line_total) / il.invoice_total))
           END::bigint AS share,
           CASE am.kind WHEN 'invoice.finalized' THEN 1 WHEN 'invoice.voided' THEN -1 ELSE 0 END AS line_count
    FROM (${amounts}) am
    JOIN (
      SELECT invoice_id, service_code, description, (amount - discount_amount + tax_amount)::bigint AS line_total,
             SUM((amount - discount_amount + tax_amount)::bigint) OVER (PARTITION BY invoice_id ORDER BY position) AS running,
             SUM((amount - discount_amount + tax_amount)::bigint) OVER (PARTITION BY invoice_id) AS invoice_total
      FROM invoice_lines
      WHERE invoice_id IN (SELECT invoice_id FROM (${amounts}) ids)
    ) il ON il.invoice_id = am.invoice_id`;
}
