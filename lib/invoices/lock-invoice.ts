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

const STATUS_WORDS: Record<string, string> = {
  draft: "is still a draft",
  open: "is open",
  partially_paid: "is partly paid",
  paid: "is already paid",
  void: "has been voided",
  uncollectible: "has been written off",
};

/** "Invoice INV-00012 is already paid" / "This invoice is still a draft": the start of a sentence for staff. */
export function describeInvoiceState(invoice: { status: string; number: string | null }): string {
  return `${invoice.number ? `Invoice ${invoice.number}` : "This invoice"} ${STATUS_WORDS[invoice.status] ?? `is ${invoice.status.replaceAll("_", " ")}`}`;
}

/** 409 unless the invoice is in one of the `allowed` states: "Invoice INV-00003 is already paid, so it cannot be voided." */
export function assertStatus<S extends string>(invoice: { status: string; number: string | null }, allowed: readonly S[], action: string): void {
  if (!allowed.includes(invoice.status as S)) {
    throw new AppError("CONFLICT", `${describeInvoiceState(invoice)}, so it cannot be ${action}.`);
  }
}
