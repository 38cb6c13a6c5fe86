import type { Db, Tx } from "@/lib/db/client";
import { sql, sqlOf } from "@/lib/db/sql";
import { DEFAULT_ACCOUNTS } from "@/lib/ledger/accounts";
import { MANUAL_METHOD_LABELS, type ManualPaymentMethod } from "@/lib/payments/manual-payments.types";
import { getPatientCredit } from "./credit-balances";
import type { PatientCreditBalanceView } from "./patient-credit.types";

export type PatientCreditEvent = {
  /** The journal line's id. */
  id: string;
  occurredAt: string;
  currency: string;
  /** Minor units: positive when the patient received credit, negative when credit was used. */
  amount: number;
  /** The journal's kind, e.g. payment.succeeded, credit.applied. */
  kind: string;
  /** What happened, for people: "Overpayment", "Applied to an invoice", … */
  label: string;
  /** The journal's memo. */
  memo: string;
  invoice: { id: string; number: string | null } | null;
  paymentId: string | null;
};

export type PatientCreditHistory = {
  balances: PatientCreditBalanceView[];
  events: PatientCreditEvent[];
};

type Row = {
  id: string;
  amount: number;
  kind: string;
  memo: string;
  source_type: string;
  source_id: string;
  currency: string;
  occurred_at: Date;
  invoice_id: string | null;
};

function labelFor(kind: string, sourceType: string, amount: number): string {
  const received = amount > 0;
  if (kind === "credit.applied") return "Applied to an invoice";
  if (kind === "credit.unapplied") return "Taken back off an invoice";
  if (kind.includes("credit_note") || sourceType === "credit_note") return received ? "Credit note" : "Credit note reversed";
  if (kind.includes("refund") || sourceType === "refund") return received ? "Refund returned to credit" : "Refunded to the patient";
  if (sourceType === "payment") return received ? "Overpayment kept as credit" : "Payment reversed";
  if (kind.endsWith(".reversed") || kind.endsWith("_reversed")) return received ? "Reversal (credit back)" : "Reversal";
  return received ? "Credit received" : "Credit used";
}

/** Credit given back: to the card through Stripe, or handed back at the desk the way it was paid. */
function refundLabel(payment: { source: string; methodType: string } | null): string {
  if (!payment) return "Refunded to the patient";
  if (payment.source !== "manual") return "Refunded to the card";
  return `Handed back (${(MANUAL_METHOD_LABELS[payment.methodType as ManualPaymentMethod] ?? payment.methodType).toLowerCase()})`;
}

/**
 * A patient's credit: balance per currency and what moved it, newest first, read straight from
 * the patient's lines on the patient-credit account (the same lines the balance is kept from), so
 * the history always adds up to the balance. Each event links to its invoice and payment when the
 * journal names them (its receivable line, or its source: payment, refund, credit note).
 */
export async function getPatientCreditHistory(
  db: Db | Tx,
  options: { organizationId: string; patientId: string; limit?: number },
): Promise<PatientCreditHistory> {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 200);
  const [balances, rows] = await Promise.all([
    getPatientCredit(db, options),
    sqlOf(db).query<Row>(sql`
      SELECT l.id, l.amount, e.kind, e.memo, e.source_type, e.source_id, e.currency, e.occurred_at,
             (SELECT r.invoice_id FROM journal_lines r WHERE r.journal_entry_id = e.id AND r.invoice_id IS NOT NULL LIMIT 1) AS invoice_id
      FROM journal_lines l
      JOIN journal_entries e ON e.id = l.journal_entry_id
      JOIN ledger_accounts a ON a.id = l.account_id
      WHERE a.code = ${DEFAULT_ACCOUNTS.patientCredit.code}
        AND e.organization_id = ${options.organizationId}::uuid
        AND l.patient_id = ${options.patientId}::uuid
      ORDER BY e.occurred_at DESC, e.created_at DESC, l.id
      LIMIT ${limit}`),
  ]);

  const idsOf = (type: string) => rows.filter((row) => row.source_type === type).map((row) => row.source_id);
  const [payments, refunds, creditNotes] = await Promise.all([
    db.payment.findMany({ where: { id: { in: idsOf("payment") }, organizationId: options.organizationId }, select: { id: true, invoiceId: true } }),
    db.refund.findMany({
      where: { id: { in: idsOf("refund") }, organizationId: options.organizationId },
      select: { id: true, paymentId: true, invoiceId: true, payment: { select: { source: true, methodType: true } } },
    }),
    db.creditNote.findMany({ where: { id: { in: idsOf("credit_note") }, organizationId: options.organizationId }, select: { id: true, invoiceId: true } }),
  ]);
  const paymentsById = new Map(payments.map((payment) => [payment.id, payment]));
  const refundsById = new Map(refunds.map((refund) => [refund.id, refund]));
  const creditNotesById = new Map(creditNotes.map((note) => [note.id, note]));
  const invoiceIdOf = (row: Row) =>
    row.invoice_id ??
    paymentsById.get(row.source_id)?.invoiceId ??
    refundsById.get(row.source_id)?.invoiceId ??
    creditNotesById.get(row.source_id)?.invoiceId ??
    null;
  const invoiceIds = [...new Set(rows.map(invoiceIdOf).filter((id): id is string => id !== null))];
  const invoices = await db.invoice.findMany({ where: { id: { in: invoiceIds }, organizationId: options.organizationId }, select: { id: true, number: true } });
  const invoicesById = new Map(invoices.map((invoice) => [invoice.id, invoice]));

  return {
    balances,
    events: rows.map((row) => {
      // Credit is a liability: a credit line (negative) is credit the patient received.
      const amount = -row.amount;
      const invoiceId = invoiceIdOf(row);
      return {
        id: row.id,
        occurredAt: row.occurred_at.toISOString(),
        currency: row.currency,
        amount,
        kind: row.kind,
        // A payment that paid no invoice is a prepayment (an estimate collected at check-in), not an overpayment.
        label:
          row.source_type === "payment" && amount > 0 && paymentsById.get(row.source_id)?.invoiceId === null
            ? "Prepayment kept as credit"
            : row.source_type === "refund" && amount < 0
              ? refundLabel(refundsById.get(row.source_id)?.payment ?? null)
              : labelFor(row.kind, row.source_type, amount),
        memo: row.memo,
        invoice: invoiceId ? (invoicesById.get(invoiceId) ?? null) : null,
        paymentId: row.source_type === "payment" ? row.source_id : (refundsById.get(row.source_id)?.paymentId ?? null),
      };
    }),
  };
}
