import { z } from "zod";
import type { Db, Tx } from "@/lib/db/client";
import type { Payment, Prisma } from "@/lib/db/generated/client";
import { ZCalendarDate, zSingleLineText } from "@/lib/validation/fields";
import { columnKey, keysetPage, keysetWhere, sortOrderBy, zListPageFields } from "@/lib/search/list-sort";
import { readSearchText } from "@/lib/search/search-text";
import { clinicDaysRange } from "@/lib/invoices/dates";
import { paymentSearchWhere } from "@/lib/search/search-where";
import { PAYMENT_SOURCES, PAYMENT_STATUSES } from "./payment-status";
import { DISPLAY_REFUNDS, paymentDisplayOf, type PaymentDisplayState } from "./payment-display-state";

export { PAYMENT_STATUSES };
export const PAYMENT_METHOD_TYPES = ["card", "us_bank_account", "cash", "check", "card_terminal", "bank_transfer"] as const;

/** The status filter's values: every payment status, and "refunded" (succeeded payments with a succeeded refund, in part or in full). */
export const PAYMENT_STATUS_FILTERS = [...PAYMENT_STATUSES, "refunded"] as const;

/** The columns the payments list sorts by; each with its first-click direction. */
export const PAYMENT_SORT_DIRECTIONS = { date: "desc", amount: "desc" } as const;
export type PaymentSortColumn = keyof typeof PAYMENT_SORT_DIRECTIONS;
const column = columnKey<Payment, Prisma.PaymentWhereInput, Prisma.PaymentOrderByWithRelationInput>;
const SORT_KEYS: Record<PaymentSortColumn, ReturnType<typeof column>[]> = { date: [column("createdAt")], amount: [column("amount")] };

export const ZListPaymentsInput = z.object({
  status: z.enum(PAYMENT_STATUS_FILTERS).optional(),
  methodType: z.enum(PAYMENT_METHOD_TYPES).optional(),
  source: z.enum(PAYMENT_SOURCES).optional(),
  patientId: z.string().uuid().optional(),
  invoiceId: z.string().uuid().optional(),
  /** Invoice number, e.g. "INV-00012" or "12". */
  invoiceNumber: zSingleLineText().max(20).optional(),
  /** Created on these clinic days. */
  from: ZCalendarDate.optional(),
  to: ZCalendarDate.optional(),
  /**
   * Money received on these clinic days, as the collections figure dates it (the card payment's
   * success, the front-desk payment's received time): succeeded then, and not voided within them.
   */
  paidFrom: ZCalendarDate.optional(),
  paidTo: ZCalendarDate.optional(),
  /**
   * A refund requested on these clinic days that did not fail within them, as the refunds figure
   * dates refunds (requested − failed).
   */
  refundedFrom: ZCalendarDate.optional(),
  refundedTo: ZCalendarDate.optional(),
  /** Exact instants (the REST API's createdFrom/createdTo), inclusive. */
  createdFrom: z.date().optional(),
  createdTo: z.date().optional(),
  /** An invoice number, the patient's name, email, phone or MRN, or an amount ("150", "$150.00"). */
  query: zSingleLineText().max(100).optional(),
  ...zListPageFields(PAYMENT_SORT_DIRECTIONS, "date"),
});
export type TListPaymentsInput = z.input<typeof ZListPaymentsInput>;

export type PaymentListItem = {
  id: string;
  status: string;
  methodType: string;
  source: string;
  currency: string;
  amount: number;
  amountReceived: number;
  creditAmount: number;
  cardBrand: string | null;
  cardLast4: string | null;
  failureMessage: string | null;
  createdAt: Date;
  succeededAt: Date | null;
  /** Its state in words, refunds included (paymentDisplayState). */
  display: PaymentDisplayState;
  /** Null for a payment made for no single invoice / patient (an insurer's, a plan's). */
  invoice: { id: string; number: string | null } | null;
  patient: { id: string; name: string } | null;
  /** The full row, for callers that show more (the REST API). */
  row: Payment;
};

type Instants = { gte?: Date; lt?: Date };

/**
 * Payments whose money the collections figure counts in these instants: the payment.succeeded and
 * payment.manual journals are dated at succeededAt; a front-desk payment voided within them is
 * taken back by its payment.manual.voided journal (dated at voidedAt) in the same period, one
 * voided later still counted.
 */
function paidWithin(range: Instants): Prisma.PaymentWhereInput {
  return {
    succeededAt: range,
    OR: [{ status: "succeeded" }, ...(range.lt ? [{ status: "voided" as const, voidedAt: { gte: range.lt } }] : [])],
  };
}

