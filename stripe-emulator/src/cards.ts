import { createHash } from "node:crypto";

/**
 * What a test card does when it is used. Numbers and magic ids follow
 * https://docs.stripe.com/testing.
 */
export type CardBehaviour =
  | { kind: "success" }
  | { kind: "decline"; code: string; declineCode: string; message: string; atSetup: boolean }
  /** Attaching and setting up succeed, every charge is declined (4000 0000 0000 0341). */
  | { kind: "decline_on_charge" }
  /** 3-D Secure on every payment; off-session payments fail (4000 0027 6000 3184). */
  | { kind: "three_ds_always" }
  /** 3-D Secure on setup and one-off payments, not on off-session use once set up (4000 0025 0000 3155). */
  | { kind: "three_ds_unless_set_up" }
  | { kind: "dispute"; inquiry: boolean }
  /** The charge succeeds; its refunds start `succeeded` and fail shortly after (4000 0000 0000 5126). */
  | { kind: "refund_fails" }
  /** The charge succeeds; its refunds start `pending` and succeed shortly after (4000 0000 0000 7726). */
  | { kind: "refund_pending" };

export type CardBrand = "visa" | "mastercard" | "amex" | "discover" | "unknown";

export type TestCard = {
  number: string;
  brand: CardBrand;
  funding: "credit" | "debit";
  behaviour: CardBehaviour;
};

const GENERIC_DECLINE = "Your card was declined.";

function decline(declineCode: string, message = GENERIC_DECLINE, code = "card_declined", atSetup = true): CardBehaviour {
  return { kind: "decline", code, declineCode, message, atSetup };
}

const SPECIAL: Record<string, Omit<TestCard, "number" | "brand">> = {
  "4000056655665556": { funding: "debit", behaviour: { kind: "success" } },
  "4000000000000002": { funding: "credit", behaviour: decline("generic_decline") },
  "4000000000009995": {
    funding: "credit",
    behaviour: decline("insufficient_funds", "Your card has insufficient funds.", "card_declined", false),
  },
  "4000000000009987": { funding: "credit", behaviour: decline("lost_card") },
  "4000000000009979": { funding: "credit", behaviour: decline("stolen_card") },
  "4000000000000069": {
    funding: "credit",
    behaviour: decline("expired_card", "Your card has expired.", "expired_card"),
  },
  "4000000000000127": {
    funding: "credit",
    behaviour: decline("incorrect_cvc", "Your card's security code is incorrect.", "incorrect_cvc"),
  },
  "4000000000000119": {
    funding: "credit",
    behaviour: decline("processing_error", "An error occurred while processing your card. Try again in a little bit.", "processing_error"),
  },
  "4000000000000341": { funding: "credit", behaviour: { kind: "decline_on_charge" } },
  "4000002760003184": { funding: "credit", behaviour: { kind: "three_ds_always" } },
  "4000000000003220": { funding: "credit", behaviour: { kind: "three_ds_always" } },
  "4000002500003155": { funding: "credit", behaviour: { kind: "three_ds_unless_set_up" } },
  "4000000000000259": { funding: "credit", behaviour: { kind: "dispute", inquiry: false } },
  "4000000000001976": { funding: "credit", behaviour: { kind: "dispute", inquiry: true } },
  "4000000000005126": { funding: "credit", behaviour: { kind: "refund_fails" } },
  "4000000000007726": { funding: "credit", behaviour: { kind: "refund_pending" } },
};

/** Magic PaymentMethod ids accepted wherever a PaymentMethod id is. */
const MAGIC_PAYMENT_METHODS: Record<string, string> = {
  visa: "4242424242424242",
  visa_debit: "4000056655665556",
  mastercard: "5555555555554444",
  amex: "378282246310005",
  discover: "6011111111111117",
  chargeDeclined: "4000000000000002",
  chargeDeclinedInsufficientFunds: "4000000000009995",
  chargeDeclinedLostCard: "4000000000009987",
  chargeDeclinedStolenCard: "4000000000009979",
  chargeDeclinedExpiredCard: "4000000000000069",
  chargeDeclinedIncorrectCvc: "4000000000000127",
  chargeDeclinedProcessingError: "4000000000000119",
  chargeCustomerFail: "4000000000000341",
  authenticationRequired: "4000002760003184",
  threeDSecure2Required: "4000000000003220",
  authenticationRequiredOnSetup: "4000002500003155",
  createDispute: "4000000000000259",
  createDisputeInquiry: "4000000000001976",
  refundFail: "4000000000005126",
  pendingRefund: "4000000000007726",
};

/** Resolves `pm_card_visa`, `pm_card_chargeDeclined` or `pm_card_visa_chargeDeclined` to a card number. */
export function magicPaymentMethodNumber(id: string): string | undefined {
  if (!id.startsWith("pm_card_")) return undefined;
  const name = id.slice("pm_card_".length);
  const direct = MAGIC_PAYMENT_METHODS[name];
  if (direct) return direct;
  if (name.startsWith("visa_")) return MAGIC_PAYMENT_METHODS[name.slice("visa_".length)];
  return undefined;
}

export function passesLuhn(number: string): boolean {
  if (!/^[0-9]{12,19}$/.test(number)) return false;
  let sum = 0;
  for (let i = 0; i < number.length; i++) {
    let digit = Number(number[number.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

export function brandOf(number: string): CardBrand {
  if (number.startsWith("4")) return "visa";
  const two = Number(number.slice(0, 2));
  const four = Number(number.slice(0, 4));
  if ((two >= 51 && two <= 55) || (four >= 2221 && four <= 2720)) return "mastercard";
  if (two === 34 || two === 37) return "amex";
  if (number.startsWith("6011") || number.startsWith("65")) return "discover";
  return "unknown";
}

/** Looks up a card number; any other Luhn-valid number behaves like 4242 4242 4242 4242. */
export function describeCard(number: string): TestCard {
  const special = SPECIAL[number];
  return {
    number,
    brand: brandOf(number),
    funding: special?.funding ?? "credit",
    behaviour: special?.behaviour ?? { kind: "success" },
  };
}

/** Stable per card number, like Stripe's fingerprint (16 characters). */
export function fingerprintOf(number: string): string {
  return createHash("sha256").update(`carebill-emulator:${number}`).digest("base64url").slice(0, 16);
}
