import type { Db } from "@/lib/db/client";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { AppError } from "@/lib/errors";
import { postJournal } from "@/lib/ledger/post-journal";
import type { InvoiceView } from "./invoices.types";
import { assertStatus } from "./lock-invoice";
import { runInvoiceAction } from "./invoice-action";
import { changeInvoiceBalance } from "./change-invoice-balance";
import { ZReasonInput } from "./void-invoice";

/**
 * Undoes a write-off when the balance turns out to be collectible after all: posts
 * "invoice.write_off_reversed" (debit accounts receivable for the invoice, credit bad debt) for
 * everything written off, which becomes due again; the invoice is open again, or partly paid
 * when it had payments. One transaction with its audit event; a second reopen is a 409.
 */
export async function reopenWrittenOffInvoice(
  db: Db,
  options: { organizationId: string; invoiceId: string; actor: AuditActor; input: { reason: string } },
): Promise<InvoiceView> {
  const { reason } = ZReasonInput.parse(options.input);
  return runInvoiceAction(db, options, async (tx, invoice) => {
    assertStatus(invoice, ["uncollectible"], "reopened (only written-off invoices can be)");
    const writtenOff = invoice.amountWrittenOff;
    if (writtenOff <= 0) throw new AppError("CONFLICT", `${invoice.number} has nothing written off to reopen.`);
    await postJournal(tx, {
      organizationId: options.organizationId,
      currency: invoice.currency,
      kind: "invoice.write_off_reversed",
      memo: `Write-off of ${invoice.number} reversed: ${reason}`,
      source: { type: "invoice", id: invoice.id },
      lines: [
        { account: "accountsReceivable", amount: writtenOff, invoiceId: invoice.id },
        { account: "badDebt", amount: -writtenOff },
      ],
    });
    const updated = { ...invoice, ...(await changeInvoiceBalance(tx, invoice, { kind: "reverse_write_off" })) };
    const { status } = updated;
    await recordAuditEvent(tx, {
      organizationId: options.organizationId,
      actor: options.actor,
      action: "invoice.write_off_reversed",
      target: { type: "invoice", id: invoice.id },
      before: { status: invoice.status, amountDue: invoice.amountDue, writtenOff, writeOffReason: invoice.uncollectibleReason },
      after: { status, amountDue: updated.amountDue, reason },
    });
    return updated;
  });
}
