import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { advance, controlFor, errorOf, randomKey, sdkFor, startHarness, type Harness } from "./helpers";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe("authentication and isolation", () => {
  it("rejects missing and non-test keys with Stripe's 401", async () => {
    const none = await fetch(`${h.emulator.url}/v1/customers`);
    expect(none.status).toBe(401);
    expect(((await none.json()) as { error: { type: string } }).error.type).toBe("invalid_request_error");
    const live = await errorOf(sdkFor(h.emulator, "sk_live_abcdefghijklmnop").customers.list());
    expect(live.type).toBe("StripeAuthenticationError");
    expect(live.statusCode).toBe(401);
    expect(live.message).toContain("sk_live_");
    expect(live.message).not.toContain("abcdefghijklmnop");
  });

  it("keeps each API key's objects apart", async () => {
    const other = sdkFor(h.emulator, randomKey());
    const customer = await h.stripe.customers.create({ description: "mine" });
    const error = await errorOf(other.customers.retrieve(customer.id));
    expect(error.statusCode).toBe(404);
    expect((await other.customers.list()).data).toEqual([]);
  });

  it("sends Request-Id headers and answers unknown URLs with 404", async () => {
    const response = await h.raw("GET", "/v1/customers");
    expect(response.headers.get("request-id")).toMatch(/^req_/);
    const unknown = await h.raw("GET", "/v1/subscriptions");
    expect(unknown.status).toBe(404);
    const customer = await h.stripe.customers.create();
    const { lastResponse } = customer;
    expect(lastResponse.requestId).toMatch(/^req_/);
  });
});

describe("form encoding", () => {
  it("parses nested brackets, metadata and arrays longer than 20", async () => {
    const items = Array.from({ length: 25 }, (_, i) => `expand[${i}]=`);
    expect(items).toHaveLength(25);
    const metadata = Array.from({ length: 30 }, (_, i) => `metadata[k${i}]=v${i}`).join("&");
    const response = await h.raw("POST", "/v1/customers", { body: `${metadata}&address[line1]=1+Main+St&address[city]=Springfield` });
    const customer = (await response.json()) as Stripe.Customer;
    expect(Object.keys(customer.metadata)).toHaveLength(30);
    expect(customer.metadata.k29).toBe("v29");
    expect(customer.address?.line1).toBe("1 Main St");
    const types = Array.from({ length: 22 }, (_, i) => `types[${i}]=t${i}`).join("&");
    await h.raw("GET", `/v1/events?${types}`);
    const log = await h.control<{ data: { path: string; params: { types?: string[] } }[] }>("GET", "/requests");
    const last = log.data.at(-1);
    expect(last?.path).toBe("/v1/events");
    expect(last?.params.types).toHaveLength(22);
    expect(last?.params.types?.[21]).toBe("t21");
  });

  it("accepts expand[] with empty brackets", async () => {
    const customer = await h.stripe.customers.create();
    const created = await h.raw("POST", "/v1/payment_intents", {
      body: `amount=1000&currency=usd&customer=${customer.id}&expand[]=customer&metadata[a]=b`,
    });
    const intent = (await created.json()) as Stripe.PaymentIntent;
    expect((intent.customer as Stripe.Customer).id).toBe(customer.id);
  });

  it("unsets metadata keys with empty values and clears all with metadata=''", async () => {
    const customer = await h.stripe.customers.create({ metadata: { a: "1", b: "2" } });
    const one = await h.stripe.customers.update(customer.id, { metadata: { a: "" } });
    expect(one.metadata).toEqual({ b: "2" });
    const none = await h.stripe.customers.update(customer.id, { metadata: "" as unknown as Stripe.MetadataParam });
    expect(none.metadata).toEqual({});
  });
});

describe("errors", () => {
  it("reports invalid integers and unknown parameters with param", async () => {
    const response = await h.raw("POST", "/v1/payment_intents", { body: "amount=12.5&currency=usd" });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { type: string; param: string } };
    expect(body.error).toMatchObject({ type: "invalid_request_error", param: "amount" });
  });

  it("rejects expansion of fields that cannot be expanded", async () => {
    const customer = await h.stripe.customers.create();
    const error = await errorOf(h.stripe.customers.retrieve(customer.id, { expand: ["email"] }));
    expect(error.statusCode).toBe(400);
    expect(error.param).toBe("expand");
  });
});

