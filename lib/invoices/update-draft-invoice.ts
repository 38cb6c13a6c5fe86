import type { Db } from "@/lib/db/client";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { AppError } from "@/lib/errors";
import { fromIsoDate, toIsoDate } from "./dates";
import { computeDraftTotals, discountColumns, lineRows, storedContent, type DraftContent } from "./draft-content";
import { ZUpdateInvoiceInput, type InvoiceView, type TUpdateInvoiceInput } from "./invoices.types";
import { assertStatus, lockInvoice } from "./lock-invoice";
import { toInvoiceView } from "./to-invoice-view";

/**
 * Changes a draft. Fields left out keep their value; `lines`, when given, replaces all lines
 * (in the given order). Finalized invoices cannot be edited (409): correct them with a credit
 * note or void them.
 */
export async function updateDraftInvoice(
  db: Db,
  options: { organizationId: string; invoiceId: string; actor: AuditActor; input: TUpdateInvoiceInput },
): Promise<InvoiceView> {
  const input = ZUpdateInvoiceInput.parse(options.input);
  return db.$transaction(async (tx) => {
    const invoice = await lockInvoice(tx, { id: options.invoiceId, organizationId: options.organizationId });
    assertStatus(invoice, ["draft"], "edited");

    const stored = storedContent(invoice);
    const content: DraftContent = {
      lines: input.lines ?? stored.lines,
      taxRateMilliPercent: input.taxRate === undefined ? stored.taxRateMilliPercent : Math.round(input.taxRate * 1000),
      discount: input.discount !== undefined ? input.discount : stored.discount,
    };
    const totals = computeDraftTotals(content);

    const dueDate = input.dueDate !== undefined ? input.dueDate : toIsoDate(invoice.dueDate);
    const terms = input.dueDate ? "custom" : (input.terms ?? invoice.terms);
    if (terms === "custom" && !dueDate) {
      throw new AppError("VALIDATION_FAILED", "Custom terms need a due date.", { fields: { dueDate: ["Choose a due date."] } });
    }

    const discount = discountColumns(content.discount);
    if (input.lines) await tx.invoiceLine.deleteMany({ where: { invoiceId: invoice.id } });
    const updated = await tx.invoice.update({
      where: { id: invoice.id },
      data: {
        currency: input.currency ?? invoice.currency,
        terms,
        dueDate: terms === "custom" && dueDate ? fromIsoDate(dueDate) : null,
        taxRateMilliPercent: content.taxRateMilliPercent,
        discountType: discount.discountType,
        discountValue: discount.discountValue,
        memo: input.memo !== undefined ? input.memo : invoice.memo,
        subtotal: totals.subtotal,
        discountTotal: totals.discountTotal,
        taxTotal: totals.taxTotal,
        total: totals.total,
        ...(input.lines ? { lines: { create: lineRows(content, totals) } } : {}),
      },
      include: { lines: true },
    });
    if (!input.lines) {
      // Totals may have moved with the tax rate or discount: keep each line's stored parts in step.
      const rows = lineRows(content, totals);
      const ordered = [...updated.lines].sort((a, b) => a.position - b.position);
      await Promise.all(
        ordered.map((line, index) =>
          tx.invoiceLine.update({ where: { id: line.id }, data: { discountAmount: rows[index]!.discountAmount, taxAmount: rows[index]!.taxAmount } }),
        ),
      );
    }
    await recordAuditEvent(tx, {
      organizationId: options.organizationId,
      actor: options.actor,
      action: "invoice.updated",
      target: { type: "invoice", id: invoice.id },
      before: { total: invoice.total, lines: invoice.lines.length },
      after: { total: updated.total, lines: input.lines?.length ?? invoice.lines.length },
    });
    const organization = await tx.organization.findUniqueOrThrow({ where: { id: options.organizationId }, select: { timezone: true } });
    const fresh = await tx.invoice.findUniqueOrThrow({ where: { id: invoice.id }, include: { lines: true } });
    return toInvoiceView(fresh, organization.timezone);
  });
}
