import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInvoice } from "@/lib/invoices/create-invoice";
import { finalizeInvoice } from "@/lib/invoices/finalize-invoice";
import { createPaymentAttempt } from "@/lib/payments/create-payment-attempt";
import { startEmulator, type RunningEmulator } from "@/stripe-emulator/src/server";
import { callRoute } from "@/tests/api-client";
import { createTestOrganization, createTestPatient, testActor } from "@/tests/factories";
import { setupTestDatabase } from "@/tests/test-database";
import { POST as webhook } from "./route";

const database = setupTestDatabase();
const actor = testActor();
const webhookSecret = "whsec_test_webhook_secret_for_carebill";
const secretKey = `sk_test_webhooks${Date.now()}`;
let emulator: RunningEmulator;
let stateDir: string;
let stripe: Stripe;

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "carebill-webhooks-"));
  emulator = await startEmulator({ port: 0, persistFile: join(stateDir, "stripe.json") });
  process.env.STRIPE_SECRET_KEY = secretKey;
  process.env.STRIPE_WEBHOOK_SECRET = webhookSecret;
  process.env.STRIPE_EMULATOR_URL = emulator.url;
  stripe = new Stripe(secretKey, { host: "127.0.0.1", port: emulator.port, protocol: "http", maxNetworkRetries: 0 });
});
afterAll(async () => {
  await emulator.close();
  await rm(stateDir, { recursive: true, force: true });
});

/** A paid-by-card invoice with its PaymentIntent, and the events Stripe emitted for it. */
async function paidInvoice() {
  const org = await createTestOrganization(database.db);
  const patient = await createTestPatient(database.db, { organizationId: org.organizationId });
  const draft = await createInvoice(database.db, {
    organizationId: org.organizationId,
    actor,
    input: { patientId: patient.id, lines: [{ description: "Visit", quantity: 1, unitAmount: 12_000 }] },
  });
  await finalizeInvoice(database.db, { organizationId: org.organizationId, invoiceId: draft.id, actor });
  const attempt = await createPaymentAttempt(database.db, { organizationId: org.organizationId, invoiceId: draft.id, stripe });
  await stripe.paymentIntents.confirm(attempt.paymentIntent.id, { payment_method: "pm_card_visa" });
  const events = await stripe.events.list({ limit: 100 });
  const forIntent = events.data.filter(
    (event) =>
      (event.data.object as { id?: string; payment_intent?: string }).id === attempt.paymentIntent.id ||
      (event.data.object as { payment_intent?: string }).payment_intent === attempt.paymentIntent.id,
  );
  const succeeded = forIntent.find((event) => event.type === "payment_intent.succeeded")!;
  return { invoiceId: draft.id, paymentId: attempt.paymentId, paymentIntentId: attempt.paymentIntent.id, succeeded, events: forIntent };
}

function deliver(event: Stripe.Event | string, options: { secret?: string; timestamp?: number; signature?: string | null } = {}) {
  const payload = typeof event === "string" ? event : JSON.stringify(event);
  const signature =
    options.signature === undefined
      ? stripe.webhooks.generateTestHeaderString({ payload, secret: options.secret ?? webhookSecret, timestamp: options.timestamp })
      : options.signature;
  return callRoute(webhook, {
    method: "POST",
    path: "/api/webhooks/stripe",
    rawBody: payload,
    headers: { "content-type": "application/json", ...(signature ? { "stripe-signature": signature } : {}) },
  });
}

const invoiceOf = (id: string) => database.db.invoice.findUniqueOrThrow({ where: { id } });

describe("POST /api/webhooks/stripe", () => {
  it("refuses a wrong secret, a tampered body, a stale timestamp and a missing header with 400, writing nothing", async () => {
    const { invoiceId, succeeded } = await paidInvoice();
    const payload = JSON.stringify(succeeded);
    const responses = await Promise.all([
      deliver(succeeded, { secret: "whsec_someone_else" }),
      deliver(payload.replace('"amount_received":12000', '"amount_received":1'), {
        signature: stripe.webhooks.generateTestHeaderString({ payload, secret: webhookSecret }),
      }),
      deliver(succeeded, { timestamp: Math.floor(Date.now() / 1000) - 3600 }),
      deliver(succeeded, { signature: null }),
    ]);
    expect(responses.map((response) => response.status)).toEqual([400, 400, 400, 400]);
    expect(await database.db.stripeEvent.count({ where: { id: succeeded.id } })).toBe(0);
    expect((await invoiceOf(invoiceId)).status).toBe("open");
  });

  it("answers a correctly signed body that is not JSON, or not an event, with 400, writing nothing", async () => {
    const notJson = await deliver("this is not json {");
    expect(notJson.status).toBe(400);
    expect(notJson.json!.error).toMatchObject({ code: "BAD_REQUEST", message: "The webhook body is not valid JSON." });
    const notAnEvent = await deliver(JSON.stringify({ type: "payment_intent.succeeded" }));
    expect(notAnEvent.status).toBe(400);
    expect(notAnEvent.json!.error!.code).toBe("BAD_REQUEST");
  });

  it("acknowledges (200, not applied) a signed event naming a PaymentIntent Stripe does not know", async () => {
    const { invoiceId, succeeded } = await paidInvoice();
    const unknown = {
      ...succeeded,
      id: `evt_unknown_${Date.now()}`,
      data: { ...succeeded.data, object: { ...succeeded.data.object, id: "pi_unknown_to_stripe" } },
    } as Stripe.Event;
    const response = await deliver(unknown);
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ received: true, outcome: "unknown_object" });
    expect((await invoiceOf(invoiceId)).status).toBe("open");
  });

  it("applies payment_intent.succeeded; the same event delivered 100 times at once has one effect", async () => {
    const { invoiceId, paymentId, succeeded } = await paidInvoice();
    const responses = await Promise.all(Array.from({ length: 100 }, () => deliver(succeeded)));
    expect(responses.every((response) => response.status === 200)).toBe(true);
    expect(responses.filter((response) => response.json!.outcome === "applied")).toHaveLength(1);
    expect(await invoiceOf(invoiceId)).toMatchObject({ status: "paid", amountPaid: 12_000, amountDue: 0 });
    expect(await database.db.journalEntry.count({ where: { sourceId: paymentId } })).toBe(2);
  });

  it("ends in the right state whatever the order of the payment's events", async () => {
    const { invoiceId, events } = await paidInvoice();
    const reversed = [...events].reverse();
    for (const event of reversed) expect((await deliver(event)).status).toBe(200);
    expect(await invoiceOf(invoiceId)).toMatchObject({ status: "paid", amountDue: 0 });
  });

  it("acknowledges event types it does not handle", async () => {
    const { events } = await paidInvoice();
    const created = events.find((event) => event.type === "payment_intent.created")!;
    expect((await deliver(created)).json).toEqual({ received: true, outcome: "ignored" });
  });

  it("answers 5xx when applying fails, and the redelivery succeeds", async () => {
    const { invoiceId, succeeded } = await paidInvoice();
    const port = emulator.port;
    await emulator.close();
    const failed = await deliver(succeeded);
    expect(failed.status).toBeGreaterThanOrEqual(500);
    expect(await database.db.stripeEvent.count({ where: { id: succeeded.id } })).toBe(0);
    expect((await invoiceOf(invoiceId)).status).toBe("open");

    emulator = await startEmulator({ port, persistFile: join(stateDir, "stripe.json") });
    const redelivered = await deliver(succeeded);
    expect(redelivered.status).toBe(200);
    expect(redelivered.json!.outcome).toBe("applied");
    expect((await invoiceOf(invoiceId)).status).toBe("paid");
  });
});
