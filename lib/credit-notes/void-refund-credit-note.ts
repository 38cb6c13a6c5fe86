import type { Tx } from "@/lib/db/client";
import type { AuditActor } from "@/lib/audit/record-audit-event";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { reverseJournal } from "@/lib/ledger/post-journal";

/**
 * Voids the credit note of a refund that failed or was refused, inside the transaction that
 * restores the refund's books: reverses its `credit_note.issued` journal (the patient credit it
 * made goes away again) and marks it void. A `refund` credit note never changed the invoice's
 * fields, so nothing else moves. Does nothing when it is already void.
 */
export async function voidRefundCreditNote(tx: Tx, options: { creditNoteId: string; actor: AuditActor; memo: string }): Promise<void> {
  const creditNote = await tx.creditNote.findUniqueOrThrow({ where: { id: options.creditNoteId } });
  if (creditNote.status === "void") return;
  if (creditNote.disposition !== "refund") throw new Error(`credit note ${creditNote.id} is not a refund's credit note`);
  const journal = await tx.journalEntry.findFirst({
    where: { sourceType: "credit_note", sourceId: creditNote.id, kind: "credit_note.issued", reversedBy: null },
    select: { id: true },
  });
  if (journal) await reverseJournal(tx, { journalEntryId: journal.id, kind: "credit_note.voided", memo: `Void ${creditNote.number}: ${options.memo}` });
  await tx.creditNote.update({ where: { id: creditNote.id }, data: { status: "void", voidedAt: new Date() } });
  await recordAuditEvent(tx, {
    organizationId: creditNote.organizationId,
    actor: options.actor,
    action: "credit_note.voided",
    target: { type: "credit_note", id: creditNote.id },
    before: { status: "issued" },
    after: { status: "void", number: creditNote.number },
  });
}
