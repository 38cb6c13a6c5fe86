import { z } from "zod";
import "@/lib/validation/fields";
import type { Db, Tx } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { AppError } from "@/lib/errors";
import { addDays, fromIsoDate, todayIn } from "@/lib/invoices/dates";
import { parseClaimNumber } from "./claim-number";
import { CLAIM_INCLUDE, CLAIM_SUMMARY_INCLUDE, toClaimSummaryView, toClaimView } from "./claim-views";
import { zRecordId } from "@/lib/http/record-id";
import { zSingleLineText } from "@/lib/validation/fields";
import type { ClaimPage, ClaimStatus, ClaimView } from "./claims.types";

export const CLAIM_STATUSES = [
  "draft",
  "ready",
  "submitted",
  "accepted",
  "rejected",
  "paid",
  "partially_paid",
  "denied",
  "closed",
] as const satisfies readonly ClaimStatus[];

const ZDays = z.coerce.number().int("Use a whole number of days.").min(0, "At least 0 days.").max(36_500);
const ZAmount = z.coerce
  .number()
  .int("Use an amount in minor units (cents).")
  .min(0, "At least 0.")
  .max(2_147_483_647, "At most 21,474,836.47 (the largest claim total).");

/** Filters of the claims work list (query strings are coerced). */
export const ZClaimListQuery = z.object({
  status: z.enum(CLAIM_STATUSES).optional(),
  payerId: zRecordId("Unknown payer.").optional(),
  /** Days since the first date of service, inclusive. */
  ageMin: ZDays.optional(),
  ageMax: ZDays.optional(),
  /** Claim total, minor units, inclusive. */
  amountMin: ZAmount.optional(),
  amountMax: ZAmount.optional(),
  patientId: zRecordId("Unknown patient.").optional(),
  /** A claim number (CLM-000123 or 123) or part of the patient's name. */
  q: zSingleLineText().max(100).optional(),
  cursor: zRecordId("Use the nextCursor of the previous page.").optional(),
  limit: z.coerce.number().int().min(1, "At least 1.").max(100, "At most 100.").default(25),
});
export type TClaimListQuery = z.input<typeof ZClaimListQuery>;

/**
 * Claims of the organization with the filters, newest first, in keyset pages (cursor: the last
 * claim's id). Age is counted from the first line's date of service on the clinic's calendar.
 */
export async function listClaims(db: Db | Tx, options: { organizationId: string; query?: TClaimListQuery; now?: Date }): Promise<ClaimPage> {
  const query = ZClaimListQuery.parse(options.query ?? {});
  const now = options.now ?? new Date();
  const { organizationId } = options;
  const organization = await db.organization.findUniqueOrThrow({ where: { id: organizationId }, select: { timezone: true } });
  const today = todayIn(organization.timezone, now);
  const where: Prisma.ClaimWhereInput = { organizationId };
  const and: Prisma.ClaimWhereInput[] = [];
  if (query.status) where.status = query.status;
  if (query.payerId) where.payerId = query.payerId;
  if (query.patientId) where.patientId = query.patientId;
  if (query.amountMin !== undefined || query.amountMax !== undefined) where.totalCharge = { gte: query.amountMin, lte: query.amountMax };
  // The first date of service is at least ageMin days ago: some line is that old.
  if (query.ageMin !== undefined) and.push({ lines: { some: { serviceDate: { lte: fromIsoDate(addDays(today, -query.ageMin)) } } } });
  // …and at most ageMax days ago: every line is that recent.
  if (query.ageMax !== undefined) and.push({ lines: { every: { serviceDate: { gte: fromIsoDate(addDays(today, -query.ageMax)) } } } });
  if (query.q) {
    const number = parseClaimNumber(query.q) ?? (/^\d{1,9}$/.test(query.q) ? Number(query.q) : null);
    const words = query.q.split(/\s+/).filter(Boolean).slice(0, 4);
    const byName: Prisma.ClaimWhereInput = {
      AND: words.map((word) => ({
        OR: [{ patient: { firstName: { contains: word, mode: "insensitive" } } }, { patient: { lastName: { contains: word, mode: "insensitive" } } }],
      })),
    };
    and.push(number ? { OR: [{ number }, byName] } : byName);
  }
  if (query.cursor) {
    const cursor = await db.claim.findFirst({ where: { id: query.cursor, organizationId }, select: { id: true, createdAt: true } });
    if (cursor) and.push({ OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { lt: cursor.id } }] });
  }
  if (and.length > 0) where.AND = and;
  const rows = await db.claim.findMany({
    where,
    include: CLAIM_SUMMARY_INCLUDE,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  return { claims: page.map((row) => toClaimSummaryView(row, now)), nextCursor: rows.length > query.limit ? page.at(-1)!.id : null };
}

/** One claim with its lines, history, batches and what can be done with it; another clinic's id is NOT_FOUND. */
export async function getClaimOrThrow(db: Db | Tx, options: { organizationId: string; claimId: string; now?: Date }): Promise<ClaimView> {
  const row = await db.claim.findFirst({ where: { id: options.claimId, organizationId: options.organizationId }, include: CLAIM_INCLUDE });
  if (!row) throw new AppError("NOT_FOUND", "That claim does not exist.");
  return toClaimView(row, options.now);
}

/** How many claims are in each state (every state present, 0 when none). */
export async function countClaimsByStatus(db: Db | Tx, options: { organizationId: string }): Promise<Record<ClaimStatus, number>> {
  const groups = await db.claim.groupBy({ by: ["status"], where: { organizationId: options.organizationId }, _count: { _all: true } });
  const counts = Object.fromEntries(CLAIM_STATUSES.map((status) => [status, 0])) as Record<ClaimStatus, number>;
  for (const group of groups) counts[group.status] = group._count._all;
  return counts;
}
