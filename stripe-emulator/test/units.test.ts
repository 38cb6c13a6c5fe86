import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { brandOf, magicPaymentMethodNumber, passesLuhn } from "../src/cards";
import { cardFee, checkChargeAmount, formatAmount, minimumChargeAmount, parseCurrency } from "../src/currencies";
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
    expect(cardFee(1000, "usd")).toBe(59); // 29 + 30
    expect(cardFee(1500, "usd")).toBe(74); // 43.5 → 44, + 30
    expect(cardFee(1, "usd")).toBe(30);
    expect(cardFee(50, "usd")).toBe(31); // 1.45 → 1
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 99_999_999 }), (amount) => {
        const exact = (amount * 29) / 1000;
        const fee = cardFee(amount, "usd") - 30;
        expect(fee - exact).toBeGreaterThan(-0.5 - 1e-9);
        expect(fee - exact).toBeLessThanOrEqual(0.5 + 1e-9);
      }),
    );
  });

  it("prices other currencies by their country's card price, not the US one", () => {
    expect(cardFee(10_000, "eur")).toBe(175); // 1.5% + €0.25
    expect(cardFee(10_000, "gbp")).toBe(170); // 1.5% + 20p
    expect(cardFee(10_000, "cad")).toBe(320); // 2.9% + C$0.30
    expect(cardFee(10_000, "jpy")).toBe(360); // 3.6%, no fixed fee, in yen
    expect(cardFee(10_000, "aud")).toBe(200); // 1.7% + A$0.30
    expect(cardFee(10_000, "zar")).toBe(390); // any other: 2.9% + 1% conversion
  });

  it("resolves magic payment method ids and their visa_ aliases", () => {
    expect(magicPaymentMethodNumber("pm_card_visa")).toBe("4242424242424242");
    expect(magicPaymentMethodNumber("pm_card_visa_chargeDeclinedInsufficientFunds")).toBe("4000000000009995");
    expect(magicPaymentMethodNumber("pm_card_createDisputeInquiry")).toBe("4000000000001976");
    expect(magicPaymentMethodNumber("pm_card_pendingRefund")).toBe("4000000000007726");
    expect(magicPaymentMethodNumber("pm_123")).toBeUndefined();
  });
});

describe("currencies", () => {
  it("accepts Stripe's currencies in any case and refuses others with Stripe's error", () => {
    expect(parseCurrency("EUR")).toBe("eur");
    expect(parseCurrency("jpy")).toBe("jpy");
    for (const bad of ["zzz", "euro", "us", "xxx"]) {
      let caught: unknown;
      try {
        parseCurrency(bad);
      } catch (error) {
        caught = error;
      }
      expect(caught).toMatchObject({ status: 400, body: { type: "invalid_request_error", param: "currency" } });
      expect((caught as Error).message).toMatch(new RegExp(`^Invalid currency: ${bad}\\. Stripe currently supports these currencies: usd, aed, afn, `));
    }
  });

  it("has Stripe's minimum charge amounts per currency", () => {
    expect(
      Object.fromEntries(["usd", "eur", "gbp", "jpy", "cad", "aud", "chf", "hkd", "mxn", "sek", "dkk", "huf"].map((c) => [c, minimumChargeAmount(c)])),
    ).toEqual({ usd: 50, eur: 50, gbp: 30, jpy: 50, cad: 50, aud: 50, chf: 50, hkd: 400, mxn: 1000, sek: 300, dkk: 250, huf: 17500 });
    expect(() => checkChargeAmount(29, "gbp")).toThrow("Amount must be at least £0.30 gbp");
    expect(() => checkChargeAmount(30, "gbp")).not.toThrow();
    expect(() => checkChargeAmount(399, "hkd")).toThrow("Amount must be at least $4.00 hkd");
    expect(() => checkChargeAmount(49, "jpy")).toThrow("Amount must be at least ¥50 jpy");
    expect(() => checkChargeAmount(100_000_000, "usd")).toThrow("Amount must be no more than $999,999.99");
    expect(formatAmount(1234, "kwd")).toBe("1.234");
  });
});
