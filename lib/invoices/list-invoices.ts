import type { Db, Tx } from "@/lib/db/client";
import type { Invoice, Prisma } from "@/lib/db/generated/client";
import { readSearchText } from "@/lib/search/search-text";
import { invoiceSearchWhere } from "@/lib/search/search-where";
import { keysetWhere, sortOrderBy, type SortKey } from "@/lib/search/list-sort";
import { fromIsoDate, todayIn } from "./dates";
import { ZListInvoicesInput, type InvoiceSortColumn, type InvoiceView, type TListInvoicesInput } from "./invoices.types";
import { toInvoiceView } from "./to-invoice-view";

export type InvoicePage = { data: (InvoiceView & { patientName: string })[]; nextCursor: string | null };

type SortRow = Invoice & { patient: { lastName: string; firstName: string } };
type InvoiceSortKey = SortKey<SortRow, Prisma.InvoiceWhereInput, Prisma.InvoiceOrderByWithRelationInput>;

const SORT_KEYS: Record<InvoiceSortColumn, InvoiceSortKey[]> = {
  created: [
    {
      orderBy: (direction) => ({ createdAt: direction }),
      value: (row) => row.createdAt,
      compare: (operator, value) => ({ createdAt: { [operator]: value } }),
      equals: (value) => ({ createdAt: value as Date }),
    },
  ],
  // Drafts have no number yet: they come last either way.
  number: [
    {
      orderBy: (direction) => ({ number: { sort: direction, nulls: "last" } }),
      value: (row) => row.number,
      compare: (operator, value) => ({ number: { [operator]: value } }),
      equals: (value) => ({ number: value as string }),
      isNull: { number: null },
    },
  ],
  patient: [
    {
      orderBy: (direction) => ({ patient: { lastName: direction } }),
      value: (row) => row.patient.lastName,
      compare: (operator, value) => ({ patient: { lastName: { [operator]: value } } }),
      equals: (value) => ({ patient: { lastName: value as string } }),
    },
    {
      orderBy: (direction) => ({ patient: { firstName: direction } }),
      value: (row) => row.patient.firstName,
      compare: (operator, value) => ({ patient: { firstName: { [operator]: value } } }),
      equals: (value) => ({ patient: { firstName: value as string } }),
    },
  ],
  due: [
    {
      orderBy: (direction) => ({ dueDate: { sort: direction, nulls: "last" } }),
      value: (row) => row.dueDate,
      compare: (operator, value) => ({ dueDate: { [operator]: value } }),
      equals: (value) => ({ dueDate: value as Date }),
      isNull: { dueDate: null },
    },
  ],
  total: [
    {
      orderBy: (direction) => ({ total: direction }),
      value: (row) => row.total,
      compare: (operator, value) => ({ total: { [operator]: value } }),
      equals: (value) => ({ total: value as number }),
    },
  ],
  balance: [
    {
      orderBy: (direction) => ({ amountDue: direction }),
      value: (row) => row.amountDue,
      compare: (operator, value) => ({ amountDue: { [operator]: value } }),
      equals: (value) => ({ amountDue: value as number }),
    },
  ],
};

/**
 * Invoices of this organization with filters (status, patient, number, a search of number and
 * patient), sorted by one column with the id as tie-break (newest first by default), in pages of
 * `limit` after `cursor` (the last id of the previous page).
 */
export async function listInvoices(db: Db | Tx, options: { organizationId: string; input?: TListInvoicesInput }): Promise<InvoicePage> {
  const input = ZListInvoicesInput.parse(options.input ?? {});
  const organization = await db.organization.findUniqueOrThrow({ where: { id: options.organizationId }, select: { timezone: true, currency: true } });
  const where: Prisma.InvoiceWhereInput = { organizationId: options.organizationId };
  const and: Prisma.InvoiceWhereInput[] = [];
  if (input.status === "overdue") {
    where.status = { in: ["open", "partially_paid"] };
    where.dueDate = { lt: fromIsoDate(todayIn(organization.timezone)) };
  } else if (input.status === "outstanding") {
    where.status = { in: ["open", "partially_paid"] };
  } else if (input.status) {
    where.status = input.status;
  }
  if (input.patientId) where.patientId = input.patientId;
  if (input.createdFrom || input.createdTo) where.createdAt = { gte: input.createdFrom, lte: input.createdTo };
  if (input.number) {
    const digits = input.number.replace(/\D/g, "");
    where.number = { contains: digits ? digits : input.number, mode: "insensitive" };
  }
  const search = readSearchText(input.query, organization.currency);
  if (search) and.push(invoiceSearchWhere(search));
  const keys = SORT_KEYS[input.sort];
  if (input.cursor) {
    const cursorRow = await db.invoice.findFirst({
      where: { id: input.cursor, organizationId: options.organizationId },
      include: { patient: { select: { firstName: true, lastName: true } } },
    });
    if (cursorRow) and.push(keysetWhere(keys, input.direction, cursorRow));
  }
  if (and.length) where.AND = and;
  const rows = await db.invoice.findMany({
    where,
    include: { lines: true, patient: { select: { firstName: true, lastName: true } } },
    orderBy: sortOrderBy(keys, input.direction),
    take: input.limit + 1,
  });
  const page = rows.slice(0, input.limit);
  return {
    data: page.map((invoice) => ({
      ...toInvoiceView(invoice, organization.timezone),
      patientName: `${invoice.patient.firstName} ${invoice.patient.lastName}`,
    })),
    nextCursor: rows.length > input.limit ? (page.at(-1)?.id ?? null) : null,
  };
}
