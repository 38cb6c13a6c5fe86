import { nextNumber } from "@/lib/db/locks";
import type { Tx } from "@/lib/db/client";
import type { Sql } from "@/lib/db/sql";

/**
 * The number printed on a payment's receipt (page, PDF, email, payment page): its place in the
 * organization's gapless receipt sequence, RCT-00001, given when the payment was recorded as
 * succeeded. A payment without one (never succeeded) falls back to its id's first 8 characters.
 */
export function receiptNumber(payment: { id: string; receiptNumber: string | null }): string {
  return payment.receiptNumber ?? payment.id.slice(0, 8).toUpperCase();
}

/**
 * Takes the organization's next receipt number, inside the transaction that records the payment as
 * succeeded. It advances the organization's "receipt" counter: take it after every other lock
 * (lib/db/locks.ts: the counter comes last), and as late as possible.
 */
export function nextReceiptNumber(tx: Tx | Sql, organizationId: string): Promise<string> {
  return nextNumber(tx, { organizationId, counter: "receipt", prefix: "RCT" });
}
