import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { brandOf, cardFee, magicPaymentMethodNumber, passesLuhn } from "../src/cards";
import { parseForm, type FormObject, type FormValue } from "../src/form";

/** The same encoding the stripe SDK uses (`key[sub][0]=value`). */
function encode(data: FormObject): string {
  const pairs: string[] = [];
  const walk = (key: string, value: FormValue) => {
    if (typeof value === "string") pairs.push(`${encodeURIComponent(key)}=${encodeURIComponent(value)}`);
    else if (Array.isArray(value)) value.forEach((item, index) => walk(`${key}[${index}]`, item));
    else for (const [child, item] of Object.entries(value)) walk(`${key}[${child}]`, item);
  };
  for (const [key, value] of Object.entries(data)) walk(key, value);
  return pairs.join("&");
}

const keyArb = fc.stringMatching(/^[a-z_][a-z0-9_]{0,8}$/);
const valueArb: fc.Arbitrary<FormValue> = fc.letrec<{ value: FormValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.string({ maxLength: 12 }),
    fc.array(tie("value"), { minLength: 1, maxLength: 30 }),
    fc.dictionary(keyArb, tie("value"), { minKeys: 1, maxKeys: 4 }),
  ),
})).value;

describe("form parser", () => {
  it("round-trips what the SDK encodes, including arrays longer than 20", () => {
    fc.assert(
      fc.property(fc.dictionary(keyArb, valueArb, { minKeys: 1, maxKeys: 5 }), (data) => {
        // Empty arrays and objects do not survive form encoding in Stripe's SDK either.
        const hasEmpty = JSON.stringify(data).includes("[]") || JSON.stringify(data).includes("{}");
        fc.pre(!hasEmpty);
        expect(parseForm(encode(data))).toEqual(data);
      }),
      { numRuns: 300 },
    );
  });

  it("parses empty-bracket arrays, plus signs and percent escapes", () => {
    expect(parseForm("expand[]=a&expand[]=b&name=Jane+Doe&note=50%25&items[0][price]=p1&items[1][price]=p2")).toEqual({
      expand: ["a", "b"],
      name: "Jane Doe",
      note: "50%",
      items: [{ price: "p1" }, { price: "p2" }],
    });
    const many = Array.from({ length: 150 }, (_, i) => `items[${i}][q]=${i}`).join("&");
    const parsed = parseForm(many).items as FormObject[];
    expect(parsed).toHaveLength(150);
    expect(parsed[149]).toEqual({ q: "149" });
  });
});

describe("cards", () => {
  it("checks Luhn", () => {
    expect(passesLuhn("4242424242424242")).toBe(true);
    expect(passesLuhn("4000002500003155")).toBe(true);
    expect(passesLuhn("4242424242424241")).toBe(false);
    expect(passesLuhn("42")).toBe(false);
  });

  it("detects brands", () => {
    expect(brandOf("5555555555554444")).toBe("mastercard");
    expect(brandOf("2223003122003222")).toBe("mastercard");
    expect(brandOf("378282246310005")).toBe("amex");
    expect(brandOf("6011111111111117")).toBe("discover");
  });

  it("prices US cards at 2.9% + 30¢ rounded half-up", () => {
    expect(cardFee(1000)).toBe(59); // 29 + 30
    expect(cardFee(1500)).toBe(74); // 43.5 → 44, + 30
    expect(cardFee(1)).toBe(30);
    expect(cardFee(50)).toBe(31); // 1.45 → 1
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 99_999_999 }), (amount) => {
        const exact = (amount * 29) / 1000;
        const fee = cardFee(amount) - 30;
        expect(fee - exact).toBeGreaterThan(-0.5 - 1e-9);
        expect(fee - exact).toBeLessThanOrEqual(0.5 + 1e-9);
      }),
    );
  });

  it("resolves magic payment method ids and their visa_ aliases", () => {
    expect(magicPaymentMethodNumber("pm_card_visa")).toBe("4242424242424242");
    expect(magicPaymentMethodNumber("pm_card_visa_chargeDeclinedInsufficientFunds")).toBe("4000000000009995");
    expect(magicPaymentMethodNumber("pm_card_createDisputeInquiry")).toBe("4000000000001976");
    expect(magicPaymentMethodNumber("pm_123")).toBeUndefined();
  });
});
