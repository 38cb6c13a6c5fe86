import type { Tx } from "@/lib/db/client";
import { AppError } from "@/lib/errors";

/** Locks one dispute of this organization for the rest of the transaction; 404 for unknown ids and other organizations' disputes. */
export async function lockDisputeOrThrow(tx: Tx, options: { id: string; organizationId: string }) {
  const locked = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM disputes WHERE id = ${options.id}::uuid AND organization_id = ${options.organizationId}::uuid FOR UPDATE`;
  if (locked.length === 0) throw new AppError("NOT_FOUND", "That dispute does not exist.");
  return tx.dispute.findUniqueOrThrow({ where: { id: options.id } });
}
