import type { Db } from "@/lib/db/client";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { AppError } from "@/lib/errors";
import { fromIsoDate } from "./dates";
import { computeDraftTotals, discountColumns, lineRows } from "./draft-content";
import { ZCreateInvoiceInput, type InvoiceView, type TCreateInvoiceInput } from "./invoices.types";
import { toInvoiceView } from "./to-invoice-view";

/**
 * Creates a draft invoice for a patient of this organization, in the organization's currency
 * unless another is given. Totals are computed here from the lines.
 */
export async function createInvoice(
  db: Db,
  options: { organizationId: string; actor: AuditActor; input: TCreateInvoiceInput },
): Promise<InvoiceView> {
  const input = ZCreateInvoiceInput.parse(options.input);
  const terms = input.dueDate ? "custom" : (input.terms ?? "due_on_receipt");
  if (terms === "custom" && !input.dueDate) {
    throw new AppError("VALIDATION_FAILED", "Custom terms need a due date.", { fields: { dueDate: ["Choose a due date."] } });
  }
  const content = { lines: input.lines, taxRateMilliPercent: Math.round((input.taxRate ?? 0) * 1000), discount: input.discount ?? null };
  const totals = computeDraftTotals(content);

  return db.$transaction(async (tx) => {
    const patient = await tx.patient.findFirst({ where: { id: input.patientId, organizationId: options.organizationId } });
    if (!patient) {
      throw new AppError("VALIDATION_FAILED", "That patient does not exist.", { fields: { patientId: ["Unknown patient."] } });
    }
    if (patient.archivedAt) {
      throw new AppError("CONFLICT", "This patient is archived. Restore them before billing.", { fields: { patientId: ["The patient is archived."] } });
    }
    const organization = await tx.organization.findUniqueOrThrow({ where: { id: options.organizationId }, select: { currency: true, timezone: true } });
    const invoice = await tx.invoice.create({
      data: {
        organizationId: options.organizationId,
        patientId: patient.id,
        currency: input.currency ?? organization.currency,
        terms,
        dueDate: input.dueDate ? fromIsoDate(input.dueDate) : null,
        taxRateMilliPercent: content.taxRateMilliPercent,
        ...discountColumns(content.discount),
        memo: input.memo ?? null,
        subtotal: totals.subtotal,
        discountTotal: totals.discountTotal,
        taxTotal: totals.taxTotal,
        total: totals.total,
        lines: { create: lineRows(content, totals) },
      },
      include: { lines: true },
    });
    await recordAuditEvent(tx, {
      organizationId: options.organizationId,
      actor: options.actor,
      action: "invoice.created",
      target: { type: "invoice", id: invoice.id },
      after: { patientId: patient.id, currency: invoice.currency, total: invoice.total, lines: invoice.lines.length },
    });
    return toInvoiceView(invoice, organization.timezone);
  });
}