describe("idempotency", () => {
  it("replays the stored response for the same key and parameters", async () => {
    const key = `idem-${Date.now()}`;
    const first = await h.stripe.customers.create({ email: "a@example.com" }, { idempotencyKey: key });
    const second = await h.stripe.customers.create({ email: "a@example.com" }, { idempotencyKey: key });
    expect(second.id).toBe(first.id);
    expect(second.lastResponse.headers["idempotent-replayed"]).toBe("true");
    expect((await h.stripe.customers.list({ email: "a@example.com" })).data).toHaveLength(1);
  });

  it("refuses the same key with different parameters with 400 idempotency_error", async () => {
    const key = `idem-diff-${Date.now()}`;
    await h.stripe.customers.create({ email: "b@example.com" }, { idempotencyKey: key });
    const error = await errorOf(h.stripe.customers.create({ email: "c@example.com" }, { idempotencyKey: key }));
    expect(error.type).toBe("StripeIdempotencyError");
    expect(error.statusCode).toBe(400);
  });

  it("replays card errors too, without charging twice", async () => {
    const key = `idem-decline-${Date.now()}`;
    const params: Stripe.PaymentIntentCreateParams = {
      amount: 1000,
      currency: "usd",
      payment_method: "pm_card_chargeDeclined",
      confirm: true,
      allowed_payment_method_types: ["card"],
    };
    const first = await errorOf(h.stripe.paymentIntents.create(params, { idempotencyKey: key }));
    const second = await errorOf(h.stripe.paymentIntents.create(params, { idempotencyKey: key }));
    expect(first.statusCode).toBe(402);
    expect(second.statusCode).toBe(402);
    expect((second.payment_intent as Stripe.PaymentIntent).id).toBe((first.payment_intent as Stripe.PaymentIntent).id);
    expect(second.headers?.["idempotent-replayed"]).toBe("true");
  });

  it("forgets keys after 24 hours of emulated time", async () => {
    const key = `idem-expire-${Date.now()}`;
    const first = await h.stripe.customers.create({ description: "x" }, { idempotencyKey: key });
    await advance(h, 24 * 3600 + 1);
    const second = await h.stripe.customers.create({ description: "y" }, { idempotencyKey: key });
    expect(second.id).not.toBe(first.id);
  });
});

describe("lists", () => {
  it("pages with limit, starting_after and ending_before, newest first", async () => {
    const sdk = sdkFor(h.emulator, randomKey());
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await sdk.customers.create({ description: String(i) })).id);
    const newestFirst = [...ids].reverse();
    const first = await sdk.customers.list({ limit: 2 });
    expect(first).toMatchObject({ object: "list", has_more: true, url: "/v1/customers" });
    expect(first.data.map((c) => c.id)).toEqual(newestFirst.slice(0, 2));
    const next = await sdk.customers.list({ limit: 2, starting_after: newestFirst[1] });
    expect(next.data.map((c) => c.id)).toEqual(newestFirst.slice(2, 4));
    const last = await sdk.customers.list({ limit: 2, starting_after: newestFirst[3] });
    expect(last.data.map((c) => c.id)).toEqual([newestFirst[4]]);
    expect(last.has_more).toBe(false);
    const previous = await sdk.customers.list({ limit: 2, ending_before: newestFirst[4] });
    expect(previous.data.map((c) => c.id)).toEqual(newestFirst.slice(2, 4));
    expect(previous.has_more).toBe(true);
    const tooBig = await errorOf(sdk.customers.list({ limit: 101 }));
    expect(tooBig.param).toBe("limit");
  });

  it("filters by created ranges", async () => {
    const key = randomKey();
    const sdk = sdkFor(h.emulator, key);
    const early = await sdk.customers.create();
    await controlFor(h.emulator, key)("POST", "/advance-time", { seconds: 100 });
    const late = await sdk.customers.create();
    expect(late.created - early.created).toBeGreaterThanOrEqual(100);
    expect((await sdk.customers.list({ created: { gte: late.created } })).data.map((c) => c.id)).toEqual([late.id]);
    expect((await sdk.customers.list({ created: { lt: late.created } })).data.map((c) => c.id)).toEqual([early.id]);
    expect((await sdk.customers.list({ created: { gt: early.created - 1, lte: early.created } })).data).toHaveLength(1);
  });
});

describe("request log", () => {
  it("records method, path and parsed params of every API request for PHI assertions", async () => {
    await h.stripe.customers.create({ metadata: { patient: "pat_123" } });
    const log = await h.control<{ data: { method: string; path: string; params: Record<string, unknown>; status: number }[] }>("GET", "/requests");
    const entry = log.data.at(-1);
    expect(entry).toMatchObject({ method: "POST", path: "/v1/customers", params: { metadata: { patient: "pat_123" } }, status: 200 });
  });
});

