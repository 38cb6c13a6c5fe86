import type { Tx } from "@/lib/db/client";
import { AppError } from "@/lib/errors";

/**
 * Locks one invoice of this organization for the rest of the transaction (SELECT … FOR UPDATE)
 * and returns it with its lines: concurrent changes to the same invoice run one after another.
 * 404 for unknown ids and other organizations' invoices alike.
 */
export async function lockInvoice(tx: Tx, options: { id: string; organizationId: string }) {
  const locked = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM invoices WHERE id = ${options.id}::uuid AND organization_id = ${options.organizationId}::uuid FOR UPDATE`;
  if (locked.length === 0) throw new AppError("NOT_FOUND", "That invoice does not exist.");
  return tx.invoice.findUniqueOrThrow({ where: { id: options.id }, include: { lines: true } });
}

export function assertStatus<S extends string>(invoice: { status: string; number: string | null }, allowed: readonly S[], action: string): void {
  if (!allowed.includes(invoice.status as S)) {
    const name = invoice.number ?? "This draft";
    throw new AppError("CONFLICT", `${name} is ${invoice.status.replace("_", " ")}; it cannot be ${action}.`);
  }
}
