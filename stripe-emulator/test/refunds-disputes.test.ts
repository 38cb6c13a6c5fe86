import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { advance, errorOf, startHarness, waitFor, type Harness } from "./helpers";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ asyncDelayMs: 200 });
});
afterAll(() => h.close());

async function paidCharge(paymentMethod = "pm_card_visa", amount = 10_000): Promise<Stripe.Charge> {
  const intent = await h.stripe.paymentIntents.create({
    amount,
    currency: "usd",
    payment_method: paymentMethod,
    confirm: true,
    allowed_payment_method_types: ["card"],
    capture_method: "automatic",
  });
  return h.stripe.charges.retrieve(intent.latest_charge as string);
}

describe("refunds", () => {
  it("refunds partially several times, never above the captured amount, succeeded at once with no later update", async () => {
    const charge = await paidCharge();
    expect(charge).not.toHaveProperty("refunds");
    const first = await h.stripe.refunds.create({ charge: charge.id, amount: 3000, reason: "requested_by_customer", metadata: { ref: "1" } });
    expect(first.id).toMatch(/^re_/);
    expect(first.status).toBe("succeeded");
    expect(first.destination_details?.card).toMatchObject({ reference_status: "available", reference: expect.any(String) });
    expect(first.amount).toBe(3000);
    expect(first.payment_intent).toBe(charge.payment_intent);
    const second = await h.stripe.refunds.create({ payment_intent: charge.payment_intent as string, amount: 5000 });
    const tooMuch = await errorOf(h.stripe.refunds.create({ charge: charge.id, amount: 2001 }));
    expect(tooMuch.statusCode).toBe(400);
    expect(tooMuch.code).toBe("amount_too_large");
    expect(tooMuch.param).toBe("amount");
    const rest = await h.stripe.refunds.create({ charge: charge.id });
    expect(rest.amount).toBe(2000);
    const done = await errorOf(h.stripe.refunds.create({ charge: charge.id, amount: 1 }));
    expect(done.code).toBe("charge_already_refunded");

    const refunded = await h.stripe.charges.retrieve(charge.id);
    expect(refunded.amount_refunded).toBe(10_000);
    expect(refunded.refunded).toBe(true);
    // Like Stripe since 2022-11-15: a charge lists its refunds only when asked to.
    expect(refunded).not.toHaveProperty("refunds");
    const expanded = await h.stripe.charges.retrieve(charge.id, { expand: ["refunds"] });
    expect(expanded.refunds?.data.map((refund) => refund.id)).toEqual([rest.id, second.id, first.id]);
    const listedCharges = await h.stripe.charges.list({ payment_intent: charge.payment_intent as string, expand: ["data.refunds"] });
    expect(listedCharges.data[0]?.refunds?.data).toHaveLength(3);

    // Nothing changes later: no settlement task, no refund.updated.
    expect(await advance(h, 3600)).toBe(0);
    const listed = await h.stripe.refunds.list({ charge: charge.id });
    expect(listed.data.every((refund) => refund.status === "succeeded")).toBe(true);
    const viaCharge = await h.stripe.refunds.list({ charge: charge.id, limit: 1 });
    expect(viaCharge.has_more).toBe(true);
    const events = await h.stripe.events.list({ limit: 100 });
    const about = events.data.filter((event) => [first.id, second.id, rest.id, charge.id].includes((event.data.object as { id: string }).id));
    expect(about.filter((event) => event.type === "refund.created")).toHaveLength(3);
    expect(about.filter((event) => event.type === "charge.refunded")).toHaveLength(3);
    expect(about.filter((event) => event.type === "refund.updated" || event.type === "charge.refund.updated")).toEqual([]);
    for (const event of about.filter((event) => event.type === "charge.refunded")) expect(event.data.object).not.toHaveProperty("refunds");
  });

  it("starts refunds of the 4000 0000 0000 7726 card pending and settles them on the real clock, with refund.updated and charge.refund.updated", async () => {
    const charge = await paidCharge("pm_card_pendingRefund");
    const refund = await h.stripe.refunds.create({ charge: charge.id, amount: 100 });
    expect(refund.status).toBe("pending");
    expect(refund.destination_details?.card?.reference_status).toBe("pending");
    await waitFor(async () => ((await h.stripe.refunds.retrieve(refund.id)).status === "succeeded" ? true : undefined));
    const events = await h.stripe.events.list({ limit: 20 });
    const about = events.data.filter((event) => (event.data.object as { id: string }).id === refund.id);
    expect(about.map((event) => event.type)).toEqual(expect.arrayContaining(["refund.created", "refund.updated", "charge.refund.updated"]));
    const updated = about.find((event) => event.type === "refund.updated");
    expect(updated?.data.previous_attributes).toMatchObject({ status: "pending" });
    expect(updated?.data.object).toMatchObject({ status: "succeeded" });
  });

  it("records refund balance transactions that reverse the charge (fees are not returned)", async () => {
    const charge = await paidCharge("pm_card_visa", 5000);
    const chargeTransaction = await h.stripe.balanceTransactions.retrieve(charge.balance_transaction as string);
    expect(chargeTransaction.fee).toBe(175); // 145 + 30
    expect(chargeTransaction.fee_details).toEqual([
      { amount: 175, application: null, currency: "usd", description: "Stripe processing fees", type: "stripe_fee" },
    ]);
    const refund = await h.stripe.refunds.create({ charge: charge.id, amount: 1234, expand: ["balance_transaction"] });
    const transaction = refund.balance_transaction as Stripe.BalanceTransaction;
    expect(transaction.type).toBe("refund");
    expect(transaction.amount).toBe(-1234);
    expect(transaction.net).toBe(-1234);
    expect(transaction.source).toBe(refund.id);
    const listed = await h.stripe.balanceTransactions.list({ type: "refund", limit: 100 });
    expect(listed.data.map((item) => item.id)).toContain(transaction.id);
  });

  it("makes funds available two days after the charge", async () => {
    const charge = await paidCharge();
    const pending = await h.stripe.balanceTransactions.retrieve(charge.balance_transaction as string);
    expect(pending.status).toBe("pending");
    expect(pending.available_on - pending.created).toBe(2 * 24 * 3600);
    await advance(h, 2 * 24 * 3600);
    expect((await h.stripe.balanceTransactions.retrieve(pending.id)).status).toBe("available");
  });

  it("fails refunds of the 4000 0000 0000 5126 card after they showed succeeded, with a failure_reason", async () => {
    const intent = await h.stripe.paymentMethods.create({
      type: "card",
      card: { number: "4000000000005126", exp_month: 12, exp_year: new Date().getFullYear() + 2, cvc: "123" },
    });
    const charge = await paidCharge(intent.id, 4000);
    expect(charge.status).toBe("succeeded");
    const refund = await h.stripe.refunds.create({ charge: charge.id });
    expect(refund.status).toBe("succeeded");
    await advance(h, 1);
    const failed = await h.stripe.refunds.retrieve(refund.id);
    expect(failed.status).toBe("failed");
    expect(failed.failure_reason).toBe("expired_or_canceled_card");
    const reversal = await h.stripe.balanceTransactions.retrieve(failed.failure_balance_transaction as string);
    expect(reversal.type).toBe("refund_failure");
    expect(reversal.amount).toBe(4000);
    const after = await h.stripe.charges.retrieve(charge.id);
    expect(after.amount_refunded).toBe(0);
    expect(after.refunded).toBe(false);
    const events = await h.stripe.events.list({ type: "refund.failed", limit: 5 });
    expect(events.data[0]?.data.object).toMatchObject({ id: refund.id, status: "failed" });
    expect(events.data[0]?.data.previous_attributes).toEqual({ status: "succeeded" });
  });

  it("refuses to refund an uncaptured charge or a missing one", async () => {
    const intent = await h.stripe.paymentIntents.create({
      amount: 900,
      currency: "usd",
      payment_method: "pm_card_visa",
      confirm: true,
      capture_method: "manual",
      allowed_payment_method_types: ["card"],
    });
    const uncaptured = await errorOf(h.stripe.refunds.create({ payment_intent: intent.id }));
    expect(uncaptured.statusCode).toBe(400);
    const missing = await errorOf(h.stripe.refunds.create({ charge: "ch_missing" }));
    expect(missing.code).toBe("resource_missing");
    expect(missing.param).toBe("charge");
  });
});

