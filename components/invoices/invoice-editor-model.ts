import type { InvoiceView, TCreateInvoiceInput, TUpdateInvoiceInput } from "@/lib/invoices/invoices.types";
import { minorUnitDigits, parseMoneyInput, toDecimalString } from "@/lib/money/currency";
import { computeInvoiceTotals, PERCENT_SCALE, type DiscountInput, type InvoiceTotals } from "@/lib/money/invoice-totals";

/**
 * The draft editor's form model: what staff type (strings), how it parses into the domain's
 * input (integers in minor units and thousandths of a percent, never floats for money), and the
 * live totals, computed with the same function the server uses when it saves.
 */

export type Terms = InvoiceView["terms"];
export type DiscountKind = "none" | "percent" | "amount";

export type LineDraft = { key: string; description: string; serviceCode: string; quantity: string; unitPrice: string; taxExempt: boolean };

export type EditorValues = {
  currency: string;
  terms: Terms;
  dueDate: string;
  taxRate: string;
  discountKind: DiscountKind;
  discountValue: string;
  memo: string;
  lines: LineDraft[];
};

export type LineField = "description" | "serviceCode" | "quantity" | "unitPrice";

/** Error keys follow lines by key, not position, so a message stays with its line when lines move. */
export function lineErrorKey(lineKey: string, field: LineField): string {
  return `line:${lineKey}.${field}`;
}

/** "8.25" → 8250 thousandths of a percent; null unless 0–100 with at most three decimals. */
export function parsePercentInput(text: string): number | null {
  const match = /^(\d{1,3})(?:\.(\d{0,3}))?$/.exec(text.trim().replace(/%$/, "").trim());
  if (!match) return null;
  const value = Number(match[1]) * 1000 + Number((match[2] ?? "").padEnd(3, "0"));
  return value <= PERCENT_SCALE ? value : null;
}

/** A whole, positive quantity ("2" → 2); null otherwise. */
export function parseQuantityInput(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d{1,6}$/.test(trimmed)) return null;
  const quantity = Number(trimmed);
  return quantity >= 1 ? quantity : null;
}

/** An example amount in the currency's own format: "120.00" for USD, "120" for JPY. */
export function exampleAmount(currency: string): string {
  return toDecimalString(120 * 10 ** minorUnitDigits(currency), currency);
}

export function moneyMessage(currency: string): string {
  return `Enter an amount like ${exampleAmount(currency)}.`;
}

const PERCENT_MESSAGE = "Enter a percentage from 0 to 100, e.g. 8.25.";
const QUANTITY_MESSAGE = "Enter a whole number, e.g. 1.";

/** Messages for what is typed but cannot be read, shown while staff type (empty fields are left alone). */
export function liveErrors(values: EditorValues): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const line of values.lines) {
    if (line.quantity.trim() && parseQuantityInput(line.quantity) === null) errors[lineErrorKey(line.key, "quantity")] = QUANTITY_MESSAGE;
    if (line.unitPrice.trim() && parseMoneyInput(line.unitPrice, values.currency) === null) {
      errors[lineErrorKey(line.key, "unitPrice")] = moneyMessage(values.currency);
    }
  }
  if (values.taxRate.trim() && parsePercentInput(values.taxRate) === null) errors.taxRate = PERCENT_MESSAGE;
  if (values.discountKind !== "none" && values.discountValue.trim() && discountInput(values) === null) {
    errors.discount = values.discountKind === "percent" ? PERCENT_MESSAGE : moneyMessage(values.currency);
  }
  return errors;
}

function discountInput(values: EditorValues): DiscountInput | null {
  if (values.discountKind === "none" || !values.discountValue.trim()) return { type: "none" };
  if (values.discountKind === "percent") {
    const milliPercent = parsePercentInput(values.discountValue);
    return milliPercent === null ? null : { type: "percent", milliPercent };
  }
  const amount = parseMoneyInput(values.discountValue, values.currency);
  return amount === null ? null : { type: "amount", amount };
}

/** Live totals; what cannot be read yet counts as zero until it is fixed. */
export function liveTotals(values: EditorValues): InvoiceTotals {
  return computeInvoiceTotals({
    lines: values.lines.map((line) => ({
      quantity: parseQuantityInput(line.quantity) ?? 0,
      unitAmount: parseMoneyInput(line.unitPrice, values.currency) ?? 0,
      taxExempt: line.taxExempt,
    })),
    taxRateMilliPercent: parsePercentInput(values.taxRate) ?? 0,
    discount: discountInput(values) ?? { type: "none" },
  });
}