describe("publishable key (browser stand-in)", () => {
  it("tokenizes a card and confirms an intent with its client secret, acting on the matching secret key", async () => {
    const suffix = randomKey().slice("sk_test_".length);
    const secret = sdkFor(h.emulator, `sk_test_${suffix}`);
    const intent = await secret.paymentIntents.create({ amount: 4200, currency: "usd" });
    const publishable = `pk_test_${suffix}`;
    const post = (path: string, body: string) =>
      fetch(`${h.emulator.url}${path}`, {
        method: "POST",
        headers: { Authorization: `Bearer ${publishable}`, "Content-Type": "application/x-www-form-urlencoded" },
        body,
      });
    const forbidden = await fetch(`${h.emulator.url}/v1/customers`, { headers: { Authorization: `Bearer ${publishable}` } });
    expect(forbidden.status).toBe(401);
    const wrongSecret = await post(`/v1/payment_intents/${intent.id}/confirm`, "client_secret=nope&payment_method=pm_card_visa");
    expect(wrongSecret.status).toBe(400);
    const year = new Date().getFullYear() + 1;
    const confirmed = await post(
      `/v1/payment_intents/${intent.id}/confirm`,
      `client_secret=${intent.client_secret}&return_url=https://carebill.test/r&payment_method_data[type]=card&payment_method_data[card][number]=4242424242424242&payment_method_data[card][exp_month]=12&payment_method_data[card][exp_year]=${year}&payment_method_data[card][cvc]=123`,
    );
    expect(confirmed.status).toBe(200);
    expect(((await confirmed.json()) as Stripe.PaymentIntent).status).toBe("succeeded");
    expect((await secret.paymentIntents.retrieve(intent.id)).status).toBe("succeeded");
    const read = await fetch(`${h.emulator.url}/v1/payment_intents/${intent.id}?client_secret=${intent.client_secret}&key=${publishable}`);
    expect(read.status).toBe(200);
  });
});

describe("test routes", () => {
  it("speaks the bundled SDK's API version", async () => {
    const { API_VERSION } = await import("../src/context");
    expect(API_VERSION).toBe(Stripe.API_VERSION);
    const response = await h.raw("GET", "/v1/customers");
    expect(response.headers.get("stripe-version")).toBe(Stripe.API_VERSION);
  });

  it("reports and advances the emulated clock per key", async () => {
    const key = randomKey();
    const control = controlFor(h.emulator, key);
    const before = await control<{ now: number }>("GET", "/clock");
    const advanced = await control<{ now: number }>("POST", "/advance-time", { seconds: 3600 });
    expect(advanced.now - before.now).toBeGreaterThanOrEqual(3600);
    const otherKey = await controlFor(h.emulator, randomKey())<{ now: number }>("GET", "/clock");
    expect(otherKey.now).toBeLessThan(advanced.now);
    await expect(control("POST", "/advance-time", { seconds: -1 })).rejects.toThrow(/400/);
  });

  it("resets one key's state", async () => {
    const key = randomKey();
    const sdk = sdkFor(h.emulator, key);
    const customer = await sdk.customers.create();
    await controlFor(h.emulator, key)("POST", "/reset");
    expect((await errorOf(sdk.customers.retrieve(customer.id))).statusCode).toBe(404);
    expect((await h.stripe.customers.list({ limit: 1 })).data.length).toBe(1);
  });

  it("serves a receipt page for a charge and a 3-D Secure redirect for setup intents", async () => {
    const intent = await h.stripe.paymentIntents.create({
      amount: 1000,
      currency: "usd",
      payment_method: "pm_card_visa",
      confirm: true,
      allowed_payment_method_types: ["card"],
      expand: ["latest_charge"],
    });
    const receipt = await fetch((intent.latest_charge as Stripe.Charge).receipt_url ?? "");
    expect(receipt.status).toBe(200);
    expect(await receipt.text()).toContain("10.00 USD");

    const setup = await h.stripe.setupIntents.create({
      payment_method: "pm_card_authenticationRequired",
      confirm: true,
      return_url: "https://carebill.test/setup-done",
    });
    const approval = await fetch(setup.next_action?.redirect_to_url?.url ?? "", {
      method: "POST",
      body: new URLSearchParams({ action: "approve" }),
      redirect: "manual",
    });
    const location = new URL(approval.headers.get("location") ?? "");
    expect(location.searchParams.get("setup_intent")).toBe(setup.id);
    expect(location.searchParams.get("setup_intent_client_secret")).toBe(setup.client_secret);
    expect(location.searchParams.get("redirect_status")).toBe("succeeded");
    const page = await fetch(setup.next_action?.redirect_to_url?.url ?? "");
    expect(await page.text()).toContain("no longer pending");
  });
});
