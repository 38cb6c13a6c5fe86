import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatMoney, minorUnitDigits, multiplyDivideRoundHalfUp, parseMoneyInput, toDecimalString } from "./currency";
import { computeInvoiceTotals, PERCENT_SCALE, type DiscountInput } from "./invoice-totals";

const line = fc.record({
  quantity: fc.integer({ min: 1, max: 1_000 }),
  unitAmount: fc.integer({ min: 0, max: 100_000 }),
  taxExempt: fc.boolean(),
});
const discount: fc.Arbitrary<DiscountInput> = fc.oneof(
  fc.constant({ type: "none" as const }),
  fc.record({ type: fc.constant("percent" as const), milliPercent: fc.integer({ min: 0, max: PERCENT_SCALE }) }),
  fc.record({ type: fc.constant("amount" as const), amount: fc.integer({ min: 0, max: 200_000_000 }) }),
);
const invoice = fc.record({
  lines: fc.array(line, { minLength: 0, maxLength: 30 }),
  taxRateMilliPercent: fc.integer({ min: 0, max: 30_000 }),
  discount,
});

describe("invoice totals (property-based)", () => {
  it("totals equal the sums of the rounded line parts", () => {
    fc.assert(
      fc.property(invoice, (input) => {
        const totals = computeInvoiceTotals(input);
        const sum = (pick: (line: (typeof totals.lines)[number]) => number) => totals.lines.reduce((acc, entry) => acc + pick(entry), 0);
        expect(totals.subtotal).toBe(sum((entry) => entry.amount));
        expect(totals.discountTotal).toBe(sum((entry) => entry.discountAmount));
        expect(totals.taxTotal).toBe(sum((entry) => entry.taxAmount));
        expect(totals.total).toBe(totals.subtotal - totals.discountTotal + totals.taxTotal);
        for (const [index, entry] of totals.lines.entries()) {
          expect(entry.amount).toBe(input.lines[index]!.quantity * input.lines[index]!.unitAmount);
          expect(Number.isInteger(entry.taxAmount) && Number.isInteger(entry.discountAmount)).toBe(true);
        }
      }),
    );
  });

  it("never produces a negative amount and never discounts more than the subtotal", () => {
    fc.assert(
      fc.property(invoice, (input) => {
        const totals = computeInvoiceTotals(input);
        expect(totals.total).toBeGreaterThanOrEqual(0);
        expect(totals.discountTotal).toBeLessThanOrEqual(totals.subtotal);
        for (const entry of totals.lines) {
          expect(entry.discountAmount).toBeGreaterThanOrEqual(0);
          expect(entry.discountAmount).toBeLessThanOrEqual(entry.amount);
          expect(entry.taxAmount).toBeGreaterThanOrEqual(0);
        }
      }),
    );
  });

  it("a fixed discount is applied exactly (capped at the subtotal), whatever the lines", () => {
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 30 }), fc.integer({ min: 0, max: 10_000_000 }), (lines, amount) => {
        const totals = computeInvoiceTotals({ lines, taxRateMilliPercent: 0, discount: { type: "amount", amount } });
        expect(totals.discountTotal).toBe(Math.min(amount, totals.subtotal));
      }),
    );
  });

  it("exempt lines carry no tax", () => {
    fc.assert(
      fc.property(invoice, (input) => {
        const totals = computeInvoiceTotals(input);
        totals.lines.forEach((entry, index) => {
          if (input.lines[index]!.taxExempt) expect(entry.taxAmount).toBe(0);
        });
      }),
    );
  });
});

describe("invoice totals (worked examples)", () => {
  it("rounds tax half up per line, after the discount", () => {
    // 3 × $3.33 = $9.99; 10% off = $1.00 (0.999 rounds up); tax 8.25% of $8.99 = 74.1675¢ → 74¢
    const totals = computeInvoiceTotals({
      lines: [{ quantity: 3, unitAmount: 333, taxExempt: false }],
      taxRateMilliPercent: 8_250,
      discount: { type: "percent", milliPercent: 10_000 },
    });
    expect(totals).toEqual({ lines: [{ amount: 999, discountAmount: 100, taxAmount: 74 }], subtotal: 999, discountTotal: 100, taxTotal: 74, total: 973 });
  });

  it("spreads a fixed discount by largest remainder", () => {
    const totals = computeInvoiceTotals({
      lines: [
        { quantity: 1, unitAmount: 100, taxExempt: true },
        { quantity: 1, unitAmount: 100, taxExempt: true },
        { quantity: 1, unitAmount: 100, taxExempt: true },
      ],
      taxRateMilliPercent: 0,
      discount: { type: "amount", amount: 100 },
    });
    expect(totals.lines.map((entry) => entry.discountAmount)).toEqual([34, 33, 33]);
    expect(totals.total).toBe(200);
  });
});

describe("currency", () => {
  it("knows zero- and three-decimal currencies", () => {
    expect(minorUnitDigits("USD")).toBe(2);
    expect(minorUnitDigits("JPY")).toBe(0);
    expect(minorUnitDigits("KWD")).toBe(3);
    expect(formatMoney(123450, "USD")).toBe("$1,234.50");
    expect(formatMoney(1235, "JPY")).toBe("¥1,235");
    expect(toDecimalString(5, "USD")).toBe("0.05");
    expect(toDecimalString(1235, "JPY")).toBe("1235");
  });

  it("parses typed amounts without floating point", () => {
    expect(parseMoneyInput("1,234.5", "USD")).toBe(123450);
    expect(parseMoneyInput("$0.07", "USD")).toBe(7);
    expect(parseMoneyInput("19.99", "USD")).toBe(1999);
    expect(parseMoneyInput("1.005", "USD")).toBeNull();
    expect(parseMoneyInput("1200", "JPY")).toBe(1200);
    expect(parseMoneyInput("12.5", "JPY")).toBeNull();
    expect(parseMoneyInput("-3", "USD")).toBeNull();
    expect(parseMoneyInput("abc", "USD")).toBeNull();
  });

  it("parse and format round-trip for every amount", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999_999 }), fc.constantFrom("USD", "JPY", "KWD", "EUR"), (amount, currency) => {
        expect(parseMoneyInput(toDecimalString(amount, currency), currency)).toBe(amount);
      }),
    );
  });

  it("rounds half up exactly for large products", () => {
    expect(multiplyDivideRoundHalfUp(5, 1, 10)).toBe(1);
    expect(multiplyDivideRoundHalfUp(4, 1, 10)).toBe(0);
    expect(multiplyDivideRoundHalfUp(99_999_999_999, 99_999, 100_000)).toBe(99_998_999_999);
  });
});
