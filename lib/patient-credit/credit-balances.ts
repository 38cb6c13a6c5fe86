import type { Db, Tx } from "@/lib/db/client";
import { sql, sqlOf, type Sql } from "@/lib/db/sql";
import { AppError } from "@/lib/errors";
import { formatMoney } from "@/lib/money/currency";

// The balance's row lock lives with every other lock, in lib/db/locks.ts (the lock order).
export { lockPatientCredit } from "@/lib/db/locks";

/**
 * Keeps `patient_credit_balances` equal to each patient's lines on the patient-credit account.
 * Called by postJournal/reverseJournal for every patient-credit line (credit = negative amount =
 * more credit for the patient), so no other code writes balances. A spend beyond the balance
 * fails the table's CHECK; callers that spend credit lock and read the balance first
 * (`lockPatientCredit`) to answer with a clear 409 instead.
 */
export async function movePatientCredit(
  tx: Tx | Sql,
  options: { organizationId: string; currency: string; lines: { amount: number; patientId?: string }[] },
): Promise<void> {
  const byPatient = new Map<string, number>();
  for (const line of options.lines) {
    if (!line.patientId) throw new Error("patient-credit line without patientId");
    byPatient.set(line.patientId, (byPatient.get(line.patientId) ?? 0) - line.amount);
  }
  const runner = sqlOf(tx);
  for (const [patientId, delta] of byPatient) {
    if (delta === 0) continue;
    if (delta < 0) {
      // Spending: the row exists if there was anything to spend (the CHECK refuses an overdraft).
      // Not an upsert: PostgreSQL checks the proposed row's CHECK before resolving the conflict.
      const updated = await runner.execute(sql`
        UPDATE patient_credit_balances SET balance = balance + ${delta}::int, updated_at = now()
        WHERE patient_id = ${patientId}::uuid AND currency = ${options.currency}`);
      if (updated === 0) throw new AppError("CONFLICT", "The patient has no credit to use.");
      continue;
    }
    await runner.write(sql`
      INSERT INTO patient_credit_balances (organization_id, patient_id, currency, balance, updated_at)
      VALUES (${options.organizationId}::uuid, ${patientId}::uuid, ${options.currency}, ${delta}::int, now())
      ON CONFLICT (patient_id, currency) DO UPDATE
        SET balance = patient_credit_balances.balance + EXCLUDED.balance, updated_at = now()`);
  }
}

/** Throws a 409 naming both amounts when the patient's credit cannot cover `amount`. */
export function assertCreditCovers(balance: number, amount: number, currency: string): void {
  if (amount > balance) {
    throw new AppError("CONFLICT", `The patient's credit is ${formatMoney(balance, currency)}; it cannot cover ${formatMoney(amount, currency)}.`);
  }
}

/** A patient's credit balances, by currency (only non-zero ones). */
export async function getPatientCredit(db: Db | Tx, options: { organizationId: string; patientId: string }): Promise<{ currency: string; balance: number }[]> {
  return db.patientCreditBalance.findMany({
    where: { organizationId: options.organizationId, patientId: options.patientId, balance: { gt: 0 } },
    select: { currency: true, balance: true },
    orderBy: { currency: "asc" },
  });
}
