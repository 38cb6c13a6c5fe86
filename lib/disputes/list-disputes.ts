import { z } from "zod";
import type { Db } from "@/lib/db/client";
import type { Dispute, Prisma } from "@/lib/db/generated/client";
import { columnKey, keysetPage, keysetWhere, sortOrderBy, zListPageFields } from "@/lib/search/list-sort";
import { readSearchText } from "@/lib/search/search-text";
import { disputeSearchWhere } from "@/lib/search/search-where";
import { zSingleLineText } from "@/lib/validation/fields";
import { DISPUTE_STATUSES, NEEDS_RESPONSE_STATUSES } from "./dispute-status";

/** The columns the disputes list sorts by; each with its first-click direction. */
export const DISPUTE_SORT_DIRECTIONS = { opened: "desc", due: "asc", amount: "desc" } as const;
export type DisputeSortColumn = keyof typeof DISPUTE_SORT_DIRECTIONS;
const column = columnKey<Dispute, Prisma.DisputeWhereInput, Prisma.DisputeOrderByWithRelationInput>;
const SORT_KEYS: Record<DisputeSortColumn, ReturnType<typeof column>[]> = {
  opened: [column("createdAt")],
  // Inquiries closed without a deadline have none: they come last either way.
  due: [column("evidenceDueBy", { nullsLast: true })],
  amount: [column("amount")],
};

export const ZListDisputesInput = z.object({
  /** `needs_response`: waiting for the clinic's evidence; `open`: not closed; `lost_unresolved`: lost, no decision yet; or one status. */
  filter: z.enum(["needs_response", "open", "lost_unresolved", ...DISPUTE_STATUSES]).optional(),
  patientId: z.string().uuid().optional(),
  /** The invoice number, the patient's name, email, phone or MRN, or the amount. */
  query: zSingleLineText().max(100).optional(),
  ...zListPageFields(DISPUTE_SORT_DIRECTIONS, "opened"),
});
export type TListDisputesInput = z.input<typeof ZListDisputesInput>;

/** Disputes waiting for the clinic's evidence (none recorded yet). */
export const needsResponseWhere = (organizationId: string): Prisma.DisputeWhereInput => ({
  organizationId,
  status: { in: [...NEEDS_RESPONSE_STATUSES] },
  evidenceSubmittedAt: null,
});

/**
 * Disputes of this organization with a filter, a patient and a search, sorted by one column with
 * the id as tie-break (newest first by default), in pages after `cursor`.
 */
export async function listDisputes(db: Db, options: { organizationId: string; input?: TListDisputesInput }) {
  const input = ZListDisputesInput.parse(options.input ?? {});
  let where: Prisma.DisputeWhereInput = { organizationId: options.organizationId };
  if (input.filter === "needs_response") where = needsResponseWhere(options.organizationId);
  else if (input.filter === "open") where.status = { notIn: ["won", "lost", "warning_closed"] };
  else if (input.filter === "lost_unresolved") Object.assign(where, { status: "lost", resolution: null });
  else if (input.filter) where.status = input.filter;
  const and: Prisma.DisputeWhereInput[] = [];
  if (input.patientId) and.push({ invoice: { patientId: input.patientId } });
  if (input.query) {
    const organization = await db.organization.findUniqueOrThrow({ where: { id: options.organizationId }, select: { currency: true } });
    const search = readSearchText(input.query, organization.currency);
    if (search) and.push(disputeSearchWhere(search));
  }
  const keys = SORT_KEYS[input.sort];
  if (input.cursor) {
    const cursorRow = await db.dispute.findFirst({ where: { id: input.cursor, organizationId: options.organizationId } });
    if (cursorRow) and.push(keysetWhere(keys, input.direction, cursorRow));
  }
  if (and.length) where.AND = and;
  const rows = await db.dispute.findMany({
    where,
    include: {
      invoice: { select: { id: true, number: true } },
      payment: { select: { id: true, cardBrand: true, cardLast4: true, patient: { select: { id: true, firstName: true, lastName: true } } } },
    },
    orderBy: sortOrderBy(keys, input.direction),
    take: input.limit + 1,
  });
  const { page, nextCursor } = keysetPage(rows, input.limit);
  return { data: page, nextCursor };
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
