import type Stripe from "stripe";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { AppError } from "@/lib/errors";
import { reverseJournal } from "@/lib/ledger/post-journal";
import type { InvoiceView } from "./invoices.types";
import { assertStatus } from "./lock-invoice";
import { runInvoiceAction } from "./invoice-action";
import { changeInvoiceBalance } from "./change-invoice-balance";
import { IN_FLIGHT_STATUSES } from "@/lib/payments/payment-status";
import { zMultilineText } from "@/lib/validation/fields";

export const ZReasonInput = z.object({
  reason: zMultilineText().min(3, "Give a reason (at least 3 characters).").max(500, "Keep the reason under 500 characters."),
});

/**
 * Voids an open invoice that has no payments: posts the reversing journal of its finalization,
 * so its receivable, revenue and tax go back to zero. Credit notes that reduced its balance are
 * voided with it (their journals reversed), since the whole invoice is cancelled. An invoice
 * with payments must have them refunded first (409). Drafts are simply edited; they have no
 * journal to reverse. `now` dates the journals (the current time by default; the demo clinic's
 * history passes its story's).
 */
export async function voidInvoice(
  db: Db,
  options: { organizationId: string; invoiceId: string; actor: AuditActor; input: { reason: string }; stripe?: Stripe; now?: Date },
): Promise<InvoiceView> {
  const { reason } = ZReasonInput.parse(options.input);
  return runInvoiceAction(db, options, async (tx, invoice) => {
    assertStatus(invoice, ["open"], "voided");
    if (invoice.amountPaid > 0) throw new AppError("CONFLICT", `${invoice.number} has payments; refund them before voiding.`);
    const inFlight = await tx.payment.count({ where: { invoiceId: invoice.id, status: { in: [...IN_FLIGHT_STATUSES] } } });
    if (inFlight > 0) {
      throw new AppError(
        "CONFLICT",
        `${invoice.number} has a card payment in progress or an authorization awaiting capture; release or finish it before voiding.`,
      );
    }
    const paidPartCredits = await tx.creditNote.count({
      where: { invoiceId: invoice.id, status: "issued", disposition: { in: ["patient_credit", "refund"] } },
    });
    if (paidPartCredits > 0) throw new AppError("CONFLICT", `${invoice.number} has credit notes on money already paid; it cannot be voided.`);
    const journal = await tx.journalEntry.findFirst({
      where: { sourceType: "invoice", sourceId: invoice.id, kind: "invoice.finalized", reversedBy: null },
      select: { id: true },
    });
    if (journal)
      await reverseJournal(tx, { journalEntryId: journal.id, kind: "invoice.voided", memo: `Void ${invoice.number}: ${reason}`, occurredAt: options.now });
    const creditNotes = await tx.creditNote.findMany({
      where: { invoiceId: invoice.id, status: "issued", disposition: "reduce_balance" },
      select: { id: true, number: true },
    });
    for (const creditNote of creditNotes) {
      const issued = await tx.journalEntry.findFirst({
        where: { sourceType: "credit_note", sourceId: creditNote.id, kind: "credit_note.issued", reversedBy: null },
        select: { id: true },
      });
      if (issued)
        await reverseJournal(tx, {
          journalEntryId: issued.id,
          kind: "credit_note.voided",
          memo: `Void ${creditNote.number} with ${invoice.number}: ${reason}`,
          occurredAt: options.now,
        });
      await tx.creditNote.update({ where: { id: creditNote.id }, data: { status: "void", voidedAt: new Date() } });
    }
    const voided = { ...invoice, ...(await changeInvoiceBalance(tx, invoice, { kind: "void", reason, at: options.now ?? new Date() })) };
    await recordAuditEvent(tx, {
      organizationId: options.organizationId,
      actor: options.actor,
      action: "invoice.voided",
      target: { type: "invoice", id: invoice.id },
      before: { status: invoice.status, amountDue: invoice.amountDue },
      after: { status: "void", reason, voidedCreditNotes: creditNotes.map((creditNote) => creditNote.number) },
    });
    return voided;
  });
}
