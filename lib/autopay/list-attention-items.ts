import type { Db, Tx } from "@/lib/db/client";

/** Staff's "Needs attention" queue: the organization's open items, oldest first, with the patient and the plan or membership they concern. */
export async function listAttentionItems(db: Db | Tx, options: { organizationId: string; limit?: number }) {
  return db.attentionItem.findMany({
    where: { organizationId: options.organizationId, resolvedAt: null },
    orderBy: { createdAt: "asc" },
    take: options.limit ?? 200,
    select: {
      id: true,
      kind: true,
      message: true,
      createdAt: true,
      paymentPlanId: true,
      membershipId: true,
      patient: { select: { id: true, firstName: true, lastName: true } },
    },
  });
}

/** How many items the queue holds (the navigation's badge). */
export async function countOpenAttentionItems(db: Db | Tx, organizationId: string): Promise<number> {
  return db.attentionItem.count({ where: { organizationId, resolvedAt: null } });
}
