import type Stripe from "stripe";
import type { Db, Tx } from "@/lib/db/client";
import { cancelUnneededAttemptsAfterCommit } from "@/lib/payments/cancel-unneeded-payment-attempts";
import type { InvoiceView } from "./invoices.types";
import { lockInvoice } from "./lock-invoice";
import { toInvoiceView } from "./to-invoice-view";

type LockedInvoice = Awaited<ReturnType<typeof lockInvoice>>;

/**
 * The frame of a staff action on one invoice (void, write off, reopen): one transaction that locks
 * the invoice, runs `change` on it (checks, journals, the balance change, the audit event) and
 * answers with the invoice as the API shows it; then, once committed, cancels at Stripe the card
 * attempts the change made unwanted.
 */
export async function runInvoiceAction(
  db: Db,
  options: { organizationId: string; invoiceId: string; stripe?: Stripe },
  change: (tx: Tx, invoice: LockedInvoice) => Promise<LockedInvoice>,
): Promise<InvoiceView> {
  const result = await db.$transaction(async (tx) => {
    const invoice = await lockInvoice(tx, { id: options.invoiceId, organizationId: options.organizationId });
    const changed = await change(tx, invoice);
    const organization = await tx.organization.findUniqueOrThrow({ where: { id: options.organizationId }, select: { timezone: true } });
    return toInvoiceView(changed, organization.timezone);
  });
  await cancelUnneededAttemptsAfterCommit(db, { organizationId: options.organizationId, invoiceIds: [options.invoiceId], stripe: options.stripe });
  return result;
}
