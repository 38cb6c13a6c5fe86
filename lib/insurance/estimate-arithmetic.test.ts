import { describe, expect, it } from "vitest";
import { allowLines, computeEstimate, findFee, formatBasisPoints, mulDivHalfUp, type EstimateBenefits } from "./estimate-arithmetic";

const NO_BENEFITS: EstimateBenefits = {
  copays: [],
  coinsuranceBasisPoints: null,
  deductibleIndividual: null,
  deductibleIndividualMet: null,
  deductibleFamily: null,
  deductibleFamilyMet: null,
  outOfPocketMaxIndividual: null,
  outOfPocketMaxIndividualMet: null,
  outOfPocketMaxFamily: null,
  outOfPocketMaxFamilyMet: null,
};
const OFFICE = { procedureCode: "99213", modifiers: ["25"], units: 1, chargeAmount: 15_000 };
const DRAW = { procedureCode: "36415", modifiers: [], units: 1, chargeAmount: 2_500 };
const FEES = [
  { procedureCode: "99213", modifier: "", allowedAmount: 9_000 },
  { procedureCode: "99213", modifier: "25", allowedAmount: 8_500 },
];
const estimate = (benefits: Partial<EstimateBenefits>, extra: { visitType?: string; lines?: (typeof OFFICE)[] } = {}) =>
  computeEstimate({ lines: extra.lines ?? [OFFICE], fees: FEES, benefits: { ...NO_BENEFITS, ...benefits }, visitType: extra.visitType, currency: "USD" });

describe("rounding and fees", () => {
  it("rounds half-up to the cent", () => {
    expect(mulDivHalfUp(1_005, 1, 2)).toBe(503); // 502.5 → 503
    expect(mulDivHalfUp(1_004, 1, 2)).toBe(502);
    expect(mulDivHalfUp(4_502, 2_000, 10_000)).toBe(900); // 900.4 → 900
    expect(mulDivHalfUp(4_503, 5_000, 10_000)).toBe(2_252); // 2251.5 → 2252
  });

  it("takes the first modifier's own entry, then the any-modifier entry, else none (as the underpaid queue does)", () => {
    expect(findFee(OFFICE, FEES)?.allowedAmount).toBe(8_500);
    expect(findFee({ procedureCode: "99213", modifiers: ["59"] }, FEES)?.allowedAmount).toBe(9_000);
    expect(findFee({ procedureCode: "99213", modifiers: ["25", "59"] }, FEES)?.allowedAmount).toBe(8_500);
    expect(findFee({ procedureCode: "99213", modifiers: ["59", "25"] }, FEES)?.allowedAmount).toBe(9_000);
    expect(findFee(DRAW, FEES)).toBeNull();
  });

  it("allows fee × units (fractional units rounded half-up), else the line's charge", () => {
    const lines = allowLines([{ ...OFFICE, modifiers: [], units: 2 }, { ...OFFICE, modifiers: [], units: 0.333 }, DRAW], FEES);
    expect(lines.map((line) => [line.allowedAmount, line.allowedFrom.kind])).toEqual([
      [18_000, "fee_schedule"],
      [2_997, "fee_schedule"], // 9000 × 0.333 = 2997
      [2_500, "charge"],
    ]);
    expect(allowLines([{ ...OFFICE, modifiers: [], units: 0.001 }], [{ procedureCode: "99213", modifier: "", allowedAmount: 1_500 }])[0]!.allowedAmount).toBe(
      2,
    ); // 1.5 → 2
  });

  it("writes coinsurance as a percentage", () => {
    expect(formatBasisPoints(2_000)).toBe("20 %");
    expect(formatBasisPoints(1_250)).toBe("12.5 %");
  });
});

