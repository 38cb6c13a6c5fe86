import { describe, expect, it } from "vitest";
import { invoicePaidFigures, invoicePaidRows } from "@/lib/invoices/invoice-paid-figures";
import { PAYMENT_STATUS_FILTER_LABELS, paymentDisplayState, refundTotals } from "./payment-display-state";
import { declineMessage } from "./decline-reasons";
import { PAYMENT_STATUSES } from "./payment-status";

const card = { status: "succeeded", currency: "USD", amountReceived: 15_000 };

describe("payment display state", () => {
  it("a succeeded payment with no refunds reads Succeeded", () => {
    expect(paymentDisplayState({ ...card, refunded: 0 })).toEqual({
      key: "succeeded",
      label: "Succeeded",
      tone: "success",
      refunded: 0,
      refundPending: 0,
      net: 15_000,
    });
  });

  it("a $40 refund of a $150 payment reads Partially refunded · $40.00; the whole amount reads Refunded", () => {
    expect(paymentDisplayState({ ...card, refunded: 4_000 })).toMatchObject({ key: "partially_refunded", label: "Partially refunded · $40.00", net: 11_000 });
    expect(paymentDisplayState({ ...card, refunded: 15_000 })).toMatchObject({ key: "refunded", label: "Refunded", net: 0 });
    // Two partial refunds that add up to the payment are a full refund.
    const sums = refundTotals([
      { status: "succeeded", amount: 10_000 },
      { status: "succeeded", amount: 5_000 },
    ]);
    expect(paymentDisplayState({ ...card, ...sums }).label).toBe("Refunded");
  });

  it("only succeeded refunds count; a pending one shows as pending, failed and canceled ones as nothing", () => {
    const sums = refundTotals([
      { status: "pending", amount: 2_500 },
      { status: "failed", amount: 9_000 },
      { status: "canceled", amount: 1_000 },
    ]);
    expect(sums).toEqual({ refunded: 0, refundPending: 2_500 });
    expect(paymentDisplayState({ ...card, ...sums })).toMatchObject({ key: "refund_pending", label: "Refund pending · $25.00", net: 15_000 });
    // Once one succeeded, the payment reads partially refunded (the pending one stays in refundPending).
    const mixed = refundTotals([
      { status: "pending", amount: 2_500 },
      { status: "succeeded", amount: 4_000 },
    ]);
    expect(paymentDisplayState({ ...card, ...mixed })).toMatchObject({ label: "Partially refunded · $40.00", refundPending: 2_500 });
  });

  it("other statuses read in plain words, never Stripe's internal names", () => {
    for (const status of PAYMENT_STATUSES) {
      const { label } = paymentDisplayState({ status, currency: "USD", amountReceived: 0, refunded: 0 });
      expect(label).not.toMatch(/_|unconfirmed|requires/i);
      expect(PAYMENT_STATUS_FILTER_LABELS[status]).not.toMatch(/_|unconfirmed|requires/i);
    }
    expect(paymentDisplayState({ status: "failed", currency: "USD", amountReceived: 0, refunded: 0 }).label).toBe("Declined");
    expect(PAYMENT_STATUS_FILTER_LABELS.refunded).toBe("Refunded (in part or in full)");
    // The two "not completed" filter options say apart how far the patient got.
    expect(PAYMENT_STATUS_FILTER_LABELS.requires_payment_method).not.toBe(PAYMENT_STATUS_FILTER_LABELS.requires_confirmation);
  });

  it("a refund of a payment in another currency is written in that currency", () => {
    expect(paymentDisplayState({ status: "succeeded", currency: "EUR", amountReceived: 10_000, refunded: 1_250 }).label).toBe("Partially refunded · €12.50");
  });
});

describe("invoice paid figures", () => {
  it("Paid $210.00, Refunded −$40.00, Net paid $170.00 whether the refund kept the invoice settled or reopened it", () => {
    const settled = invoicePaidFigures({ amountPaid: 21_000 }, { refunded: 4_000, refundPending: 0, reopened: 0 });
    // A reopening refund already took its amount off amountPaid: it is added back to what was paid.
    const reopened = invoicePaidFigures({ amountPaid: 17_000 }, { refunded: 4_000, refundPending: 0, reopened: 4_000 });
    for (const figures of [settled, reopened]) {
      expect(figures).toEqual({ paid: 21_000, refunded: 4_000, refundPending: 0, netPaid: 17_000 });
      expect(invoicePaidRows(figures, "USD").map((row) => `${row.label} ${row.value}`)).toEqual(["Paid $210.00", "Refunded −$40.00", "Net paid $170.00"]);
    }
  });

  it("without refunds only Paid shows; a pending refund shows as pending", () => {
    expect(invoicePaidRows(invoicePaidFigures({ amountPaid: 21_000 }), "USD").map((row) => row.label)).toEqual(["Paid"]);
    const pending = invoicePaidFigures({ amountPaid: 21_000 }, { refunded: 0, refundPending: 2_500, reopened: 0 });
    expect(invoicePaidRows(pending, "USD").map((row) => `${row.label} ${row.value}`)).toEqual(["Paid $210.00", "Refund pending −$25.00", "Net paid $185.00"]);
  });
});

describe("decline words", () => {
  it("maps decline codes to words staff can repeat, and unknown codes to a plain decline", () => {
    expect(declineMessage("insufficient_funds")).toBe("Card declined: insufficient funds");
    expect(declineMessage("expired_card")).toBe("Card declined: the card has expired");
    expect(declineMessage("some_new_code")).toBe("Card declined");
    expect(declineMessage(null)).toBe("Card declined");
  });
});
