import { z } from "zod";
import { formatClaimNumber } from "@/lib/claims/claim-number";
import type { Db, Tx } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { AppError } from "@/lib/errors";
import { zRecordId } from "@/lib/http/record-id";
import { toIsoDate } from "@/lib/invoices/dates";
import {
  ADJUSTMENT_GROUP_CODES,
  CLAIM_PAYMENT_STATUS_CODES,
  PAYMENT_METHOD_CODES,
  PROVIDER_ADJUSTMENT_REASON_CODES,
  describeCarc,
  describeRarc,
  describeRemittanceCode,
  isAdjustmentGroupCode,
} from "@/lib/x12/remittance-codes";
import type {
  ClaimRemittanceView,
  RemittanceAdjustmentView,
  RemittanceClaimView,
  RemittancePage,
  RemittancePosting,
  RemittanceSummaryView,
  RemittanceView,
} from "./remittances.types";
import { countRemittancePosting, type RemittancePostingCounts } from "./post-queued-remittance";
import type { StoredImbalance } from "./store-remittance";

export const REMITTANCE_FILTERS = ["received", "needs_review", "posted", "unmatched"] as const;
export type RemittanceFilter = (typeof REMITTANCE_FILTERS)[number];

/** Filters of the remittances list (query strings are coerced). */
export const ZListRemittancesQuery = z.strictObject({
  status: z
    .enum(REMITTANCE_FILTERS, "Choose received, needs_review, posted or unmatched.")
    .optional()
    .describe("received, needs_review or posted: the payment's status; unmatched: payments with a claim payment that matched none of the clinic's claims"),
  cursor: zRecordId("Use the nextCursor of the previous page.").optional(),
  limit: z.coerce.number("Give a number.").int("Give a whole number.").min(1, "At least 1.").max(100, "At most 100.").default(25),
});
export type TListRemittancesQuery = z.input<typeof ZListRemittancesQuery>;

const ADJUSTMENT_SELECT = { groupCode: true, reasonCode: true, amount: true, quantity: true, position: true } as const;

const CLAIM_PAYMENT_INCLUDE = {
  claim: { select: { id: true, number: true } },
  patientShareInvoice: { select: { id: true, number: true } },
  adjustments: { where: { remittanceLineId: null }, orderBy: { position: "asc" }, select: ADJUSTMENT_SELECT },
  lines: { orderBy: { position: "asc" }, include: { adjustments: { orderBy: { position: "asc" }, select: ADJUSTMENT_SELECT } } },
} as const satisfies Prisma.RemittanceClaimInclude;

const SUMMARY_INCLUDE = {
  payer: { select: { id: true, name: true } },
  _count: { select: { claims: true } },
} as const satisfies Prisma.RemittanceInclude;

type SummaryRow = Prisma.RemittanceGetPayload<{ include: typeof SUMMARY_INCLUDE }>;
type ClaimPaymentRow = Prisma.RemittanceClaimGetPayload<{ include: typeof CLAIM_PAYMENT_INCLUDE }>;
type AdjustmentRow = ClaimPaymentRow["adjustments"][number];

const day = (date: Date | null) => toIsoDate(date);
const remarks = (codes: string[]) => codes.map((code) => ({ code, description: describeRarc(code) }));

function toAdjustmentView(row: AdjustmentRow): RemittanceAdjustmentView {
  return {
    groupCode: row.groupCode,
    group: isAdjustmentGroupCode(row.groupCode) ? ADJUSTMENT_GROUP_CODES[row.groupCode] : `Group ${row.groupCode}`,
    reasonCode: row.reasonCode,
    reason: describeCarc(row.reasonCode),
    amount: row.amount,
    quantity: row.quantity === null ? null : Number(row.quantity.toString()),
  };
}

