import { z } from "zod";
import { AGE_FILTERS } from "@/lib/analytics/aging-buckets";
import { CREDIT_NOTE_SORT_DIRECTIONS, type CreditNoteSortColumn } from "@/lib/credit-notes/list-credit-notes";
import { DISPUTE_SORT_DIRECTIONS, ZListDisputesInput, type DisputeSortColumn } from "@/lib/disputes/list-disputes";
import { isRecordId } from "@/lib/http/record-id";
import { INVOICE_SORT_DIRECTIONS, INVOICE_STATUSES, type InvoiceSortColumn } from "@/lib/invoices/invoices.types";
import { PATIENT_SORT_DIRECTIONS, type PatientSortColumn } from "@/lib/patients/patients.types";
import { PAYMENT_SORT_DIRECTIONS, ZListPaymentsInput, type PaymentSortColumn } from "@/lib/payments/list-payments";
import { ZCalendarDate, zSingleLineText } from "@/lib/validation/fields";
import { zListSort, type ListSort, type SortDirection } from "./list-sort";

/*
 * The search parameters of the staff lists (page and CSV export read the same ones), parsed so
 * that anything unknown or malformed falls back to "no filter" or the default sort, never a 500.
 */

export type ListParams = Record<string, string | string[] | undefined> | URLSearchParams;

/** Each parameter's first non-empty value. */
function firstValues(params: ListParams): Record<string, string | undefined> {
  if (params instanceof URLSearchParams) return Object.fromEntries([...params.keys()].map((name) => [name, params.get(name) || undefined]));
  return Object.fromEntries(Object.entries(params).map(([name, value]) => [name, (Array.isArray(value) ? value[0] : value) || undefined]));
}

const zQuery = zSingleLineText().max(100).optional().catch(undefined);
const zId = z.string().refine(isRecordId).optional().catch(undefined);

/** The URL of a list with these parameters (empty ones left out). */
export function listHref(path: string, values: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) if (value) search.set(name, value);
  const query = search.toString();
  return query ? `${path}?${query}` : path;
}

/** `sort`/`dir` for a URL: nothing for the list's default order. */
export function sortValues<Column extends string>(sort: ListSort<Column>, fallback: ListSort<Column>): { sort?: string; dir?: string } {
  return sort.column === fallback.column && sort.direction === fallback.direction ? {} : { sort: sort.column, dir: sort.direction };
}

/**
 * A list's filters (`zFilters`) and sort read from its parameters; `sortInput` is the sort as the
 * list's input takes it.
 */
function readListParams<Filters, Column extends string>(
  params: ListParams,
  zFilters: z.ZodType<Filters>,
  directions: Record<Column, SortDirection>,
  fallback: ListSort<Column>,
) {
  const values = firstValues(params);
  const sort = zListSort(directions, fallback).parse(values);
  return { filters: zFilters.parse(values), sort, sortInput: { sort: sort.column, direction: sort.direction } };
}

export const INVOICE_DEFAULT_SORT: ListSort<InvoiceSortColumn> = { column: "created", direction: "desc" };
const ZInvoiceFilters = z.object({
  q: zQuery,
  status: z
    .enum([...INVOICE_STATUSES, "outstanding", "overdue"])
    .optional()
    .catch(undefined),
  patient: zId,
  /** An aging bucket (the analytics page's drill-down): unpaid invoices that old today. */
  age: z.enum(AGE_FILTERS).optional().catch(undefined),
  /** Invoices finalized on these clinic days (the analytics page's charges drill-down). */
  from: ZCalendarDate.optional().catch(undefined),
  to: ZCalendarDate.optional().catch(undefined),
  cursor: zId,
  /** Links from before the search took patients: ?number=INV-00012 searches for it. */
  number: zQuery,
});

/** /app/invoices?q=&status=&patient=&age=&from=&to=&sort=&dir=&cursor= (and the older ?number=) */
export function readInvoiceListParams(params: ListParams) {
  const {
    filters: { number, ...filters },
    sort,
    sortInput,
  } = readListParams(params, ZInvoiceFilters, INVOICE_SORT_DIRECTIONS, INVOICE_DEFAULT_SORT);
  filters.q ??= number;
  return {
    filters,
    sort,
    input: {
      query: filters.q,
      status: filters.status,
      patientId: filters.patient,
      age: filters.age,
      finalizedFrom: filters.from,
      finalizedTo: filters.to,
      ...sortInput,
    },
  };
}

