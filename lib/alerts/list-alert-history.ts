import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { ALERT_RULE_LABELS, type AlertHistoryItem } from "./alerts.types";

export const ZListAlertHistoryInput = z.object({
  cursor: z.uuid().optional(),
  limit: z.number().int().min(1).max(100).default(25),
});
export type TListAlertHistoryInput = z.input<typeof ZListAlertHistoryInput>;

/** The organization's alerts, active and cleared, newest first (fired time, then id), in pages after `cursor`. */
export async function listAlertHistory(
  db: Db,
  options: { organizationId: string; input?: TListAlertHistoryInput },
): Promise<{ data: AlertHistoryItem[]; nextCursor: string | null }> {
  const input = ZListAlertHistoryInput.parse(options.input ?? {});
  const cursorRow = input.cursor
    ? await db.alert.findFirst({ where: { id: input.cursor, organizationId: options.organizationId }, select: { id: true, firedAt: true } })
    : null;
  const rows = await db.alert.findMany({
    where: {
      organizationId: options.organizationId,
      ...(cursorRow ? { OR: [{ firedAt: { lt: cursorRow.firedAt } }, { firedAt: cursorRow.firedAt, id: { lt: cursorRow.id } }] } : {}),
    },
    orderBy: [{ firedAt: "desc" }, { id: "desc" }],
    take: input.limit + 1,
  });
  const page = rows.slice(0, input.limit);
  return {
    data: page.map((row) => ({
      id: row.id,
      rule: row.rule,
      label: ALERT_RULE_LABELS[row.rule],
      detail: row.detail,
      firedAt: row.firedAt.toISOString(),
      clearedAt: row.clearedAt?.toISOString() ?? null,
      emailed: row.emailedAt !== null,
    })),
    nextCursor: rows.length > input.limit ? (page.at(-1)?.id ?? null) : null,
  };
}
