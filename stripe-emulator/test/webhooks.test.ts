import Stripe from "stripe";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { DeliveryRecord } from "../src/webhooks";
import { signatureHeader } from "../src/webhooks";
import { controlFor, randomKey, sdkFor, startHarness, startWebhookReceiver, waitFor, type Harness, type WebhookReceiver } from "./helpers";

const SECRET = "whsec_test_carebill_emulator";
let h: Harness;
let receiver: WebhookReceiver;
const verifier = new Stripe("sk_test_verifier");

beforeAll(async () => {
  h = await startHarness({ webhookRetryBaseMs: 50 });
  receiver = await startWebhookReceiver();
});
afterAll(async () => {
  await h.close();
  await receiver.close();
});

type Deliveries = { data: DeliveryRecord[]; pending: number };

/** A fresh key with its own endpoint, delivery mode and delivery log per test. */
async function freshAccount(mode?: Record<string, unknown>) {
  const key = randomKey();
  const control = controlFor(h.emulator, key);
  await control("POST", "/webhook", { url: receiver.url, secret: SECRET });
  if (mode) await control("POST", "/delivery-mode", mode);
  receiver.received.length = 0;
  receiver.respond = () => 200;
  return { key, stripe: sdkFor(h.emulator, key), control };
}

async function settled(control: ReturnType<typeof controlFor>): Promise<Deliveries> {
  return waitFor(async () => {
    const deliveries = await control<Deliveries>("GET", "/deliveries");
    return deliveries.pending === 0 ? deliveries : undefined;
  });
}

function eventsReceived(): Stripe.Event[] {
  return receiver.received.map((webhook) => JSON.parse(webhook.body) as Stripe.Event);
}

beforeEach(() => {
  receiver.received.length = 0;
});

