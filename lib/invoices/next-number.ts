import type { Tx } from "@/lib/db/client";
import { sqlOf, type Sql } from "@/lib/db/sql";

/**
 * The next number of an organization's counter, formatted PREFIX-00001. The counter row is
 * advanced with one INSERT … ON CONFLICT DO UPDATE … RETURNING inside the caller's transaction:
 * concurrent callers queue on the row lock, and a rolled-back transaction gives its number back,
 * so numbers are unique and gapless. Every finalize of the organization waits for that lock:
 * take the number as late as possible and do little after it (see finalizeInvoice).
 */
export async function nextNumber(tx: Tx | Sql, options: { organizationId: string; counter: string; prefix: string }): Promise<string> {
  const rows = await sqlOf(tx).query<{ value: number }>(
    `INSERT INTO organization_counters (organization_id, name, value)
     VALUES ($1::uuid, $2, 1)
     ON CONFLICT (organization_id, name) DO UPDATE SET value = organization_counters.value + 1
     RETURNING value`,
    [options.organizationId, options.counter],
  );
  const value = rows[0]?.value;
  if (value === undefined) throw new Error("counter upsert returned no row");
  return `${options.prefix}-${String(value).padStart(5, "0")}`;
}
