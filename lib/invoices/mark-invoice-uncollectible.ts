import type Stripe from "stripe";
import type { Db } from "@/lib/db/client";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { postJournal } from "@/lib/ledger/post-journal";
import type { InvoiceView } from "./invoices.types";
import { assertStatus } from "./lock-invoice";
import { runInvoiceAction } from "./invoice-action";
import { changeInvoiceBalance } from "./change-invoice-balance";
import { ZReasonInput } from "./void-invoice";

/**
 * Writes off what is left of an open or partly paid invoice: debit bad debt, credit accounts
 * receivable for the amount due, which moves to `amountWrittenOff`. `now` dates the journal (the
 * current time by default).
 */
export async function markInvoiceUncollectible(
  db: Db,
  options: { organizationId: string; invoiceId: string; actor: AuditActor; input: { reason: string }; stripe?: Stripe; now?: Date },
): Promise<InvoiceView> {
  const { reason } = ZReasonInput.parse(options.input);
  return runInvoiceAction(db, options, async (tx, invoice) => {
    assertStatus(invoice, ["open", "partially_paid"], "marked uncollectible");
    await postJournal(tx, {
      organizationId: options.organizationId,
      currency: invoice.currency,
      kind: "invoice.written_off",
      memo: `Write-off ${invoice.number}: ${reason}`,
      source: { type: "invoice", id: invoice.id },
      occurredAt: options.now,
      lines: [
        { account: "badDebt", amount: invoice.amountDue },
        { account: "accountsReceivable", amount: -invoice.amountDue, invoiceId: invoice.id },
      ],
    });
    const updated = { ...invoice, ...(await changeInvoiceBalance(tx, invoice, { kind: "write_off", reason, at: options.now ?? new Date() })) };
    await recordAuditEvent(tx, {
      organizationId: options.organizationId,
      actor: options.actor,
      action: "invoice.marked_uncollectible",
      target: { type: "invoice", id: invoice.id },
      before: { status: invoice.status, amountDue: invoice.amountDue },
      after: { status: "uncollectible", writtenOff: invoice.amountDue, reason },
    });
    return updated;
  });
}