describe("computeEstimate", () => {
  it("charges the visit type's co-pay once per visit, whatever the lines", () => {
    const result = estimate(
      { copays: [{ visitType: "office", label: "Office visit", amount: 2_500 }], coinsuranceBasisPoints: 2_000, deductibleIndividual: 50_000 },
      { visitType: "office", lines: [OFFICE, DRAW] },
    );
    expect(result).toMatchObject({
      known: true,
      allowedTotal: 11_000,
      total: 2_500,
      parts: [{ kind: "copay", words: "Co-pay for an office visit $25.00", amount: 2_500 }],
    });
  });

  it("never asks a co-pay above the visit's allowed amount", () => {
    const result = estimate({ copays: [{ visitType: "specialist", label: "Specialist visit", amount: 9_900 }] }, { visitType: "specialist" });
    expect(result).toMatchObject({ known: true, total: 8_500 });
    expect(result.known && result.parts[0]!.words).toBe("Co-pay for a specialist visit $99.00 (at most the visit's allowed $85.00)");
  });

  it("applies the deductible remaining first, then coinsurance on the rest", () => {
    const result = estimate(
      {
        copays: [{ visitType: "office", label: "Office visit", amount: 2_500 }],
        deductibleIndividual: 50_000,
        deductibleIndividualMet: 49_000,
        coinsuranceBasisPoints: 2_000,
      },
      { visitType: "telehealth", lines: [{ ...OFFICE, modifiers: [] }] },
    );
    expect(result).toMatchObject({
      known: true,
      allowedTotal: 9_000,
      total: 1_000 + 1_600,
      parts: [
        { kind: "deductible", words: "Deductible remaining $10.00 of $500.00", amount: 1_000 },
        { kind: "coinsurance", words: "Coinsurance 20 % of $80.00", amount: 1_600 },
      ],
    });
  });

  it("puts the whole allowed amount on the deductible when less than what remains, with no coinsurance left", () => {
    const result = estimate({ deductibleIndividual: 50_000, deductibleIndividualMet: 18_500, coinsuranceBasisPoints: 2_000 });
    expect(result).toMatchObject({
      known: true,
      total: 8_500,
      parts: [
        { words: "Deductible remaining $315.00 of $500.00", amount: 8_500 },
        { words: "Coinsurance 20 % of $0.00", amount: 0 },
      ],
    });
  });

  it("never counts a deductible met beyond its amount as negative; uses the lower family remainder", () => {
    expect(estimate({ deductibleIndividual: 50_000, deductibleIndividualMet: 60_000, coinsuranceBasisPoints: 1_000 })).toMatchObject({
      total: 850,
      parts: [{ words: "Deductible remaining $0.00 of $500.00", amount: 0 }, { amount: 850 }],
    });
    expect(
      estimate({ deductibleIndividual: 50_000, deductibleIndividualMet: 0, deductibleFamily: 100_000, deductibleFamilyMet: 99_000, coinsuranceBasisPoints: 0 }),
    ).toMatchObject({ total: 1_000, parts: [{ words: "Deductible remaining (family) $10.00 of $1,000.00", amount: 1_000 }, { amount: 0 }] });
  });

  it("rounds coinsurance half-up", () => {
    // 85.00 − 40.05 deductible = 44.95 at 10 % = 4.495 → 4.50
    const result = estimate({ deductibleIndividual: 4_005, coinsuranceBasisPoints: 1_000 });
    expect(result).toMatchObject({ total: 4_005 + 450, parts: [{ amount: 4_005 }, { words: "Coinsurance 10 % of $44.95", amount: 450 }] });
  });

  it("says when coinsurance is not on file after the deductible", () => {
    const result = estimate({ deductibleIndividual: 5_000 });
    expect(result).toMatchObject({
      known: true,
      total: 5_000,
      parts: [
        { kind: "deductible", amount: 5_000 },
        { kind: "not_estimated", words: "No coinsurance on file: $35.00 after the deductible is not counted", amount: 0 },
      ],
    });
  });

  it("caps the total at the out-of-pocket maximum remaining", () => {
    const result = estimate({
      deductibleIndividual: 50_000,
      coinsuranceBasisPoints: 2_000,
      outOfPocketMaxIndividual: 300_000,
      outOfPocketMaxIndividualMet: 296_000,
    });
    expect(result).toMatchObject({
      known: true,
      total: 4_000,
      parts: [{ amount: 8_500 }, { amount: 0 }, { kind: "out_of_pocket_cap", words: "Out-of-pocket maximum remaining $40.00 of $3,000.00", amount: -4_500 }],
    });
    // Met in full: nothing more to pay, even a co-pay.
    expect(
      estimate(
        { copays: [{ visitType: "office", label: "Office visit", amount: 2_500 }], outOfPocketMaxIndividual: 300_000, outOfPocketMaxIndividualMet: 300_000 },
        { visitType: "office" },
      ),
    ).toMatchObject({ total: 0 });
    // Below the cap: no cap part.
    expect(estimate({ coinsuranceBasisPoints: 2_000, outOfPocketMaxIndividual: 300_000 })).toMatchObject({ total: 1_700, parts: [{ kind: "coinsurance" }] });
  });

  it("answers benefits unknown when the plan has nothing to estimate with", () => {
    expect(estimate({}, { visitType: "office" })).toEqual(expect.objectContaining({ known: false, reason: expect.stringMatching(/^Benefits unknown/) }));
    // A co-pay for another visit type does not count.
    expect(estimate({ copays: [{ visitType: "specialist", label: "Specialist visit", amount: 4_000 }] })).toMatchObject({ known: false });
  });
});