/**
 * Payments with a refund the refunds figure counts in these instants: refund.requested is dated
 * when the refund was requested (its createdAt), refund.failed (failed or refused by Stripe) at
 * its failedAt, so a refund that failed within them nets to nothing and one that failed later
 * still counts.
 */
function refundedWithin(range: Instants): Prisma.PaymentWhereInput {
  return {
    refunds: {
      some: {
        createdAt: range,
        OR: [{ status: { in: ["pending", "succeeded"] } }, ...(range.lt ? [{ failedAt: { gte: range.lt } }] : [])],
      },
    },
  };
}

/**
 * Payments of this organization with filters and a search (invoice number, patient, amount),
 * sorted by one column with the id as tie-break (newest first by default), in pages after `cursor`.
 */
export async function listPayments(db: Db | Tx, options: { organizationId: string; input?: TListPaymentsInput }) {
  const input = ZListPaymentsInput.parse(options.input ?? {});
  const where: Prisma.PaymentWhereInput = { organizationId: options.organizationId };
  const and: Prisma.PaymentWhereInput[] = [];
  if (input.status === "refunded") Object.assign(where, { status: "succeeded", refunds: { some: { status: "succeeded" } } });
  else if (input.status) where.status = input.status;
  if (input.methodType) where.methodType = input.methodType;
  if (input.source) where.source = input.source;
  if (input.patientId) where.patientId = input.patientId;
  // A manual payment can pay several invoices: it is listed under each of them.
  if (input.invoiceId) where.OR = [{ invoiceId: input.invoiceId }, { allocations: { some: { invoiceId: input.invoiceId } } }];
  if (input.invoiceNumber) {
    const digits = input.invoiceNumber.replace(/\D/g, "");
    where.invoice = { number: { contains: digits || input.invoiceNumber, mode: "insensitive" } };
  }
  // From/To are the clinic's calendar days, like every date people read.
  const organization =
    input.from || input.to || input.paidFrom || input.paidTo || input.refundedFrom || input.refundedTo || input.query
      ? await db.organization.findUniqueOrThrow({ where: { id: options.organizationId }, select: { currency: true, timezone: true } })
      : null;
  if (organization && (input.from || input.to)) where.createdAt = clinicDaysRange(input, organization.timezone);
  if (organization && (input.paidFrom || input.paidTo))
    and.push(paidWithin(clinicDaysRange({ from: input.paidFrom, to: input.paidTo }, organization.timezone)));
  if (organization && (input.refundedFrom || input.refundedTo)) {
    and.push(refundedWithin(clinicDaysRange({ from: input.refundedFrom, to: input.refundedTo }, organization.timezone)));
  }
  if (input.createdFrom || input.createdTo) {
    and.push({ createdAt: { ...(input.createdFrom ? { gte: input.createdFrom } : {}), ...(input.createdTo ? { lte: input.createdTo } : {}) } });
  }
  if (organization && input.query) {
    const search = readSearchText(input.query, organization.currency);
    if (search) and.push(paymentSearchWhere(search));
  }
  const keys = SORT_KEYS[input.sort];
  if (input.cursor) {
    const cursorRow = await db.payment.findFirst({ where: { id: input.cursor, organizationId: options.organizationId } });
    if (cursorRow) and.push(keysetWhere(keys, input.direction, cursorRow));
  }
  if (and.length) where.AND = and;
  const rows = await db.payment.findMany({
    where,
    include: {
      invoice: { select: { id: true, number: true } },
      patient: { select: { id: true, firstName: true, lastName: true } },
      refunds: DISPLAY_REFUNDS,
    },
    orderBy: sortOrderBy(keys, input.direction),
    take: input.limit + 1,
  });
  const { page, nextCursor } = keysetPage(rows, input.limit);
  const data: PaymentListItem[] = page.map((payment) => ({
    id: payment.id,
    status: payment.status,
    methodType: payment.methodType,
    source: payment.source,
    currency: payment.currency,
    amount: payment.amount,
    amountReceived: payment.amountReceived,
    creditAmount: payment.creditAmount,
    cardBrand: payment.cardBrand,
    cardLast4: payment.cardLast4,
    failureMessage: payment.failureMessage,
    createdAt: payment.createdAt,
    succeededAt: payment.succeededAt,
    display: paymentDisplayOf(payment),
    invoice: payment.invoice,
    patient: payment.patient && { id: payment.patient.id, name: `${payment.patient.firstName} ${payment.patient.lastName}` },
    row: payment,
  }));
  return { data, nextCursor };
}
