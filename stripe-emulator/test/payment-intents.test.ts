import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { advance, errorOf, startHarness, type Harness } from "./helpers";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const RETURN_URL = "https://carebill.test/pay/return";

async function payWith(paymentMethod: string, extra: Partial<Stripe.PaymentIntentCreateParams> = {}) {
  return h.stripe.paymentIntents.create({
    amount: 2000,
    currency: "usd",
    payment_method: paymentMethod,
    confirm: true,
    return_url: RETURN_URL,
    ...extra,
  });
}

describe("payment intents", () => {
  it("starts in requires_payment_method, then requires_confirmation once it has a payment method", async () => {
    const intent = await h.stripe.paymentIntents.create({ amount: 1500, currency: "usd", metadata: { invoice: "inv_1" } });
    expect(intent.status).toBe("requires_payment_method");
    expect(intent.id).toMatch(/^pi_/);
    expect(intent.client_secret).toMatch(new RegExp(`^${intent.id}_secret_`));
    expect(intent.automatic_payment_methods).toEqual({ allow_redirects: "always", enabled: true });
    expect(intent.metadata).toEqual({ invoice: "inv_1" });
    const updated = await h.stripe.paymentIntents.update(intent.id, { payment_method: "pm_card_visa", metadata: { note: "x" } });
    expect(updated.status).toBe("requires_confirmation");
    expect(updated.payment_method).toMatch(/^pm_/);
    expect(updated.metadata).toEqual({ invoice: "inv_1", note: "x" });
    const confirmed = await h.stripe.paymentIntents.confirm(intent.id, { return_url: RETURN_URL });
    expect(confirmed.status).toBe("succeeded");
    expect(confirmed.amount_received).toBe(1500);
  });

  it("succeeds with 4242 and a capture creates a charge whose balance transaction carries the 2.9% + 30¢ fee", async () => {
    const intent = await payWith("pm_card_visa", { capture_method: "automatic", expand: ["latest_charge.balance_transaction"] });
    expect(intent.status).toBe("succeeded");
    const charge = intent.latest_charge as Stripe.Charge;
    expect(charge.status).toBe("succeeded");
    expect(charge.captured).toBe(true);
    expect(charge.paid).toBe(true);
    expect(charge.payment_intent).toBe(intent.id);
    const transaction = charge.balance_transaction as Stripe.BalanceTransaction;
    expect(transaction.id).toMatch(/^txn_/);
    expect(transaction.amount).toBe(2000);
    expect(transaction.fee).toBe(88); // 2000 × 2.9% = 58, + 30
    expect(transaction.net).toBe(1912);
    expect(transaction.type).toBe("charge");
    expect(transaction.source).toBe(charge.id);
  });

  it("with automatic_async (the default), attaches the balance transaction shortly after", async () => {
    const intent = await payWith("pm_card_visa");
    expect(intent.capture_method).toBe("automatic_async");
    const before = await h.stripe.charges.retrieve(intent.latest_charge as string);
    expect(before.balance_transaction).toBeNull();
    await advance(h, 2);
    const after = await h.stripe.charges.retrieve(intent.latest_charge as string);
    expect(after.balance_transaction).toMatch(/^txn_/);
    const events = await h.stripe.events.list({ type: "charge.updated", limit: 1 });
    expect(events.data[0]?.data.previous_attributes).toEqual({ balance_transaction: null });
  });

  it("accepts a Mastercard test card", async () => {
    const intent = await payWith("pm_card_mastercard", { expand: ["payment_method"] });
    expect(intent.status).toBe("succeeded");
    expect((intent.payment_method as Stripe.PaymentMethod).card?.brand).toBe("mastercard");
  });

  it("requires return_url to confirm when automatic payment methods allow redirects, as Stripe does", async () => {
    const error = await errorOf(h.stripe.paymentIntents.create({ amount: 2000, currency: "usd", payment_method: "pm_card_visa", confirm: true }));
    expect(error.type).toBe("StripeInvalidRequestError");
    expect(error.param).toBe("return_url");
    const noRedirects = await h.stripe.paymentIntents.create({
      amount: 2000,
      currency: "usd",
      payment_method: "pm_card_visa",
      confirm: true,
      automatic_payment_methods: { enabled: true, allow_redirects: "never" },
    });
    expect(noRedirects.status).toBe("succeeded");
    const cardOnly = await h.stripe.paymentIntents.create({
      amount: 2000,
      currency: "usd",
      payment_method: "pm_card_visa",
      confirm: true,
      allowed_payment_method_types: ["card"],
    });
    expect(cardOnly.status).toBe("succeeded");
    expect(cardOnly.automatic_payment_methods).toBeNull();
  });

  it.each([
    ["pm_card_chargeDeclined", "card_declined", "generic_decline"],
    ["pm_card_visa_chargeDeclined", "card_declined", "generic_decline"],
    ["pm_card_chargeDeclinedInsufficientFunds", "card_declined", "insufficient_funds"],
    ["pm_card_chargeCustomerFail", "card_declined", "generic_decline"],
  ])("declines %s with a 402 card_error and returns to requires_payment_method", async (paymentMethod, code, declineCode) => {
    const error = await errorOf(payWith(paymentMethod));
    expect(error.type).toBe("StripeCardError");
    expect(error.statusCode).toBe(402);
    expect(error.code).toBe(code);
    expect(error.decline_code).toBe(declineCode);
    const intentFromError = error.payment_intent as Stripe.PaymentIntent;
    expect(intentFromError.status).toBe("requires_payment_method");
    expect(intentFromError.last_payment_error?.decline_code).toBe(declineCode);
    const intent = await h.stripe.paymentIntents.retrieve(intentFromError.id);
    expect(intent.status).toBe("requires_payment_method");
    expect(intent.payment_method).toBeNull();
    expect(intent.last_payment_error?.type).toBe("card_error");
    const charge = await h.stripe.charges.retrieve(intent.latest_charge as string);
    expect(charge.status).toBe("failed");
    expect(charge.failure_code).toBe(code);
    expect(charge.outcome?.reason).toBe(declineCode);
    // A declined intent can be retried with another card.
    const retried = await h.stripe.paymentIntents.confirm(intent.id, { payment_method: "pm_card_visa", return_url: RETURN_URL });
    expect(retried.status).toBe("succeeded");
    expect(retried.last_payment_error).toBeNull();
  });

  it("asks for 3-D Secure with 4000 0025 0000 3155 and succeeds after approval on the emulator page", async () => {
    const intent = await payWith("pm_card_authenticationRequiredOnSetup");
    expect(intent.status).toBe("requires_action");
    expect(intent.next_action?.type).toBe("redirect_to_url");
    const url = intent.next_action?.redirect_to_url?.url ?? "";
    expect(url).toMatch(new RegExp(`^${h.emulator.url}/_emulator/3ds/`));
    expect(intent.next_action?.redirect_to_url?.return_url).toBe(RETURN_URL);
    const page = await fetch(url);
    expect(await page.text()).toContain("Approve");
    const approval = await fetch(url, { method: "POST", body: new URLSearchParams({ action: "approve" }), redirect: "manual" });
    expect(approval.status).toBe(303);
    const location = new URL(approval.headers.get("location") ?? "");
    expect(`${location.origin}${location.pathname}`).toBe(RETURN_URL);
    expect(location.searchParams.get("payment_intent")).toBe(intent.id);
    expect(location.searchParams.get("payment_intent_client_secret")).toBe(intent.client_secret);
    expect(location.searchParams.get("redirect_status")).toBe("succeeded");
    const after = await h.stripe.paymentIntents.retrieve(intent.id, { expand: ["latest_charge"] });
    expect(after.status).toBe("succeeded");
    expect((after.latest_charge as Stripe.Charge).payment_method_details?.card?.three_d_secure?.result).toBe("authenticated");
  });

  it("returns to requires_payment_method when 3-D Secure fails", async () => {
    const intent = await payWith("pm_card_authenticationRequired");
    const url = intent.next_action?.redirect_to_url?.url ?? "";
    const failure = await fetch(url, { method: "POST", body: new URLSearchParams({ action: "fail" }), redirect: "manual" });
    expect(new URL(failure.headers.get("location") ?? "").searchParams.get("redirect_status")).toBe("failed");
    const after = await h.stripe.paymentIntents.retrieve(intent.id);
    expect(after.status).toBe("requires_payment_method");
    expect(after.last_payment_error?.code).toBe("payment_intent_authentication_failure");
    expect(after.latest_charge).toBeNull();
  });

  it("uses use_stripe_sdk next action without return_url (browser confirmations)", async () => {
    const intent = await h.stripe.paymentIntents.create({
      amount: 2000,
      currency: "usd",
      payment_method: "pm_card_threeDSecure2Required",
      confirm: true,
      allowed_payment_method_types: ["card"],
    });
    expect(intent.status).toBe("requires_action");
    expect(intent.next_action?.type).toBe("use_stripe_sdk");
  });

  it("fails off-session payments that need authentication, but not once 3155 is set up", async () => {
    const customer = await h.stripe.customers.create();
    const error = await errorOf(payWith("pm_card_authenticationRequired", { customer: customer.id, off_session: true }));
    expect(error.code).toBe("authentication_required");
    expect(error.decline_code).toBe("authentication_required");

    const setup = await h.stripe.setupIntents.create({
      customer: customer.id,
      payment_method: "pm_card_authenticationRequiredOnSetup",
      confirm: true,
      return_url: RETURN_URL,
    });
    expect(setup.status).toBe("requires_action");
    await fetch(setup.next_action?.redirect_to_url?.url ?? "", { method: "POST", body: new URLSearchParams({ action: "approve" }), redirect: "manual" });
    const saved = await h.stripe.setupIntents.retrieve(setup.id);
    expect(saved.status).toBe("succeeded");
    const paymentMethod = saved.payment_method as string;
    const offSession = await payWith(paymentMethod, { customer: customer.id, off_session: true });
    expect(offSession.status).toBe("succeeded");
  });

  it("fails instead of asking for 3-D Secure with error_on_requires_action", async () => {
    const error = await errorOf(payWith("pm_card_authenticationRequired", { error_on_requires_action: true }));
    expect(error.code).toBe("authentication_required");
    expect((error.payment_intent as Stripe.PaymentIntent).status).toBe("requires_payment_method");
  });

  it("authorizes with capture_method=manual and captures part of it", async () => {
    const intent = await payWith("pm_card_visa", { capture_method: "manual" });
    expect(intent.status).toBe("requires_capture");
    expect(intent.amount_capturable).toBe(2000);
    const tooMuch = await errorOf(h.stripe.paymentIntents.capture(intent.id, { amount_to_capture: 2500 }));
    expect(tooMuch.statusCode).toBe(400);
    expect(tooMuch.param).toBe("amount_to_capture");
    const captured = await h.stripe.paymentIntents.capture(intent.id, { amount_to_capture: 1200, expand: ["latest_charge.balance_transaction"] });
    expect(captured.status).toBe("succeeded");
    expect(captured.amount_received).toBe(1200);
    expect(captured.amount_capturable).toBe(0);
    const charge = captured.latest_charge as Stripe.Charge;
    expect(charge.amount_captured).toBe(1200);
    expect(charge.amount_refunded).toBe(800);
    expect((charge.balance_transaction as Stripe.BalanceTransaction).fee).toBe(65); // 34.8 → 35, + 30
    const again = await errorOf(h.stripe.paymentIntents.capture(intent.id));
    expect(again.code).toBe("payment_intent_unexpected_state");
  });

  it("captures the full amount by default", async () => {
    const intent = await payWith("pm_card_visa", { capture_method: "manual" });
    const captured = await h.stripe.paymentIntents.capture(intent.id);
    expect(captured.amount_received).toBe(2000);
  });

  it("cancels an uncaptured authorization and refuses to cancel a succeeded intent", async () => {
    const intent = await payWith("pm_card_visa", { capture_method: "manual" });
    const canceled = await h.stripe.paymentIntents.cancel(intent.id, { cancellation_reason: "requested_by_customer" });
    expect(canceled.status).toBe("canceled");
    expect(canceled.cancellation_reason).toBe("requested_by_customer");
    expect(canceled.canceled_at).toEqual(expect.any(Number));
    const charge = await h.stripe.charges.retrieve(intent.latest_charge as string);
    expect(charge.refunded).toBe(true);
    const succeeded = await payWith("pm_card_visa");
    const error = await errorOf(h.stripe.paymentIntents.cancel(succeeded.id));
    expect(error.code).toBe("payment_intent_unexpected_state");
    const fresh = await h.stripe.paymentIntents.create({ amount: 700, currency: "usd" });
    expect((await h.stripe.paymentIntents.cancel(fresh.id)).status).toBe("canceled");
  });

  it("cancels authorizations that are not captured within 7 days", async () => {
    const intent = await payWith("pm_card_visa", { capture_method: "manual" });
    await advance(h, 6 * 24 * 3600);
    expect((await h.stripe.paymentIntents.retrieve(intent.id)).status).toBe("requires_capture");
    await advance(h, 24 * 3600 + 60);
    const expired = await h.stripe.paymentIntents.retrieve(intent.id);
    expect(expired.status).toBe("canceled");
    expect(expired.cancellation_reason).toBe("automatic");
    const events = await h.stripe.events.list({ type: "charge.expired" });
    expect(events.data.some((event) => (event.data.object as Stripe.Charge).payment_intent === intent.id)).toBe(true);
  });

  it("saves the card for later with setup_future_usage and a customer", async () => {
    const customer = await h.stripe.customers.create();
    const intent = await payWith("pm_card_visa", { customer: customer.id, setup_future_usage: "off_session" });
    const paymentMethod = await h.stripe.paymentMethods.retrieve(intent.payment_method as string);
    expect(paymentMethod.customer).toBe(customer.id);
    const again = await payWith(paymentMethod.id, { customer: customer.id, off_session: true });
    expect(again.status).toBe("succeeded");
  });

  it("validates amounts, currencies, customers and parameters", async () => {
    const small = await errorOf(h.stripe.paymentIntents.create({ amount: 10, currency: "usd" }));
    expect(small.code).toBe("amount_too_small");
    expect(small.param).toBe("amount");
    const missing = await errorOf(h.stripe.paymentIntents.create({ currency: "usd" } as Stripe.PaymentIntentCreateParams));
    expect(missing.code).toBe("parameter_missing");
    expect(missing.param).toBe("amount");
    const customer = await errorOf(h.stripe.paymentIntents.create({ amount: 500, currency: "usd", customer: "cus_nope" }));
    expect(customer.code).toBe("resource_missing");
    expect(customer.param).toBe("customer");
    expect(customer.statusCode).toBe(400);
    const unknown = await errorOf(h.stripe.paymentIntents.create({ amount: 500, currency: "usd", patient_name: "Jane" } as Stripe.PaymentIntentCreateParams));
    expect(unknown.code).toBe("parameter_unknown");
    expect(unknown.param).toBe("patient_name");
    const notFound = await errorOf(h.stripe.paymentIntents.retrieve("pi_missing"));
    expect(notFound.statusCode).toBe(404);
    expect(notFound.code).toBe("resource_missing");
    // Stripe names the path parameter of /v1/payment_intents/{intent}.
    expect(notFound.param).toBe("intent");
    expect(notFound.message).toBe("No such payment_intent: 'pi_missing'");
    for (const call of [
      h.stripe.paymentIntents.update("pi_missing", { metadata: { a: "b" } }),
      h.stripe.paymentIntents.confirm("pi_missing"),
      h.stripe.paymentIntents.capture("pi_missing"),
      h.stripe.paymentIntents.cancel("pi_missing"),
    ]) {
      expect(await errorOf(call)).toMatchObject({ statusCode: 404, code: "resource_missing", param: "intent" });
    }
    const refundOfMissing = await errorOf(h.stripe.refunds.create({ payment_intent: "pi_missing" }));
    expect(refundOfMissing).toMatchObject({ statusCode: 400, code: "resource_missing", param: "payment_intent" });
  });

  it("refuses a currency Stripe does not support, as Stripe words it", async () => {
    const invalid = await errorOf(h.stripe.paymentIntents.create({ amount: 5000, currency: "zzz" }));
    expect(invalid.statusCode).toBe(400);
    expect(invalid.type).toBe("StripeInvalidRequestError");
    expect(invalid.param).toBe("currency");
    expect(invalid.message).toMatch(/^Invalid currency: zzz\. Stripe currently supports these currencies: usd, aed, afn, .*\beur\b.*\bgbp\b/);
    const intent = await h.stripe.paymentIntents.create({ amount: 5000, currency: "EUR" });
    expect(intent.currency).toBe("eur");
    const update = await errorOf(h.stripe.paymentIntents.update(intent.id, { currency: "abc" }));
    expect(update).toMatchObject({ statusCode: 400, param: "currency" });
    expect((await h.stripe.paymentIntents.retrieve(intent.id)).currency).toBe("eur");
  });

  it("applies each currency's minimum charge amount, on create and on update", async () => {
    const gbp = await h.stripe.paymentIntents.create({ amount: 30, currency: "gbp" });
    expect(gbp.amount).toBe(30);
    const tooSmallGbp = await errorOf(h.stripe.paymentIntents.create({ amount: 29, currency: "gbp" }));
    expect(tooSmallGbp).toMatchObject({ statusCode: 400, code: "amount_too_small", param: "amount", message: "Amount must be at least £0.30 gbp" });
    const tooSmallHkd = await errorOf(h.stripe.paymentIntents.create({ amount: 399, currency: "hkd" }));
    expect(tooSmallHkd).toMatchObject({ code: "amount_too_small", message: "Amount must be at least $4.00 hkd" });
    expect((await h.stripe.paymentIntents.create({ amount: 50, currency: "jpy" })).amount).toBe(50);
    const usd = await h.stripe.paymentIntents.create({ amount: 60, currency: "usd" });
    // 60 is enough in USD but not in HKD: changing the currency checks the amount again.
    const switched = await errorOf(h.stripe.paymentIntents.update(usd.id, { currency: "hkd" }));
    expect(switched).toMatchObject({ code: "amount_too_small", param: "amount" });
    expect((await h.stripe.paymentIntents.update(usd.id, { currency: "hkd", amount: 400 })).currency).toBe("hkd");
  });

  it("charges the fee of the currency's country, not always the US 2.9% + 30¢", async () => {
    const feeOf = async (currency: string, amount: number) => {
      const intent = await payWith("pm_card_visa", { currency, amount, capture_method: "automatic", expand: ["latest_charge.balance_transaction"] });
      const transaction = (intent.latest_charge as Stripe.Charge).balance_transaction as Stripe.BalanceTransaction;
      expect(transaction.currency).toBe(currency);
      expect(transaction.fee_details).toEqual([
        { amount: transaction.fee, application: null, currency, description: "Stripe processing fees", type: "stripe_fee" },
      ]);
      return transaction.fee;
    };
    expect(await feeOf("usd", 10_000)).toBe(320); // 2.9% + 30¢
    expect(await feeOf("eur", 10_000)).toBe(175); // 1.5% + €0.25
    expect(await feeOf("gbp", 10_000)).toBe(170); // 1.5% + 20p
    expect(await feeOf("jpy", 10_000)).toBe(360); // 3.6% of ¥10,000
  });

  it("refuses a payment method that belongs to another customer", async () => {
    const owner = await h.stripe.customers.create();
    const other = await h.stripe.customers.create();
    const paymentMethod = await h.stripe.paymentMethods.attach("pm_card_visa", { customer: owner.id });
    const error = await errorOf(payWith(paymentMethod.id, { customer: other.id }));
    expect(error.param).toBe("payment_method");
  });

  it("lists payment intents by customer with pagination", async () => {
    const customer = await h.stripe.customers.create();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await h.stripe.paymentIntents.create({ amount: 500 + i, currency: "usd", customer: customer.id })).id);
    const page = await h.stripe.paymentIntents.list({ customer: customer.id, limit: 2 });
    expect(page.data.map((intent) => intent.id)).toEqual([ids[2], ids[1]]);
    expect(page.has_more).toBe(true);
    const all = await h.stripe.paymentIntents.list({ customer: customer.id }).autoPagingToArray({ limit: 10 });
    expect(all.map((intent) => intent.id)).toEqual([...ids].reverse());
  });

  it("emits the events of a payment in order", async () => {
    const customer = await h.stripe.customers.create();
    const intent = await payWith("pm_card_visa", { customer: customer.id, capture_method: "manual" });
    await h.stripe.paymentIntents.capture(intent.id);
    const events = await h.stripe.events.list({ limit: 100, created: { gte: intent.created } });
    const types = events.data
      .filter((event) => {
        const object = event.data.object as { id?: string; payment_intent?: string };
        return object.id === intent.id || object.payment_intent === intent.id;
      })
      .map((event) => event.type)
      .reverse();
    expect(types).toEqual([
      "payment_intent.created",
      "charge.succeeded",
      "payment_intent.amount_capturable_updated",
      "charge.captured",
      "payment_intent.succeeded",
    ]);
  });

  it("accepts payment_method_data and allowed_payment_method_types, and refuses what it does not model", async () => {
    const intent = await h.stripe.paymentIntents.create({
      amount: 3100,
      currency: "usd",
      allowed_payment_method_types: ["card"],
      confirm: true,
      payment_method_data: {
        type: "card",
        card: { number: "4242424242424242", exp_month: 12, exp_year: new Date().getFullYear() + 1, cvc: "123" },
        // The server SDK's types leave out raw card details; Stripe.js sends them in this same shape.
      } as unknown as Stripe.PaymentIntentCreateParams.PaymentMethodData,
    });
    expect(intent.status).toBe("succeeded");
    expect(intent.allowed_payment_method_types).toEqual(["card"]);
    expect(intent.payment_method_types).toEqual(["card"]);
    expect(intent.payment_method).toMatch(/^pm_/);
    const connect = await errorOf(h.stripe.paymentIntents.create({ amount: 3100, currency: "usd", transfer_data: { destination: "acct_1" } }));
    expect(connect.statusCode).toBe(400);
    expect(connect.param).toBe("transfer_data");
    expect(connect.message).toContain("emulator does not support");
  });
});