function toClaimPaymentView(row: ClaimPaymentRow): RemittanceClaimView {
  return {
    id: row.id,
    position: row.position,
    status: row.status,
    unmatchedReason: row.unmatchedReason,
    heldReason: row.heldReason,
    postedAt: row.postedAt?.toISOString() ?? null,
    patientShareInvoice: row.patientShareInvoice,
    claim: row.claim ? { id: row.claim.id, displayNumber: formatClaimNumber(row.claim.number) } : null,
    patientControlNumber: row.patientControlNumber,
    statusCode: row.statusCode,
    statusDescription: describeRemittanceCode(CLAIM_PAYMENT_STATUS_CODES, row.statusCode, "Claim status"),
    chargeAmount: row.chargeAmount,
    paidAmount: row.paidAmount,
    patientResponsibility: row.patientResponsibility,
    payerClaimControlNumber: row.payerClaimControlNumber,
    patientName: row.patientName,
    remarkCodes: remarks(row.remarkCodes),
    adjustments: row.adjustments.map(toAdjustmentView),
    lines: row.lines.map((line) => ({
      id: line.id,
      position: line.position,
      claimLineId: line.claimLineId,
      procedureCode: line.procedureCode,
      modifiers: line.modifiers,
      originalProcedureCode: line.originalProcedureCode,
      chargeAmount: line.chargeAmount,
      paidAmount: line.paidAmount,
      allowedAmount: line.allowedAmount,
      units: Number(line.units.toString()),
      serviceDate: day(line.serviceDate),
      serviceDateEnd: day(line.serviceDateEnd),
      remarkCodes: remarks(line.remarkCodes),
      adjustments: line.adjustments.map(toAdjustmentView),
    })),
  };
}

function toSummaryView(row: SummaryRow, unmatchedClaimCount: number): RemittanceSummaryView {
  return {
    id: row.id,
    status: row.status,
    payer: row.payer,
    payerName: row.payerName,
    traceNumber: row.traceNumber,
    totalAmount: row.totalAmount,
    paymentMethod: row.paymentMethod,
    paymentMethodDescription: describeRemittanceCode(PAYMENT_METHOD_CODES, row.paymentMethod, "Payment method"),
    paidOn: day(row.paidOn),
    claimCount: row._count.claims,
    unmatchedClaimCount,
    clearinghouseFileId: row.clearinghouseFileId,
    createdAt: row.createdAt.toISOString(),
  };
}

async function unmatchedCounts(db: Db | Tx, remittanceIds: string[]): Promise<Map<string, number>> {
  if (remittanceIds.length === 0) return new Map();
  const groups = await db.remittanceClaim.groupBy({
    by: ["remittanceId"],
    where: { remittanceId: { in: remittanceIds }, status: "unmatched" },
    _count: { _all: true },
  });
  return new Map(groups.map((group) => [group.remittanceId, group._count._all]));
}

/** The clinic's remittances (one per 835 payment), newest first, in keyset pages (cursor: the last one's id). */
export async function listRemittances(db: Db | Tx, options: { organizationId: string; query?: TListRemittancesQuery }): Promise<RemittancePage> {
  const query = ZListRemittancesQuery.parse(options.query ?? {});
  const { organizationId } = options;
  const where: Prisma.RemittanceWhereInput = { organizationId };
  const and: Prisma.RemittanceWhereInput[] = [];
  if (query.status === "unmatched") where.claims = { some: { status: "unmatched" } };
  else if (query.status) where.status = query.status;
  if (query.cursor) {
    const cursor = await db.remittance.findFirst({ where: { id: query.cursor, organizationId }, select: { id: true, createdAt: true } });
    if (cursor) and.push({ OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { lt: cursor.id } }] });
  }
  if (and.length > 0) where.AND = and;
  const rows = await db.remittance.findMany({ where, include: SUMMARY_INCLUDE, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: query.limit + 1 });
  const page = rows.slice(0, query.limit);
  const unmatched = await unmatchedCounts(
    db,
    page.map((row) => row.id),
  );
  return {
    remittances: page.map((row) => toSummaryView(row, unmatched.get(row.id) ?? 0)),
    nextCursor: rows.length > query.limit ? page.at(-1)!.id : null,
  };
}

