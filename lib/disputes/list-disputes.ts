import { z } from "zod";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { DISPUTE_STATUSES, NEEDS_RESPONSE_STATUSES } from "./dispute-status";

export const ZListDisputesInput = z.object({
  /** `needs_response`: waiting for the clinic's evidence; `open`: not closed; `lost_unresolved`: lost, no decision yet; or one status. */
  filter: z.enum(["needs_response", "open", "lost_unresolved", ...DISPUTE_STATUSES]).optional(),
  cursor: z.string().uuid().optional(),
  limit: z.number().int().min(1).max(100).default(25),
});
export type TListDisputesInput = z.input<typeof ZListDisputesInput>;

/** Disputes waiting for the clinic's evidence (none recorded yet). */
export const needsResponseWhere = (organizationId: string): Prisma.DisputeWhereInput => ({
  organizationId,
  status: { in: [...NEEDS_RESPONSE_STATUSES] },
  evidenceSubmittedAt: null,
});

/** Disputes of this organization, newest first, with cursor pagination. */
export async function listDisputes(db: Db, options: { organizationId: string; input?: TListDisputesInput }) {
  const input = ZListDisputesInput.parse(options.input ?? {});
  let where: Prisma.DisputeWhereInput = { organizationId: options.organizationId };
  if (input.filter === "needs_response") where = needsResponseWhere(options.organizationId);
  else if (input.filter === "open") where.status = { notIn: ["won", "lost", "warning_closed"] };
  else if (input.filter === "lost_unresolved") Object.assign(where, { status: "lost", resolution: null });
  else if (input.filter) where.status = input.filter;
  const rows = await db.dispute.findMany({
    where,
    include: {
      invoice: { select: { id: true, number: true } },
      payment: { select: { id: true, cardBrand: true, cardLast4: true, patient: { select: { id: true, firstName: true, lastName: true } } } },
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: input.limit + 1,
    ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : {}),
  });
  const page = rows.slice(0, input.limit);
  return { data: page, nextCursor: rows.length > input.limit ? (page.at(-1)?.id ?? null) : null };
}

/** What the nav and dashboard badges count: disputes awaiting a response, and lost ones awaiting a decision. */
export async function countDisputesNeedingAttention(
  db: Db,
  organizationId: string,
): Promise<{ needsResponse: number; lostUnresolved: number; dueSoon: number }> {
  const soon = new Date(Date.now() + 3 * 86_400_000);
  const [needsResponse, lostUnresolved, dueSoon] = await Promise.all([
    db.dispute.count({ where: needsResponseWhere(organizationId) }),
    db.dispute.count({ where: { organizationId, status: "lost", resolution: null } }),
    db.dispute.count({ where: { ...needsResponseWhere(organizationId), evidenceDueBy: { lt: soon } } }),
  ]);
  return { needsResponse, lostUnresolved, dueSoon };
}
