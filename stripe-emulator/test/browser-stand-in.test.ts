import { describe, expect, it } from "vitest";
import { formatCardNumber, formatExpiry, validateCardField } from "../browser/payment-element";
import { encodeForm } from "../browser/stand-in";

const now = new Date("2026-11-23T12:00:00Z");

describe("the emulator's card form validates like Stripe Elements", () => {
  it.each([
    ["number", "4242 4242 4242 4242", null],
    ["number", "4242 4242 4242", "incomplete_number"],
    ["number", "4242 4242 4242 4241", "invalid_number"],
    ["number", "3782 822463 10005", null],
    ["expiry", "12 / 34", null],
    ["expiry", "11 / 26", null],
    ["expiry", "10 / 26", "invalid_expiry_month_past"],
    ["expiry", "12 / 25", "invalid_expiry_year_past"],
    ["expiry", "13 / 30", "invalid_expiry_month"],
    ["expiry", "1", "incomplete_expiry"],
    ["cvc", "12", "incomplete_cvc"],
    ["cvc", "123", null],
    ["postalCode", "", "incomplete_zip"],
    ["postalCode", "94107", null],
  ] as const)("%s %j → %s", (field, value, code) => {
    expect(validateCardField(field, value, now)?.code ?? null).toBe(code);
  });

  it("formats as the person types", () => {
    expect(formatCardNumber("4242424242424242")).toBe("4242 4242 4242 4242");
    expect(formatCardNumber("378282246310005")).toBe("3782 822463 10005");
    expect(formatExpiry("1234")).toBe("12 / 34");
    expect(formatExpiry("4")).toBe("04 / ");
    expect(formatExpiry("12 /", true)).toBe("12");
  });
});

describe("the stand-in's requests", () => {
  it("use Stripe's bracket form encoding", () => {
    expect(
      encodeForm({
        client_secret: "pi_1_secret_2",
        payment_method_data: { type: "card", card: { number: "4242", exp_month: 12 } },
        expand: ["a", "b"],
        skip: undefined,
      }),
    ).toBe(
      "client_secret=pi_1_secret_2&payment_method_data%5Btype%5D=card&payment_method_data%5Bcard%5D%5Bnumber%5D=4242&payment_method_data%5Bcard%5D%5Bexp_month%5D=12&expand%5B0%5D=a&expand%5B1%5D=b",
    );
  });
});
