import { AppError } from "@/lib/errors";

// The invoice locks live with every other lock, in lib/db/locks.ts (the lock order).
export { lockInvoice, lockInvoiceRow } from "@/lib/db/locks";

const STATUS_WORDS: Record<string, string> = {
  draft: "is still a draft",
  open: "is open",
  partially_paid: "is partly paid",
  paid: "is already paid",
  void: "has been voided",
  uncollectible: "has been written off",
};

/** "Invoice INV-00012 is already paid" / "This invoice is still a draft": the start of a sentence for staff. */
export function describeInvoiceState(invoice: { status: string; number: string | null }): string {
  return `${invoice.number ? `Invoice ${invoice.number}` : "This invoice"} ${STATUS_WORDS[invoice.status] ?? `is ${invoice.status.replaceAll("_", " ")}`}`;
}

/** 409 unless the invoice is in one of the `allowed` states: "Invoice INV-00003 is already paid, so it cannot be voided." */
export function assertStatus<S extends string>(invoice: { status: string; number: string | null }, allowed: readonly S[], action: string): void {
  if (!allowed.includes(invoice.status as S)) {
    throw new AppError("CONFLICT", `${describeInvoiceState(invoice)}, so it cannot be ${action}.`);
  }
}
