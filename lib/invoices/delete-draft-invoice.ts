import type { Db } from "@/lib/db/client";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { AppError } from "@/lib/errors";
import { describeInvoiceState, lockInvoice } from "./lock-invoice";

/**
 * Deletes a draft that was never finalized: no number, and nothing attached to it (no payment or
 * payment attempt, allocation, pay link, email, credit note, credit application, refund,
 * dispute or journal line). A numbered invoice is never deleted, so invoice numbers stay gapless: it is voided
 * instead (409). Another organization's id is a 404. The audit log keeps what the draft held.
 */
export async function deleteDraftInvoice(
  db: Db,
  options: { organizationId: string; invoiceId: string; actor: AuditActor },
): Promise<{ id: string; patientId: string }> {
  return db.$transaction(async (tx) => {
    const invoice = await lockInvoice(tx, { id: options.invoiceId, organizationId: options.organizationId });
    if (invoice.status !== "draft" || invoice.number !== null) {
      throw new AppError("CONFLICT", `${describeInvoiceState(invoice)}, so it cannot be deleted. Void it instead.`);
    }
    const where = { invoiceId: invoice.id };
    const attached = await Promise.all([
      tx.payment.count({ where }),
      tx.paymentAllocation.count({ where }),
      tx.paymentLink.count({ where }),
      tx.email.count({ where }),
      tx.creditNote.count({ where }),
      tx.creditApplication.count({ where }),
      tx.refund.count({ where }),
      tx.dispute.count({ where }),
      tx.journalLine.count({ where }),
    ]);
    if (attached.some((count) => count > 0)) {
      throw new AppError("CONFLICT", "This draft has payments, links or emails on record, so it cannot be deleted.");
    }
    await tx.invoiceLine.deleteMany({ where });
    await tx.invoice.delete({ where: { id: invoice.id } });
    await recordAuditEvent(tx, {
      organizationId: options.organizationId,
      actor: options.actor,
      action: "invoice.draft_deleted",
      target: { type: "invoice", id: invoice.id },
      before: {
        patientId: invoice.patientId,
        currency: invoice.currency,
        total: invoice.total,
        memo: invoice.memo,
        lines: invoice.lines.map((line) => ({ description: line.description, quantity: line.quantity, unitAmount: line.unitAmount })),
      },
    });
    return { id: invoice.id, patientId: invoice.patientId };
  });
}
