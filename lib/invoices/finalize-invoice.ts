import type { Db } from "@/lib/db/client";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { AppError } from "@/lib/errors";
import { postJournal } from "@/lib/ledger/post-journal";
import { autoApplyPatientCredit } from "@/lib/patient-credit/apply-patient-credit";
import { addDays, fromIsoDate, todayIn, toIsoDate } from "./dates";
import { computeDraftTotals, storedContent } from "./draft-content";
import type { InvoiceView } from "./invoices.types";
import { assertStatus, lockInvoice } from "./lock-invoice";
import { nextNumber } from "./next-number";
import { toInvoiceView } from "./to-invoice-view";

const TERM_DAYS = { due_on_receipt: 0, net_15: 15, net_30: 30 } as const;

/**
 * Turns a draft into an open invoice, in one transaction: recomputes the totals, takes the next
 * number from the organization's counter (gapless and unique, INV-00001), sets the due date from
 * the terms, and posts the journal: debit accounts receivable (total), credit revenue
 * (subtotal), debit discounts (contra-revenue), credit sales tax payable. An invoice whose total
 * is zero is finalized straight to paid and posts nothing.
 */
export async function finalizeInvoice(
  db: Db,
  options: { organizationId: string; invoiceId: string; actor: AuditActor; now?: Date },
): Promise<InvoiceView> {
  return db.$transaction(async (tx) => {
    const invoice = await lockInvoice(tx, { id: options.invoiceId, organizationId: options.organizationId });
    assertStatus(invoice, ["draft"], "finalized");
    if (invoice.lines.length === 0) {
      throw new AppError("VALIDATION_FAILED", "Add at least one line before finalizing.", { fields: { lines: ["Add at least one line."] } });
    }
    const organization = await tx.organization.findUniqueOrThrow({ where: { id: options.organizationId }, select: { timezone: true, autoApplyCredit: true } });
    const totals = computeDraftTotals(storedContent(invoice));
    if (totals.total !== invoice.total) throw new Error(`invoice ${invoice.id}: stored total ${invoice.total} differs from recomputed ${totals.total}`);

    const now = options.now ?? new Date();
    const today = todayIn(organization.timezone, now);
    const dueDate = invoice.terms === "custom" ? toIsoDate(invoice.dueDate)! : addDays(today, TERM_DAYS[invoice.terms]);
    const number = await nextNumber(tx, { organizationId: options.organizationId, counter: "invoice", prefix: "INV" });

    // The locked row plus these changes is the finalized invoice: no read after the write.
    const changes = { number, status: totals.total === 0 ? ("paid" as const) : ("open" as const), dueDate: fromIsoDate(dueDate), finalizedAt: now, amountDue: totals.total, updatedAt: new Date() };
    await tx.invoice.updateMany({ where: { id: invoice.id }, data: changes });
    const finalized = { ...invoice, ...changes };
    await postJournal(tx, {
      organizationId: options.organizationId,
      currency: invoice.currency,
      kind: "invoice.finalized",
      memo: `Invoice ${number}`,
      source: { type: "invoice", id: invoice.id },
      occurredAt: now,
      lines: [
        { account: "accountsReceivable", amount: totals.total, invoiceId: invoice.id },
        { account: "revenue", amount: -totals.subtotal },
        { account: "discounts", amount: totals.discountTotal },
        { account: "salesTaxPayable", amount: -totals.taxTotal },
      ],
    });
    await recordAuditEvent(tx, {
      organizationId: options.organizationId,
      actor: options.actor,
      action: "invoice.finalized",
      target: { type: "invoice", id: invoice.id },
      after: { number, total: totals.total, dueDate },
    });
    // When the clinic turned it on, the patient's credit pays what it can of the new invoice.
    const credited = await autoApplyPatientCredit(tx, { organizationId: options.organizationId, invoiceId: invoice.id, actor: options.actor, autoApplyCredit: organization.autoApplyCredit });
    return toInvoiceView(credited ?? finalized, organization.timezone);
  });
}