describe("webhook delivery", () => {
  it("signs deliveries so that stripe.webhooks.constructEvent accepts them and rejects tampering", async () => {
    const { stripe, control } = await freshAccount();
    const customer = await stripe.customers.create({ metadata: { patient: "pat_1" } });
    await settled(control);
    const webhook = receiver.received[0];
    expect(webhook).toBeDefined();
    const event = verifier.webhooks.constructEvent(webhook?.body ?? "", webhook?.signature ?? "", SECRET);
    expect(event.type).toBe("customer.created");
    expect((event.data.object as Stripe.Customer).id).toBe(customer.id);
    expect(() => verifier.webhooks.constructEvent(`${webhook?.body} `, webhook?.signature ?? "", SECRET)).toThrow();
    expect(() => verifier.webhooks.constructEvent(webhook?.body ?? "", webhook?.signature ?? "", "whsec_other")).toThrow();
    expect(webhook?.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
  });

  it("produces the same header as the SDK's own test helper", () => {
    const body = JSON.stringify({ id: "evt_1", object: "event" });
    const timestamp = Math.floor(Date.now() / 1000);
    const expected = verifier.webhooks.generateTestHeaderString({ payload: body, secret: SECRET, timestamp });
    expect(signatureHeader(body, SECRET, timestamp)).toBe(expected);
  });

  it("delivers a payment's events in order by default, each once", async () => {
    const { stripe, control } = await freshAccount();
    await stripe.paymentIntents.create({
      amount: 1000,
      currency: "usd",
      payment_method: "pm_card_visa",
      confirm: true,
      allowed_payment_method_types: ["card"],
      capture_method: "automatic",
    });
    const deliveries = await settled(control);
    expect(eventsReceived().map((event) => event.type)).toEqual(["payment_intent.created", "charge.succeeded", "payment_intent.succeeded"]);
    expect(deliveries.data.every((delivery) => delivery.outcome === "delivered" && delivery.status_code === 200)).toBe(true);
    const stored = await stripe.events.retrieve(eventsReceived()[0]?.id ?? "");
    expect(stored.pending_webhooks).toBe(0);
  });

  it("retries non-2xx responses with backoff until delivered", async () => {
    const { stripe, control } = await freshAccount();
    receiver.respond = (_request, index) => (index < 2 ? 500 : 200);
    await stripe.customers.create();
    const deliveries = await settled(control);
    expect(deliveries.data.map((delivery) => [delivery.attempt, delivery.status_code])).toEqual([
      [1, 500],
      [2, 500],
      [3, 200],
    ]);
    const gaps = receiver.received.slice(1).map((webhook, i) => webhook.receivedAt - (receiver.received[i]?.receivedAt ?? 0));
    expect(gaps[0]).toBeGreaterThanOrEqual(45);
    expect(gaps[1]).toBeGreaterThanOrEqual(95);
  });

  it("delivers every event several times in duplicate mode", async () => {
    const { stripe, control } = await freshAccount({ mode: "duplicate", count: 3 });
    await stripe.customers.create();
    await settled(control);
    const ids = eventsReceived().map((event) => event.id);
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(1);
  });

  it("delays deliveries in delay mode", async () => {
    const { stripe, control } = await freshAccount({ mode: "delay", delay_ms: 150 });
    const started = Date.now();
    await stripe.customers.create();
    await settled(control);
    expect((receiver.received[0]?.receivedAt ?? 0) - started).toBeGreaterThanOrEqual(140);
  });

  it("shuffles a batch of events in reorder mode", async () => {
    const { stripe, control } = await freshAccount({ mode: "reorder" });
    const intent = await stripe.paymentIntents.create({
      amount: 1000,
      currency: "usd",
      payment_method: "pm_card_visa",
      confirm: true,
      allowed_payment_method_types: ["card"],
      capture_method: "automatic",
    });
    await settled(control);
    const types = eventsReceived().map((event) => event.type);
    expect([...types].sort()).toEqual(["charge.succeeded", "payment_intent.created", "payment_intent.succeeded"]);
    expect(types).not.toEqual(["payment_intent.created", "charge.succeeded", "payment_intent.succeeded"]);
    expect(intent.status).toBe("succeeded");
  });

  it("drops the first attempt and redelivers it in drop_then_redeliver mode", async () => {
    const { stripe, control } = await freshAccount({ mode: "drop_then_redeliver" });
    await stripe.customers.create();
    const deliveries = await settled(control);
    expect(deliveries.data.map((delivery) => delivery.outcome)).toEqual(["dropped", "delivered"]);
    expect(receiver.received).toHaveLength(1);
  });

  it("delivers nothing when no endpoint is configured, and can be turned off", async () => {
    const key = randomKey();
    const control = controlFor(h.emulator, key);
    await sdkFor(h.emulator, key).customers.create();
    expect((await control<Deliveries>("GET", "/deliveries")).data).toEqual([]);
    await control("POST", "/webhook", { url: receiver.url, secret: SECRET });
    await control("POST", "/webhook", { url: null });
    await sdkFor(h.emulator, key).customers.create();
    expect((await control<Deliveries>("GET", "/deliveries")).data).toEqual([]);
  });

  it("rejects a webhook secret that is not whsec_", async () => {
    await expect(controlFor(h.emulator, randomKey())("POST", "/webhook", { url: receiver.url, secret: "nope" })).rejects.toThrow(/400/);
  });
});

describe("an app that is down for a while", () => {
  it("keeps retrying, with backoff capped, well past 8 attempts, and delivers once the app answers again", async () => {
    const own = await startWebhookReceiver();
    const emulator = await startHarness({ webhookRetryBaseMs: 20, webhookRetryMaxDelayMs: 80 });
    try {
      let down = true;
      own.respond = () => (down ? 503 : 200);
      await emulator.control("POST", "/webhook", { url: own.url, secret: SECRET });
      await emulator.stripe.customers.create();
      await waitFor(() => (own.received.length >= 12 ? true : undefined), 30_000);
      const pendingWhileDown = await emulator.control<Deliveries>("GET", "/deliveries");
      expect(pendingWhileDown.pending).toBe(1);
      // Exponential, then capped: no gap much beyond the 80 ms cap once it is reached.
      const gaps = own.received.slice(1, 12).map((webhook, i) => webhook.receivedAt - (own.received[i]?.receivedAt ?? 0));
      expect(gaps[0]).toBeGreaterThanOrEqual(15);
      expect(gaps.slice(4).every((gap) => gap >= 75)).toBe(true);
      down = false;
      const deliveries = await waitFor(async () => {
        const state = await emulator.control<Deliveries>("GET", "/deliveries");
        return state.pending === 0 ? state : undefined;
      }, 30_000);
      expect(deliveries.data.at(-1)).toMatchObject({ outcome: "delivered", status_code: 200 });
      expect(deliveries.data.length).toBeGreaterThan(8);
    } finally {
      await emulator.close();
      await own.close();
    }
  });

  it("gives up after the retry window, as Stripe does after 3 days", async () => {
    const own = await startWebhookReceiver();
    const emulator = await startHarness({ webhookRetryBaseMs: 20, webhookRetryMaxDelayMs: 40, webhookRetryForMs: 300 });
    try {
      own.respond = () => 500;
      await emulator.control("POST", "/webhook", { url: own.url, secret: SECRET });
      await emulator.stripe.customers.create();
      const deliveries = await waitFor(async () => {
        const state = await emulator.control<Deliveries>("GET", "/deliveries");
        return state.pending === 0 && state.data.length > 0 ? state : undefined;
      }, 30_000);
      expect(deliveries.data.every((delivery) => delivery.outcome === "failed")).toBe(true);
      const first = deliveries.data[0]!.delivered_at;
      expect(deliveries.data.at(-1)!.delivered_at - first).toBeLessThanOrEqual(300 + 200);
    } finally {
      await emulator.close();
      await own.close();
    }
  });
});

describe("global webhook endpoint from options", () => {
  it("delivers events of any key to the configured endpoint", async () => {
    const own = await startWebhookReceiver();
    const emulator = await startHarness({ webhook: { url: own.url, secret: SECRET } });
    try {
      await emulator.stripe.customers.create();
      await waitFor(() => (own.received.length > 0 ? true : undefined));
      const event = verifier.webhooks.constructEvent(own.received[0]?.body ?? "", own.received[0]?.signature ?? "", SECRET);
      expect(event.type).toBe("customer.created");
    } finally {
      await emulator.close();
      await own.close();
    }
  });
});