describe("disputes", () => {
  it("opens a chargeback after a payment with 4000 0000 0000 0259 and withdraws amount + $15", async () => {
    const charge = await paidCharge("pm_card_createDispute", 8000);
    await advance(h, 1);
    const disputes = await h.stripe.disputes.list({ charge: charge.id });
    const dispute = disputes.data[0];
    expect(dispute?.status).toBe("needs_response");
    expect(dispute?.reason).toBe("fraudulent");
    expect(dispute?.amount).toBe(8000);
    const withdrawal = dispute?.balance_transactions[0];
    expect(withdrawal).toMatchObject({ amount: -8000, fee: 1500, net: -9500, reporting_category: "dispute" });
    expect((await h.stripe.charges.retrieve(charge.id)).disputed).toBe(true);
    const refund = await errorOf(h.stripe.refunds.create({ charge: charge.id }));
    expect(refund.code).toBe("charge_disputed");

    const submitted = await h.stripe.disputes.update(dispute?.id ?? "", {
      evidence: { uncategorized_text: "Patient attended the visit", customer_email_address: "x@example.com" },
    });
    expect(submitted.status).toBe("under_review");
    expect(submitted.evidence.uncategorized_text).toBe("Patient attended the visit");
    expect(submitted.evidence_details.has_evidence).toBe(true);
    expect(submitted.evidence_details.submission_count).toBe(1);
    const won = await h.control<Stripe.Dispute>("POST", `/disputes/${submitted.id}/close`, { status: "won" });
    expect(won.status).toBe("won");
    expect(won.balance_transactions).toHaveLength(2);
    expect(won.balance_transactions[1]).toMatchObject({ amount: 8000, fee: -1500, net: 9500, reporting_category: "dispute_reversal" });
    const types = (await h.stripe.events.list({ type: "charge.dispute.*", limit: 20 })).data
      .filter((event) => (event.data.object as Stripe.Dispute).id === submitted.id)
      .map((event) => event.type)
      .reverse();
    expect(types).toEqual([
      "charge.dispute.created",
      "charge.dispute.funds_withdrawn",
      "charge.dispute.updated",
      "charge.dispute.funds_reinstated",
      "charge.dispute.closed",
    ]);
  });

  it("opens an inquiry with pm_card_createDisputeInquiry that moves no money", async () => {
    const charge = await paidCharge("pm_card_createDisputeInquiry");
    await advance(h, 1);
    const dispute = (await h.stripe.disputes.list({ charge: charge.id })).data[0];
    expect(dispute?.status).toBe("warning_needs_response");
    expect(dispute?.balance_transactions).toEqual([]);
    const saved = await h.stripe.disputes.update(dispute?.id ?? "", { evidence: { product_description: "Visit" }, submit: false });
    expect(saved.status).toBe("warning_needs_response");
    const closed = await h.stripe.disputes.close(dispute?.id ?? "");
    expect(closed.status).toBe("warning_closed");
  });

  it("opens a dispute on any captured charge through the test route, and lost keeps funds withdrawn", async () => {
    const charge = await paidCharge();
    const dispute = await h.control<Stripe.Dispute>("POST", "/disputes", { charge: charge.id });
    expect(dispute.id).toMatch(/^dp_/);
    expect(dispute.status).toBe("needs_response");
    await h.stripe.disputes.update(dispute.id, { evidence: { uncategorized_text: "n/a" } });
    const lost = await h.control<Stripe.Dispute>("POST", `/disputes/${dispute.id}/close`, { status: "lost" });
    expect(lost.status).toBe("lost");
    expect(lost.balance_transactions).toHaveLength(1);
    const again = await errorOf(h.stripe.disputes.update(dispute.id, { metadata: { a: "b" } }));
    expect(again.statusCode).toBe(400);
  });

  it("closing through the API accepts the dispute as lost", async () => {
    const charge = await paidCharge();
    const dispute = await h.control<Stripe.Dispute>("POST", "/disputes", { charge: charge.id });
    const closed = await h.stripe.disputes.close(dispute.id);
    expect(closed.status).toBe("lost");
    const fetched = await h.stripe.disputes.retrieve(dispute.id, { expand: ["charge"] });
    expect((fetched.charge as Stripe.Charge).id).toBe(charge.id);
  });
});
