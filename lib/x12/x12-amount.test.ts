import { describe, expect, it } from "vitest";
import { x12AmountToCents } from "./x12-amount";

describe("x12AmountToCents", () => {
  it("reads whole, one- and two-decimal amounts, signed, with or without the leading zero, exactly", () => {
    expect(x12AmountToCents("125")).toBe(12_500);
    expect(x12AmountToCents("125.5")).toBe(12_550);
    expect(x12AmountToCents("-40.25")).toBe(-4_025);
    expect(x12AmountToCents(".5")).toBe(50);
    expect(x12AmountToCents("-.75")).toBe(-75);
    expect(x12AmountToCents("0")).toBe(0);
    // 0.1 + 0.2 style float steps never happen: 1.15 is 115, not 114.99999.
    expect(x12AmountToCents("1.15")).toBe(115);
    expect(x12AmountToCents("99999999.99")).toBe(9_999_999_999);
  });

  it("refuses what is not an X12 amount", () => {
    for (const value of ["", ".", "-", "10.", "1.005", "1,000", "$10", "1e3", " 10", "10 ", "--1", "+5"]) expect(x12AmountToCents(value)).toBeNull();
  });
});
