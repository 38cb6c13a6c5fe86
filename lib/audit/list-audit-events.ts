import { z } from "zod";
import type { Db, Tx } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { ZCalendarDate, zSingleLineText } from "@/lib/validation/fields";

export const ZListAuditEventsInput = z.object({
  action: zSingleLineText().max(100).optional(),
  actor: zSingleLineText().max(254).optional(),
  targetType: zSingleLineText().max(50).optional(),
  targetId: zSingleLineText().max(100).optional(),
  from: ZCalendarDate.optional(),
  to: ZCalendarDate.optional(),
  cursor: z.string().uuid().optional(),
  limit: z.number().int().min(1).max(200).default(50),
});
export type TListAuditEventsInput = z.input<typeof ZListAuditEventsInput>;

/** An organization's audit events, newest first, filtered, with cursor pagination. */
export async function listAuditEvents(db: Db | Tx, options: { organizationId: string; input?: TListAuditEventsInput }) {
  const input = ZListAuditEventsInput.parse(options.input ?? {});
  const where: Prisma.AuditEventWhereInput = { organizationId: options.organizationId };
  if (input.action) where.action = { startsWith: input.action };
  if (input.actor) where.actorLabel = { contains: input.actor, mode: "insensitive" };
  if (input.targetType) where.targetType = input.targetType;
  if (input.targetId) where.targetId = input.targetId;
  if (input.from || input.to) {
    where.createdAt = {
      ...(input.from ? { gte: new Date(`${input.from}T00:00:00Z`) } : {}),
      ...(input.to ? { lt: new Date(new Date(`${input.to}T00:00:00Z`).getTime() + 86_400_000) } : {}),
    };
  }
  const rows = await db.auditEvent.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: input.limit + 1,
    ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : {}),
  });
  const page = rows.slice(0, input.limit);
  return { data: page, nextCursor: rows.length > input.limit ? (page.at(-1)?.id ?? null) : null };
}
