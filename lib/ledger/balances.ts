import type { Db, Tx } from "@/lib/db/client";
import { sql, sqlOf, type Int8 } from "@/lib/db/sql";
import { DEFAULT_ACCOUNTS } from "./accounts";

export type TrialBalanceRow = { code: string; name: string; type: string; currency: string; balance: number };

/** Every account's balance per currency (debits positive). The rows of one currency sum to zero. */
export async function getTrialBalance(db: Db | Tx, organizationId: string): Promise<TrialBalanceRow[]> {
  const rows = await sqlOf(db).query<{ code: string; name: string; type: string; currency: string; balance: Int8 }>(sql`
    SELECT a.code, a.name, a.type::text AS type, e.currency, SUM(l.amount)::bigint AS balance
    FROM journal_lines l
    JOIN journal_entries e ON e.id = l.journal_entry_id
    JOIN ledger_accounts a ON a.id = l.account_id
    WHERE e.organization_id = ${organizationId}::uuid
    GROUP BY a.code, a.name, a.type, e.currency
    ORDER BY e.currency, a.code`);
  return rows.map((row) => ({ ...row, balance: Number(row.balance) }));
}

/** What the ledger says this invoice still owes: its accounts-receivable balance. */
export async function getInvoiceReceivable(db: Db | Tx, invoiceId: string): Promise<number> {
  const rows = await sqlOf(db).query<{ balance: Int8 | null }>(sql`
    SELECT SUM(l.amount)::bigint AS balance
    FROM journal_lines l JOIN ledger_accounts a ON a.id = l.account_id
    WHERE l.invoice_id = ${invoiceId}::uuid AND a.code = ${DEFAULT_ACCOUNTS.accountsReceivable.code}`);
  return Number(rows[0]?.balance ?? 0);
}

export type LedgerCheck = {
  unbalancedCurrencies: { organizationId: string; currency: string; sum: number }[];
  invoiceMismatches: { invoiceId: string; amountDue: number; receivable: number }[];
  patientCreditMismatches: { patientId: string | null; currency: string; balance: number; ledger: number }[];
  /** Payments whose allocations (what they paid, invoice by invoice) do not add up to what they applied. */
  allocationMismatches: { paymentId: string; appliedAmount: number; allocated: number }[];
  /** Claims whose insurance balance is not their lines on the insurance-receivable account (claimId null: lines naming no claim). */
  claimMismatches: { claimId: string | null; insuranceBalance: number; receivable: number }[];
};

/**
 * The books' invariants over the whole database: each organization's lines sum to zero per
 * currency, every finalized invoice's receivable in the ledger equals its amount due, and every
 * patient's credit balance equals their lines on the patient-credit account (each line names its
 * patient; a line without one shows up as a mismatch with patientId null), and every payment's
 * allocations add up to what it applied to invoices, and every claim's insurance balance equals its
 * lines on the insurance-receivable account (so that account in total is the claims' open balances).
 */
export async function checkLedger(db: Db | Tx): Promise<LedgerCheck> {
  const unbalanced = await sqlOf(db).query<{ organization_id: string; currency: string; sum: Int8 }>(sql`
    SELECT e.organization_id, e.currency, SUM(l.amount)::bigint AS sum
    FROM journal_lines l JOIN journal_entries e ON e.id = l.journal_entry_id
    GROUP BY e.organization_id, e.currency HAVING SUM(l.amount) <> 0`);
  const mismatches = await sqlOf(db).query<{ id: string; amount_due: number; receivable: Int8 }>(sql`
    SELECT i.id, i.amount_due, COALESCE(r.receivable, 0)::bigint AS receivable
    FROM invoices i
    LEFT JOIN (
      SELECT l.invoice_id, SUM(l.amount) AS receivable
      FROM journal_lines l JOIN ledger_accounts a ON a.id = l.account_id
      WHERE a.code = ${DEFAULT_ACCOUNTS.accountsReceivable.code} AND l.invoice_id IS NOT NULL
      GROUP BY l.invoice_id
    ) r ON r.invoice_id = i.id
    WHERE i.status <> 'draft' AND i.amount_due <> COALESCE(r.receivable, 0)`);
  const credit = await sqlOf(db).query<{ patient_id: string | null; currency: string; balance: Int8; ledger: Int8 }>(sql`
    WITH ledger AS (
      SELECT l.patient_id, e.currency, -SUM(l.amount) AS ledger
      FROM journal_lines l
      JOIN journal_entries e ON e.id = l.journal_entry_id
      JOIN ledger_accounts a ON a.id = l.account_id
      WHERE a.code = ${DEFAULT_ACCOUNTS.patientCredit.code}
      GROUP BY l.patient_id, e.currency
    )
    SELECT COALESCE(b.patient_id, ledger.patient_id) AS patient_id, COALESCE(b.currency, ledger.currency) AS currency,
           COALESCE(b.balance, 0)::bigint AS balance, COALESCE(ledger.ledger, 0)::bigint AS ledger
    FROM patient_credit_balances b
    FULL OUTER JOIN ledger ON ledger.patient_id = b.patient_id AND ledger.currency = b.currency
    WHERE COALESCE(b.balance, 0) <> COALESCE(ledger.ledger, 0) OR (ledger.patient_id IS NULL AND ledger.ledger IS NOT NULL AND ledger.ledger <> 0)`);
  const allocations = await sqlOf(db).query<{ id: string; applied_amount: number; allocated: Int8 }>(sql`
    SELECT p.id, p.applied_amount, COALESCE(SUM(a.amount), 0)::bigint AS allocated
    FROM payments p LEFT JOIN payment_allocations a ON a.payment_id = p.id
    GROUP BY p.id, p.applied_amount
    HAVING p.applied_amount <> COALESCE(SUM(a.amount), 0)`);
  const claims = await sqlOf(db).query<{ claim_id: string | null; insurance_balance: Int8; receivable: Int8 }>(sql`
    WITH ledger AS (
      SELECT l.claim_id, SUM(l.amount) AS receivable
      FROM journal_lines l JOIN ledger_accounts a ON a.id = l.account_id
      WHERE a.code = ${DEFAULT_ACCOUNTS.arInsurance.code}
      GROUP BY l.claim_id
    )
    SELECT COALESCE(c.id, ledger.claim_id) AS claim_id, COALESCE(c.insurance_balance, 0)::bigint AS insurance_balance,
           COALESCE(ledger.receivable, 0)::bigint AS receivable
    FROM claims c
    FULL OUTER JOIN ledger ON ledger.claim_id = c.id
    WHERE COALESCE(c.insurance_balance, 0) <> COALESCE(ledger.receivable, 0)`);
  return {
    claimMismatches: claims.map((row) => ({ claimId: row.claim_id, insuranceBalance: Number(row.insurance_balance), receivable: Number(row.receivable) })),
    allocationMismatches: allocations.map((row) => ({ paymentId: row.id, appliedAmount: row.applied_amount, allocated: Number(row.allocated) })),
    unbalancedCurrencies: unbalanced.map((row) => ({ organizationId: row.organization_id, currency: row.currency, sum: Number(row.sum) })),
    invoiceMismatches: mismatches.map((row) => ({ invoiceId: row.id, amountDue: row.amount_due, receivable: Number(row.receivable) })),
    patientCreditMismatches: credit.map((row) => ({
      patientId: row.patient_id,
      currency: row.currency,
      balance: Number(row.balance),
      ledger: Number(row.ledger),
    })),
  };
}
