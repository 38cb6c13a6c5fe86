import type { Tx } from "@/lib/db/client";
import { sqlOf, type Sql } from "@/lib/db/sql";
import { AppError } from "@/lib/errors";

/**
 * Locks one invoice row of this organization for the rest of the transaction (SELECT … FOR
 * UPDATE): concurrent changes to the same invoice run one after another. 404 for unknown ids and
 * other organizations' invoices alike. Read the invoice in a later statement: one that waited for
 * the lock sees the row's newest version but other tables (its lines) as of when it started.
 */
export async function lockInvoiceRow(tx: Tx | Sql, options: { id: string; organizationId: string }): Promise<void> {
  const locked = await sqlOf(tx).query<{ id: string }>(`SELECT id FROM invoices WHERE id = $1::uuid AND organization_id = $2::uuid FOR UPDATE`, [options.id, options.organizationId]);
  if (locked.length === 0) throw new AppError("NOT_FOUND", "That invoice does not exist.");
}

/** lockInvoiceRow, then the invoice with its lines. */
export async function lockInvoice(tx: Tx, options: { id: string; organizationId: string }) {
  await lockInvoiceRow(tx, options);
  return tx.invoice.findUniqueOrThrow({ where: { id: options.id }, include: { lines: true } });
}

export function assertStatus<S extends string>(invoice: { status: string; number: string | null }, allowed: readonly S[], action: string): void {
  if (!allowed.includes(invoice.status as S)) {
    const name = invoice.number ?? "This draft";
    throw new AppError("CONFLICT", `${name} is ${invoice.status.replace("_", " ")}; it cannot be ${action}.`);
  }
}
