import type { Db, Tx } from "@/lib/db/client";
import { sqlOf, type Sql } from "@/lib/db/sql";
import { AppError } from "@/lib/errors";
import { formatMoney } from "@/lib/money/currency";

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
  const sql = sqlOf(tx);
  for (const [patientId, delta] of byPatient) {
    if (delta === 0) continue;
    if (delta < 0) {
      // Spending: the row exists if there was anything to spend (the CHECK refuses an overdraft).
      // Not an upsert: PostgreSQL checks the proposed row's CHECK before resolving the conflict.
      const updated = await sql.execute(
        `UPDATE patient_credit_balances SET balance = balance + $1::int, updated_at = now()
         WHERE patient_id = $2::uuid AND currency = $3`,
        [delta, patientId, options.currency],
      );
      if (updated === 0) throw new AppError("CONFLICT", "The patient has no credit to use.");
      continue;
    }
    await sql.execute(
      `INSERT INTO patient_credit_balances (organization_id, patient_id, currency, balance, updated_at)
       VALUES ($1::uuid, $2::uuid, $3, $4::int, now())
       ON CONFLICT (patient_id, currency) DO UPDATE
         SET balance = patient_credit_balances.balance + EXCLUDED.balance, updated_at = now()`,
      [options.organizationId, patientId, options.currency, delta],
    );
  }
}

/**
 * Locks the patient's credit balance in this currency for the rest of the transaction and
 * returns it (0 when the patient never had credit). Concurrent spenders queue here.
 */
export async function lockPatientCredit(tx: Tx, options: { organizationId: string; patientId: string; currency: string }): Promise<number> {
  await tx.$executeRaw`
    INSERT INTO patient_credit_balances (organization_id, patient_id, currency, balance, updated_at)
    VALUES (${options.organizationId}::uuid, ${options.patientId}::uuid, ${options.currency}, 0, now())
    ON CONFLICT (patient_id, currency) DO NOTHING`;
  const rows = await tx.$queryRaw<{ balance: number }[]>`
    SELECT balance FROM patient_credit_balances
    WHERE patient_id = ${options.patientId}::uuid AND currency = ${options.currency} AND organization_id = ${options.organizationId}::uuid
    FOR UPDATE`;
  return rows[0]?.balance ?? 0;
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
