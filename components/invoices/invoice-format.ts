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

const dateFormat = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone: "UTC" });

/** "Mar 4, 2026" for "2026-03-04". Calendar dates carry no time zone, so they are read as UTC. */
export function formatIsoDate(value: string): string {
  return dateFormat.format(new Date(`${value}T00:00:00Z`));
}

/** The day of a moment in the clinic's time zone: "Mar 4, 2026". */
export function formatDate(value: string, timeZone: string): string {
  return new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone }).format(new Date(value));
}

/** A moment in the clinic's time zone: "Mar 4, 2026, 3:05 PM". */
export function formatDateTime(value: string, timeZone: string): string {
  return new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone }).format(new Date(value));
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
