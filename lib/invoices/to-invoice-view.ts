import type { Invoice, InvoiceLine } from "@/lib/db/generated/client";
import { toIsoDate, todayIn } from "./dates";
import type { InvoiceView } from "./invoices.types";

export function isOverdue(invoice: Pick<Invoice, "status" | "dueDate">, timeZone: string, now = new Date()): boolean {
  const dueDate = toIsoDate(invoice.dueDate);
  return (invoice.status === "open" || invoice.status === "partially_paid") && dueDate !== null && dueDate < todayIn(timeZone, now);
}

export function toInvoiceView(invoice: Invoice & { lines: InvoiceLine[] }, timeZone: string): InvoiceView {
  return {
    id: invoice.id,
    number: invoice.number,
    status: invoice.status,
    overdue: isOverdue(invoice, timeZone),
    patientId: invoice.patientId,
    currency: invoice.currency,
    terms: invoice.terms,
    dueDate: toIsoDate(invoice.dueDate),
    taxRate: invoice.taxRateMilliPercent / 1000,
    discount:
      invoice.discountType === "percent"
        ? { percent: invoice.discountValue / 1000 }
        : invoice.discountType === "amount"
          ? { amount: invoice.discountValue }
          : null,
    memo: invoice.memo,
    subtotal: invoice.subtotal,
    discountTotal: invoice.discountTotal,
    taxTotal: invoice.taxTotal,
    total: invoice.total,
    amountPaid: invoice.amountPaid,
    amountWrittenOff: invoice.amountWrittenOff,
    amountCredited: invoice.amountCredited,
    disputed: invoice.disputed,
    amountDue: invoice.amountDue,
    lines: [...invoice.lines]
      .sort((a, b) => a.position - b.position)
      .map((line) => ({
        id: line.id,
        position: line.position,
        description: line.description,
        serviceCode: line.serviceCode,
        quantity: line.quantity,
        unitAmount: line.unitAmount,
        taxExempt: line.taxExempt,
        amount: line.amount,
        discountAmount: line.discountAmount,
        taxAmount: line.taxAmount,
      })),
    finalizedAt: invoice.finalizedAt?.toISOString() ?? null,
    sentAt: invoice.sentAt?.toISOString() ?? null,
    voidedAt: invoice.voidedAt?.toISOString() ?? null,
    voidReason: invoice.voidReason,
    uncollectibleAt: invoice.uncollectibleAt?.toISOString() ?? null,
    uncollectibleReason: invoice.uncollectibleReason,
    createdAt: invoice.createdAt.toISOString(),
    updatedAt: invoice.updatedAt.toISOString(),
  };
}