/** One remittance with its claim payments, lines, adjustments in words and imbalances; another clinic's id is NOT_FOUND. */
export async function getRemittanceOrThrow(db: Db | Tx, options: { organizationId: string; remittanceId: string }): Promise<RemittanceView> {
  const row = await db.remittance.findFirst({
    where: { id: options.remittanceId, organizationId: options.organizationId },
    include: {
      ...SUMMARY_INCLUDE,
      clearinghouseFile: { select: { fileName: true } },
      claims: { orderBy: { position: "asc" }, include: CLAIM_PAYMENT_INCLUDE },
      providerAdjustments: { orderBy: { position: "asc" } },
    },
  });
  if (!row) throw new AppError("NOT_FOUND", "That remittance does not exist.");
  const count = (...statuses: string[]) => row.claims.filter((claim) => statuses.includes(claim.status)).length;
  return {
    ...toSummaryView(row, count("unmatched")),
    posting: toPostingView(row, {
      total: count("matched", "posted", "reversed", "duplicate", "held"),
      waiting: count("matched"),
      posted: count("posted", "reversed"),
      duplicate: count("duplicate"),
      held: count("held"),
    }),
    fileName: row.clearinghouseFile.fileName,
    payerIdentifier: row.payerIdentifier,
    traceOriginatorId: row.traceOriginatorId,
    handlingCode: row.handlingCode,
    producedOn: day(row.producedOn),
    payeeName: row.payeeName,
    payeeNpi: row.payeeNpi,
    imbalances: row.imbalances as StoredImbalance[],
    claims: row.claims.map(toClaimPaymentView),
    providerAdjustments: row.providerAdjustments.map((adjustment) => ({
      providerId: adjustment.providerId,
      fiscalPeriodDate: day(adjustment.fiscalPeriodDate),
      reasonCode: adjustment.reasonCode,
      reason: describeRemittanceCode(PROVIDER_ADJUSTMENT_REASON_CODES, adjustment.reasonCode, "Provider adjustment reason"),
      reference: adjustment.reference,
      amount: adjustment.amount,
    })),
  };
}

function toPostingView(
  row: { status: string; postingQueuedAt: Date | null; postingFinishedAt: Date | null },
  counts: RemittancePostingCounts,
): RemittancePosting {
  const inBackground = row.postingQueuedAt !== null;
  // A payment that does not add up is never posted: nothing waits on posting there.
  const finished = row.status === "needs_review" || (inBackground ? row.postingFinishedAt !== null : counts.waiting === 0);
  return { inBackground, finished, ...counts };
}

/**
 * How far posting one remittance has got, without its claim payments (one small query each: the
 * remittance page asks every few seconds while the background job posts).
 */
export async function getRemittancePostingOrThrow(db: Db | Tx, options: { organizationId: string; remittanceId: string }): Promise<RemittancePosting> {
  const row = await db.remittance.findFirst({
    where: { id: options.remittanceId, organizationId: options.organizationId },
    select: { status: true, postingQueuedAt: true, postingFinishedAt: true },
  });
  if (!row) throw new AppError("NOT_FOUND", "That remittance does not exist.");
  return toPostingView(row, await countRemittancePosting(db, { remittanceId: options.remittanceId }));
}

/** Every claim payment matched to one claim of the clinic, oldest first (a claim may be paid, reversed and paid again). */
export async function listClaimRemittances(db: Db | Tx, options: { organizationId: string; claimId: string }): Promise<ClaimRemittanceView[]> {
  const rows = await db.remittanceClaim.findMany({
    where: { organizationId: options.organizationId, claimId: options.claimId },
    include: {
      ...CLAIM_PAYMENT_INCLUDE,
      remittance: { select: { id: true, status: true, payerName: true, traceNumber: true, paidOn: true, createdAt: true } },
    },
    orderBy: [{ remittance: { createdAt: "asc" } }, { position: "asc" }],
  });
  return rows.map((row) => ({
    ...toClaimPaymentView(row),
    remittance: {
      id: row.remittance.id,
      status: row.remittance.status,
      payerName: row.remittance.payerName,
      traceNumber: row.remittance.traceNumber,
      paidOn: day(row.remittance.paidOn),
      createdAt: row.remittance.createdAt.toISOString(),
    },
  }));
}
