import { AppError } from "@/lib/errors";
import { MAX_AMOUNT } from "@/lib/money/currency";
import { computeInvoiceTotals, type DiscountInput, type InvoiceTotals } from "@/lib/money/invoice-totals";
import type { z } from "zod";
import type { ZDiscountInput, ZInvoiceLineInput } from "./invoices.types";

export type DraftContent = {
  lines: z.infer<typeof ZInvoiceLineInput>[];
  taxRateMilliPercent: number;
  discount: z.infer<typeof ZDiscountInput> | null;
};

export function toDiscountInput(discount: DraftContent["discount"]): DiscountInput {
  if (!discount) return { type: "none" };
  if ("percent" in discount) return { type: "percent", milliPercent: Math.round(discount.percent * 1000) };
  return { type: "amount", amount: discount.amount };
}

/** The discount as stored on an invoice row, in the input shape. */
export function storedDiscount(invoice: { discountType: string; discountValue: number }): DraftContent["discount"] {
  if (invoice.discountType === "percent") return { percent: invoice.discountValue / 1000 };
  if (invoice.discountType === "amount") return { amount: invoice.discountValue };
  return null;
}

/** A stored invoice's content, lines in order, ready to recompute. */
export function storedContent(invoice: {
  discountType: string;
  discountValue: number;
  taxRateMilliPercent: number;
  lines: { position: number; description: string; serviceCode: string | null; quantity: number; unitAmount: number; taxExempt: boolean }[];
}): DraftContent {
  return {
    lines: [...invoice.lines]
      .sort((a, b) => a.position - b.position)
      .map((line) => ({
        description: line.description,
        serviceCode: line.serviceCode,
        quantity: line.quantity,
        unitAmount: line.unitAmount,
        taxExempt: line.taxExempt,
      })),
    taxRateMilliPercent: invoice.taxRateMilliPercent,
    discount: storedDiscount(invoice),
  };
}

export function discountColumns(discount: DraftContent["discount"]) {
  const input = toDiscountInput(discount);
  return input.type === "percent"
    ? { discountType: "percent" as const, discountValue: input.milliPercent }
    : input.type === "amount"
      ? { discountType: "amount" as const, discountValue: input.amount }
      : { discountType: "none" as const, discountValue: 0 };
}

/**
 * Recomputes a draft's totals from its content (the server never trusts totals from a client)
 * and refuses anything above the product's limit with a field message.
 */
export function computeDraftTotals(content: DraftContent): InvoiceTotals {
  const tooLarge = content.lines.findIndex((line) => line.quantity * line.unitAmount > MAX_AMOUNT);
  if (tooLarge >= 0) {
    throw new AppError("VALIDATION_FAILED", "A line's amount is too large.", {
      fields: { [`lines.${tooLarge}.unitAmount`]: [`quantity × unit amount cannot exceed ${MAX_AMOUNT.toLocaleString("en-US")} minor units.`] },
    });
  }
  const totals = computeInvoiceTotals({
    lines: content.lines.map((line) => ({ quantity: line.quantity, unitAmount: line.unitAmount, taxExempt: line.taxExempt ?? false })),
    taxRateMilliPercent: content.taxRateMilliPercent,
    discount: toDiscountInput(content.discount),
  });
  if (totals.subtotal > MAX_AMOUNT || totals.total > MAX_AMOUNT) {
    throw new AppError("VALIDATION_FAILED", "The invoice total is too large.", {
      fields: { lines: [`The invoice total cannot exceed ${MAX_AMOUNT.toLocaleString("en-US")} minor units.`] },
    });
  }
  return totals;
}

export function lineRows(content: DraftContent, totals: InvoiceTotals) {
  return content.lines.map((line, index) => ({
    position: index + 1,
    description: line.description,
    serviceCode: line.serviceCode ?? null,
    quantity: line.quantity,
    unitAmount: line.unitAmount,
    taxExempt: line.taxExempt ?? false,
    amount: totals.lines[index]!.amount,
    discountAmount: totals.lines[index]!.discountAmount,
    taxAmount: totals.lines[index]!.taxAmount,
  }));
}
