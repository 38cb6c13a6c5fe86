import { describe, expect, it } from "vitest";
import { buildPaymentTimeline, orderTimeline, TIMELINE_RANK, type PaymentTimelineEntry, type TimelineSources } from "./payment-timeline";

const at = (time: string) => new Date(`2026-12-04T${time}Z`);
const entry = (id: string, time: string, rank: number): PaymentTimelineEntry => ({ id, at: at(time), rank, title: id });

describe("timeline order", () => {
  it("orders by time; entries of the same second by cause and effect, then exact time, then id", () => {
    const shuffled = [
      entry("refund", "10:58:37.000", TIMELINE_RANK.refundRequested),
      entry("success", "10:58:12.000", TIMELINE_RANK.succeeded),
      entry("booked", "10:58:12.000", TIMELINE_RANK.booked),
      entry("decline", "10:58:12.000", TIMELINE_RANK.declined),
      entry("created", "10:58:12.000", TIMELINE_RANK.created),
      entry("attempt", "10:58:12.000", TIMELINE_RANK.action),
    ];
    expect(orderTimeline(shuffled).map((item) => item.id)).toEqual(["created", "attempt", "decline", "success", "booked", "refund"]);
    // Every permutation of equal-timestamp entries ends in the same order (a stable, total order).
    const tied = [entry("b", "10:00:00.000", 5), entry("a", "10:00:00.000", 5), entry("c", "10:00:00.000", 1)];
    for (const permutation of [tied, [...tied].reverse(), [tied[1]!, tied[2]!, tied[0]!]]) {
      expect(orderTimeline(permutation).map((item) => item.id)).toEqual(["c", "a", "b"]);
    }
  });

  it("Stripe's whole-second times: an app entry later in the same second still follows its cause", () => {
    // Stripe stamps the success at 10:58:12 (to the second); the app booked it at 10:58:12.400.
    const ordered = orderTimeline([entry("booked", "10:58:12.400", TIMELINE_RANK.booked), entry("success", "10:58:12.000", TIMELINE_RANK.succeeded)]);
    expect(ordered.map((item) => item.id)).toEqual(["success", "booked"]);
    // Across seconds, real time wins over rank.
    expect(
      orderTimeline([entry("refund", "10:00:01.000", TIMELINE_RANK.refundRequested), entry("late-booking", "10:00:02.000", TIMELINE_RANK.booked)]).map(
        (item) => item.id,
      ),
    ).toEqual(["refund", "late-booking"]);
  });
});

describe("a payment's timeline", () => {
  // The case: declined at 10:56:45, paid at 10:58:12, $40 refunded at 10:58:37, after which
  // the payment row's updated_at is 10:58:37. The decline keeps its own time and stays before the success.
  const sources: TimelineSources = {
    payment: {
      id: "pay_1",
      source: "pay_page",
      status: "succeeded",
      currency: "USD",
      createdAt: at("10:56:30.120"),
      failureCode: "insufficient_funds",
      failureMessage: "Your card has insufficient funds.",
      failedAt: at("10:56:45.000"),
      canceledAt: null,
      voidedAt: null,
      voidReason: null,
    },
    events: [
      { id: "evt_refund", type: "charge.refunded", stripeCreatedAt: at("10:58:37.000") },
      { id: "evt_ok", type: "payment_intent.succeeded", stripeCreatedAt: at("10:58:12.000") },
      { id: "evt_no", type: "payment_intent.payment_failed", stripeCreatedAt: at("10:56:45.000") },
    ],
    journals: [
      {
        id: "j1",
        kind: "payment.succeeded",
        memo: "Card payment for INV-00001",
        createdAt: at("10:58:12.350"),
        lines: [{ account: "1010 Stripe clearing", amount: 15_000 }],
      },
      { id: "j2", kind: "payment.fee", memo: "Stripe fee for INV-00001", createdAt: at("10:58:12.350"), lines: [] },
    ],
    refunds: [
      { id: "r1", amount: 4_000, status: "succeeded", createdAt: at("10:58:37.200"), succeededAt: at("10:58:37.900"), failedAt: null, failureReason: null },
    ],
  };

  it("decline, then success, then refund, each at its own time, in words", () => {
    const timeline = buildPaymentTimeline(sources);
    expect(timeline.map((item) => [item.at.toISOString().slice(11, 23), item.title])).toEqual([
      ["10:56:30.120", "Patient started paying on the pay page"],
      ["10:56:45.000", "Card declined: insufficient funds"],
      ["10:58:12.000", "Card payment succeeded"],
      ["10:58:12.350", "Booked in the ledger: Card payment for INV-00001"],
      ["10:58:12.350", "Booked in the ledger: Stripe fee for INV-00001"],
      ["10:58:37.200", "Refund of $40.00 requested"],
      ["10:58:37.000", "Stripe confirmed the refund"],
      ["10:58:37.900", "Refund of $40.00 completed"],
    ]);
    // Staff words carry no event ids or account codes; those are technical details.
    for (const item of timeline) expect(`${item.title} ${item.detail ?? ""}`).not.toMatch(/evt_|\b1010\b|Dr |Cr /);
    expect(timeline.find((item) => item.id === "event:evt_no")?.technical).toEqual({ eventType: "payment_intent.payment_failed", eventId: "evt_no" });
    expect(timeline.find((item) => item.id === "journal:j1")?.technical?.lines).toEqual([{ account: "1010 Stripe clearing", amount: 15_000 }]);
  });

  it("a decline known before its Stripe event arrives is shown at the time it was recorded, not when the row last changed", () => {
    const timeline = buildPaymentTimeline({ ...sources, events: sources.events.filter((event) => event.type !== "payment_intent.payment_failed") });
    const decline = timeline.findIndex((item) => item.title === "Card declined: insufficient funds");
    expect(timeline[decline]!.at).toEqual(at("10:56:45.000"));
    expect(decline).toBeLessThan(timeline.findIndex((item) => item.title === "Card payment succeeded"));
  });

  it("two declines: each is an entry; the latest carries the reason the payment kept", () => {
    const timeline = buildPaymentTimeline({
      ...sources,
      events: [...sources.events, { id: "evt_no_0", type: "payment_intent.payment_failed", stripeCreatedAt: at("10:56:40.000") }],
    });
    expect(timeline.filter((item) => item.title.startsWith("Card declined")).map((item) => item.title)).toEqual([
      "Card declined",
      "Card declined: insufficient funds",
    ]);
  });
});
