import type { Db, Tx } from "@/lib/db/client";
import { AppError } from "@/lib/errors";

/** A membership of this organization, or 404: another organization's ids look exactly like missing ones. */
export async function getMembershipOrThrow(db: Db | Tx, options: { id: string; organizationId: string }) {
  const membership = await db.membership.findFirst({
    where: { id: options.id, organizationId: options.organizationId },
    include: { user: { select: { id: true, email: true, name: true } } },
  });
  if (!membership) throw new AppError("NOT_FOUND", "That member does not exist.");
  return membership;
}
