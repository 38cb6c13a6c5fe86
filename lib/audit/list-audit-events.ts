import { z } from "zod";
import type { Db, Tx } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { clinicDaysRange } from "@/lib/invoices/dates";
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

/**
 * An organization's audit events, newest first, filtered, with cursor pagination. `from`/`to` are
 * days on the clinic's calendar (`timeZone`, UTC when not given), both included.
 */
export async function listAuditEvents(db: Db | Tx, options: { organizationId: string; timeZone?: string; input?: TListAuditEventsInput }) {
  const input = ZListAuditEventsInput.parse(options.input ?? {});
  const where: Prisma.AuditEventWhereInput = { organizationId: options.organizationId };
  if (input.action) where.action = { startsWith: input.action };
  if (input.actor) where.actorLabel = { contains: input.actor, mode: "insensitive" };
  if (input.targetType) where.targetType = input.targetType;
  if (input.targetId) where.targetId = input.targetId;
  const timeZone = options.timeZone ?? "UTC";
  if (input.from || input.to) where.createdAt = clinicDaysRange(input, timeZone);
  const rows = await db.auditEvent.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: input.limit + 1,
    ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : {}),
  });
  const page = rows.slice(0, input.limit);
  return { data: page, nextCursor: rows.length > input.limit ? (page.at(-1)?.id ?? null) : null };
}