export type DraftInput = Omit<TCreateInvoiceInput, "patientId"> & TUpdateInvoiceInput;

/** The domain input, or the messages that keep it from being sent. */
export function toDraftInput(values: EditorValues): { ok: true; input: DraftInput } | { ok: false; errors: Record<string, string> } {
  const errors = liveErrors(values);
  const lines = values.lines.map((line) => {
    if (!line.description.trim()) errors[lineErrorKey(line.key, "description")] = "Describe the service.";
    if (!line.quantity.trim()) errors[lineErrorKey(line.key, "quantity")] = QUANTITY_MESSAGE;
    if (!line.unitPrice.trim()) errors[lineErrorKey(line.key, "unitPrice")] = moneyMessage(values.currency);
    return {
      description: line.description,
      serviceCode: line.serviceCode,
      quantity: parseQuantityInput(line.quantity) ?? 0,
      unitAmount: parseMoneyInput(line.unitPrice, values.currency) ?? 0,
      taxExempt: line.taxExempt,
    };
  });
  if (values.terms === "custom" && !values.dueDate) errors.dueDate = "Choose a due date.";
  if (values.discountKind !== "none" && !values.discountValue.trim()) {
    errors.discount = values.discountKind === "percent" ? PERCENT_MESSAGE : moneyMessage(values.currency);
  }
  const discount = discountInput(values);
  if (Object.keys(errors).length > 0 || discount === null) return { ok: false, errors };
  return {
    ok: true,
    input: {
      currency: values.currency,
      terms: values.terms,
      dueDate: values.terms === "custom" ? values.dueDate : null,
      taxRate: (parsePercentInput(values.taxRate) ?? 0) / 1000,
      discount: discount.type === "percent" ? { percent: discount.milliPercent / 1000 } : discount.type === "amount" ? { amount: discount.amount } : null,
      memo: values.memo,
      lines,
    },
  };
}

/**
 * Server field paths ("lines.2.unitAmount", "discount.percent") → the editor's error keys, using
 * the lines as they were when the draft was sent.
 */
export function toEditorErrors(fields: Record<string, string[]>, sentLines: LineDraft[]): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const [path, messages] of Object.entries(fields)) {
    const message = messages[0];
    if (!message) continue;
    const lineMatch = /^lines\.(\d+)\.(\w+)/.exec(path);
    const line = lineMatch ? sentLines[Number(lineMatch[1])] : undefined;
    if (lineMatch && line) {
      const field = lineMatch[2] === "unitAmount" ? "unitPrice" : lineMatch[2];
      if (field === "description" || field === "serviceCode" || field === "quantity" || field === "unitPrice") {
        errors[lineErrorKey(line.key, field)] ??= message;
        continue;
      }
    }
    const key = path.startsWith("discount") ? "discount" : path.startsWith("lines") ? "lines" : path;
    errors[key] ??= message;
  }
  return errors;
}

/** The editor's starting values for a saved draft. */
export function valuesFromInvoice(invoice: InvoiceView): EditorValues {
  return {
    currency: invoice.currency,
    terms: invoice.terms,
    dueDate: invoice.dueDate ?? "",
    taxRate: invoice.taxRate === 0 ? "" : String(invoice.taxRate),
    discountKind: invoice.discount === null ? "none" : "percent" in invoice.discount ? "percent" : "amount",
    discountValue:
      invoice.discount === null
        ? ""
        : "percent" in invoice.discount
          ? String(invoice.discount.percent)
          : toDecimalString(invoice.discount.amount, invoice.currency),
    memo: invoice.memo ?? "",
    lines: invoice.lines.map((line) => ({
      key: line.id,
      description: line.description,
      serviceCode: line.serviceCode ?? "",
      quantity: String(line.quantity),
      unitPrice: toDecimalString(line.unitAmount, invoice.currency),
      taxExempt: line.taxExempt,
    })),
  };
}

export function emptyLine(key: string): LineDraft {
  return { key, description: "", serviceCode: "", quantity: "1", unitPrice: "", taxExempt: false };
}