export const PAYMENT_DEFAULT_SORT: ListSort<PaymentSortColumn> = { column: "date", direction: "desc" };
const ZPaymentFilters = z.object({
  q: zQuery,
  status: ZListPaymentsInput.shape.status.catch(undefined),
  methodType: ZListPaymentsInput.shape.methodType.catch(undefined),
  /** Older links and bookmarks: an invoice number. */
  invoiceNumber: zSingleLineText().max(20).optional().catch(undefined),
  /** Created on these clinic days. */
  from: ZCalendarDate.optional().catch(undefined),
  to: ZCalendarDate.optional().catch(undefined),
  /** Money received on these clinic days (the analytics page's collections drill-down). */
  paidFrom: ZCalendarDate.optional().catch(undefined),
  paidTo: ZCalendarDate.optional().catch(undefined),
  /** A refund requested on these clinic days (the analytics page's refunds drill-down). */
  refundedFrom: ZCalendarDate.optional().catch(undefined),
  refundedTo: ZCalendarDate.optional().catch(undefined),
  patient: zId,
  cursor: zId,
});

/** /app/payments?q=&status=&methodType=&from=&to=&paidFrom=&paidTo=&refundedFrom=&refundedTo=&patient=&sort=&dir=&cursor= */
export function readPaymentListParams(params: ListParams) {
  const { filters, sort, sortInput } = readListParams(params, ZPaymentFilters, PAYMENT_SORT_DIRECTIONS, PAYMENT_DEFAULT_SORT);
  return {
    filters,
    sort,
    input: {
      query: filters.q,
      status: filters.status,
      methodType: filters.methodType,
      invoiceNumber: filters.invoiceNumber,
      from: filters.from,
      to: filters.to,
      paidFrom: filters.paidFrom,
      paidTo: filters.paidTo,
      refundedFrom: filters.refundedFrom,
      refundedTo: filters.refundedTo,
      patientId: filters.patient,
      ...sortInput,
    },
  };
}

export const DISPUTE_DEFAULT_SORT: ListSort<DisputeSortColumn> = { column: "opened", direction: "desc" };
const ZDisputeFilters = z.object({
  q: zQuery,
  filter: ZListDisputesInput.shape.filter.catch(undefined),
  patient: zId,
  cursor: zId,
});

/** /app/disputes?q=&filter=&patient=&sort=&dir=&cursor= */
export function readDisputeListParams(params: ListParams) {
  const { filters, sort, sortInput } = readListParams(params, ZDisputeFilters, DISPUTE_SORT_DIRECTIONS, DISPUTE_DEFAULT_SORT);
  return {
    filters,
    sort,
    input: { query: filters.q, filter: filters.filter, patientId: filters.patient, ...sortInput },
  };
}

export const PATIENT_DEFAULT_SORT: ListSort<PatientSortColumn> = { column: "added", direction: "desc" };
const ZPatientFilters = z.object({
  q: zQuery,
  archived: z.literal("1").optional().catch(undefined),
  cursor: zId,
});

/** /app/patients?q=&archived=1&sort=&dir=&cursor= */
export function readPatientListParams(params: ListParams) {
  const { filters, sort, sortInput } = readListParams(params, ZPatientFilters, PATIENT_SORT_DIRECTIONS, PATIENT_DEFAULT_SORT);
  return {
    filters,
    sort,
    input: { query: filters.q, includeArchived: filters.archived === "1", ...sortInput },
  };
}

export const CREDIT_NOTE_DEFAULT_SORT: ListSort<CreditNoteSortColumn> = { column: "issued", direction: "desc" };
const ZCreditNoteFilters = z.object({ q: zQuery, patient: zId, cursor: zId });

/** /app/credit-notes?q=&patient=&sort=&dir=&cursor= */
export function readCreditNoteListParams(params: ListParams) {
  const { filters, sort, sortInput } = readListParams(params, ZCreditNoteFilters, CREDIT_NOTE_SORT_DIRECTIONS, CREDIT_NOTE_DEFAULT_SORT);
  return { filters, sort, input: { query: filters.q, patientId: filters.patient, ...sortInput } };
}

/** A sortable column header: where clicking it goes, and the column's current direction (null when the list is not sorted by it). */
export type SortHeader = { href: string; direction: SortDirection | null };

/**
 * The header links of a list: clicking the sorted column flips its direction, another column sorts
 * by it in its first-click direction. The filters stay, the page goes back to the first.
 */
export function sortHeaders<Column extends string>(options: {
  path: string;
  values: Record<string, string | undefined>;
  sort: ListSort<Column>;
  directions: Record<Column, SortDirection>;
  fallback: ListSort<Column>;
}): (column: Column) => SortHeader {
  return (column) => {
    const active = options.sort.column === column;
    const direction: SortDirection = active ? (options.sort.direction === "asc" ? "desc" : "asc") : options.directions[column];
    return {
      href: listHref(options.path, { ...options.values, cursor: undefined, ...sortValues({ column, direction }, options.fallback) }),
      direction: active ? options.sort.direction : null,
    };
  };
}

/**
 * A work queue's page cursor (the last row's id, from its nextCursor): one that is not a record id
 * (a hand-edited URL) starts from the first page rather than failing.
 */
export function readQueueCursor(params: Record<string, string | string[] | undefined>): string | undefined {
  const value = params.cursor;
  if (typeof value !== "string" || value.trim() === "") return undefined;
  const cursor = value.trim();
  return isRecordId(cursor) ? cursor : undefined;
}
