import { formatCalendarDate, formatDateTime as formatClinicDateTime, formatDay } from "@/lib/dates/format-date";
import type { InvoiceStatus, InvoiceView } from "@/lib/invoices/invoices.types";

export const STATUS_LABELS: Record<InvoiceStatus, string> = {
  draft: "Draft",
  open: "Open",
  partially_paid: "Partially paid",
  paid: "Paid",
  void: "Void",
  uncollectible: "Uncollectible",
};

export const TERMS_LABELS: Record<InvoiceView["terms"], string> = {
  due_on_receipt: "Due on receipt",
  net_15: "Net 15",
  net_30: "Net 30",
  custom: "Custom date",
};

/** "Mar 4, 2026" for "2026-03-04": a calendar date, never moved by a time zone. */
export function formatIsoDate(value: string): string {
  return formatCalendarDate(value);
}

/** The day of a moment in the clinic's time zone: "Mar 4, 2026". */
export function formatDate(value: string, timeZone: string): string {
  return formatDay(value, { timeZone });
}

/** A moment in the clinic's time zone: "Mar 4, 2026, 3:05 PM". */
export function formatDateTime(value: string, timeZone: string): string {
  return formatClinicDateTime(value, { timeZone });
}

/** The invoice's name for people: its number once finalized, "Draft" before. */
export function invoiceTitle(invoice: Pick<InvoiceView, "number">): string {
  return invoice.number ?? "Draft";
}

/** Every currency an invoice may use, with its English name for the picker. */
export function currencyOptions(codes: readonly string[]): { code: string; name: string }[] {
  const names = new Intl.DisplayNames(["en"], { type: "currency" });
  return [...codes].sort().map((code) => ({ code, name: names.of(code) ?? code }));
}
