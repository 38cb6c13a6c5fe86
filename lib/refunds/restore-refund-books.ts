import type { Tx } from "@/lib/db/client";
import type { Refund } from "@/lib/db/generated/client";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { voidRefundCreditNote } from "@/lib/credit-notes/void-refund-credit-note";
import { postJournal, reverseJournal } from "@/lib/ledger/post-journal";
import { changeInvoiceBalance } from "@/lib/invoices/change-invoice-balance";
import { lockInvoice, lockPaymentRow } from "@/lib/db/locks";
import { sql, sqlOf } from "@/lib/db/sql";

/**
 * Undoes what requesting a refund booked, because Stripe refused it (`canceled`) or the refund
 * later failed (`failed`): nothing reached the patient, so the money is back in Stripe clearing,
 * the payment's reservation is released, the refund's credit note is voided, and a reopened
 * invoice balance is settled again. Runs inside the caller's transaction with the refund row
 * locked and still `pending` or `succeeded` (callers check), so it happens once.
 *
 * Journal: the exact reversal of `refund.requested` (debit Stripe clearing, credit patient credit
 * and/or accounts receivable), except when a reopened invoice no longer owes the whole refunded
 * part (paid again, written off): then what it no longer owes becomes patient credit.
 */
export async function restoreRefundBooks(
  tx: Tx,
  options: { refund: Refund; status: "failed" | "canceled"; failureReason: string | null; actor: AuditActor },
): Promise<void> {
  const { refund } = options;
  await lockPaymentRow(tx, { id: refund.paymentId, organizationId: refund.organizationId });
  // A prepayment's refund gave back credit only: no invoice to lock or settle again.
  const invoice = refund.invoiceId ? await lockInvoice(tx, { id: refund.invoiceId, organizationId: refund.organizationId }) : null;
  const label = invoice?.number ?? "the prepayment";
  const memo = `Refund ${options.status === "failed" ? "failed" : "refused by Stripe"}`;
  const journal = await tx.journalEntry.findFirst({
    where: { sourceType: "refund", sourceId: refund.id, kind: "refund.requested", reversedBy: null },
    select: { id: true },
  });
  const invoicePart = refund.amount - refund.fromCredit;
  let backToInvoice = 0;
  if (invoice && refund.mode === "reopen_balance" && invoicePart > 0) {
    const owing = invoice.status === "open" || invoice.status === "partially_paid";
    backToInvoice = owing ? Math.min(invoicePart, invoice.amountDue) : 0;
  }
  const toCredit = refund.mode === "reopen_balance" ? invoicePart - backToInvoice : 0;

  if (journal && toCredit === 0) {
    await reverseJournal(tx, { journalEntryId: journal.id, kind: "refund.failed", memo: `${memo} for ${label}` });
  } else if (journal) {
    await postJournal(tx, {
      organizationId: refund.organizationId,
      currency: refund.currency,
      kind: "refund.failed",
      memo: `${memo} for ${label}; what the invoice no longer owes is patient credit`,
      source: { type: "refund", id: refund.id },
      lines: [
        { account: "stripeClearing", amount: refund.amount },
        ...(invoice ? [{ account: "accountsReceivable" as const, amount: -backToInvoice, invoiceId: invoice.id }] : []),
        { account: "patientCredit", amount: -(refund.fromCredit + toCredit), patientId: refund.patientId },
      ],
    });
  }
  if (invoice && backToInvoice > 0) {
    await changeInvoiceBalance(tx, invoice, { kind: "pay", amount: backToInvoice });
  }
  if (refund.creditNoteId) await voidRefundCreditNote(tx, { creditNoteId: refund.creditNoteId, actor: options.actor, memo });
  await sqlOf(tx).write(
    sql`UPDATE payments SET amount_refunded = amount_refunded - ${refund.amount}::int, updated_at = now() WHERE id = ${refund.paymentId}::uuid`,
  );
  await tx.refund.update({
    where: { id: refund.id },
    data: { status: options.status, failureReason: options.failureReason?.slice(0, 200) ?? null, failedAt: new Date() },
  });
  await recordAuditEvent(tx, {
    organizationId: refund.organizationId,
    actor: options.actor,
    action: options.status === "failed" ? "refund.failed" : "refund.canceled",
    target: { type: "refund", id: refund.id },
    before: { status: refund.status },
    after: { status: options.status, failureReason: options.failureReason, paymentId: refund.paymentId, amount: refund.amount },
  });
}
