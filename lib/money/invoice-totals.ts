import { MAX_AMOUNT, multiplyDivideRoundHalfUp } from "./currency";

/**
 * The invoice math, shared by the editor (live totals as staff type) and the server (which
 * always recomputes and never trusts totals from a client). All amounts are integer minor units.
 *
 * Rules, written once:
 * - A line's amount is quantity × unit amount.
 * - The discount comes before tax. A percent discount is taken from each line and rounded half
 *   up per line. A fixed discount is spread over the lines in proportion to their amounts, by
 *   largest remainder, so the lines' shares add up to exactly the discount. A discount never
 *   exceeds the subtotal.
 * - Tax is charged per taxable line on (amount − discount), rounded half up per line.
 * - Totals are the sums of the rounded line parts: total = subtotal − discount + tax.
 * Rates are in thousandths of a percent (8.25% = 8250).
 */
export const PERCENT_SCALE = 100_000; // 100% in thousandths of a percent

export type TotalsLineInput = { quantity: number; unitAmount: number; taxExempt: boolean };
export type DiscountInput = { type: "none" } | { type: "percent"; milliPercent: number } | { type: "amount"; amount: number };
export type TotalsInput = { lines: TotalsLineInput[]; taxRateMilliPercent: number; discount: DiscountInput };

export type LineTotals = { amount: number; discountAmount: number; taxAmount: number };
export type InvoiceTotals = {
  lines: LineTotals[];
  subtotal: number;
  discountTotal: number;
  taxTotal: number;
  total: number;
};

function allocateProportionally(total: number, weights: number[]): number[] {
  const weightSum = weights.reduce((sum, weight) => sum + weight, 0);
  if (weightSum === 0 || total === 0) return weights.map(() => 0);
  const exact = weights.map((weight) => {
    const product = BigInt(total) * BigInt(weight);
    return { floor: Number(product / BigInt(weightSum)), remainder: Number(product % BigInt(weightSum)) };
  });
  let left = total - exact.reduce((sum, part) => sum + part.floor, 0);
  const order = exact.map((part, index) => ({ index, remainder: part.remainder })).sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  const shares = exact.map((part) => part.floor);
  for (const { index } of order) {
    if (left === 0) break;
    shares[index]! += 1;
    left -= 1;
  }
  return shares;
}

export function computeInvoiceTotals(input: TotalsInput): InvoiceTotals {
  const amounts = input.lines.map((line) => line.quantity * line.unitAmount);
  const subtotal = amounts.reduce((sum, amount) => sum + amount, 0);

  let discounts: number[];
  if (input.discount.type === "percent") {
    const rate = Math.min(Math.max(input.discount.milliPercent, 0), PERCENT_SCALE);
    discounts = amounts.map((amount) => multiplyDivideRoundHalfUp(amount, rate, PERCENT_SCALE));
  } else if (input.discount.type === "amount") {
    discounts = allocateProportionally(Math.min(Math.max(input.discount.amount, 0), subtotal), amounts);
  } else {
    discounts = amounts.map(() => 0);
  }

  const lines = input.lines.map((line, index) => {
    const amount = amounts[index]!;
    const discountAmount = Math.min(discounts[index]!, amount);
    const taxable = line.taxExempt ? 0 : amount - discountAmount;
    return { amount, discountAmount, taxAmount: multiplyDivideRoundHalfUp(taxable, input.taxRateMilliPercent, PERCENT_SCALE) };
  });
  const discountTotal = lines.reduce((sum, line) => sum + line.discountAmount, 0);
  const taxTotal = lines.reduce((sum, line) => sum + line.taxAmount, 0);
  return { lines, subtotal, discountTotal, taxTotal, total: subtotal - discountTotal + taxTotal };
}

/** True when every amount fits the product's limit (99,999,999 minor units). */
export function totalsWithinLimit(totals: InvoiceTotals): boolean {
  return totals.subtotal <= MAX_AMOUNT && totals.total <= MAX_AMOUNT;
}
