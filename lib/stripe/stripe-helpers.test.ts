import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EnvError } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { startTestStripe, type TestStripe } from "@/tests/stripe";
import { cancelPaymentIntent } from "./cancel-payment-intent";
import { capturePaymentIntent } from "./capture-payment-intent";
import { constructWebhookEvent } from "./construct-webhook-event";
import { createCustomer } from "./create-customer";
import { createPaymentIntent } from "./create-payment-intent";
import { createRefund } from "./create-refund";
import { createSetupIntent } from "./create-setup-intent";
import { idempotencyKey } from "./idempotency-key";
import { readStripeMetadata } from "./metadata";
import { retrievePaymentIntent } from "./retrieve-payment-intent";

const WEBHOOK_SECRET = `whsec_${randomUUID().replace(/-/g, "")}`;
const organizationId = randomUUID();
const invoiceId = randomUUID();

let test: TestStripe;
let stripe: Stripe;
const deliveries: { body: string; signature: string | null }[] = [];
const receiver = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", () => {
    const signature = request.headers["stripe-signature"];
    deliveries.push({ body: Buffer.concat(chunks).toString("utf8"), signature: typeof signature === "string" ? signature : null });
    response.writeHead(200).end();
  });
});

beforeAll(async () => {
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/api/webhooks/stripe`;
  test = await startTestStripe({ webhook: { url, secret: WEBHOOK_SECRET } });
  stripe = test.stripe;
});
afterAll(async () => {
  await test.close();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});

/** What the browser does with the client secret (Stripe.js / the stand-in), done here with the server key. */
async function payInBrowser(paymentIntentId: string, paymentMethod = "pm_card_visa") {
  return stripe.paymentIntents.confirm(paymentIntentId, { payment_method: paymentMethod });
}

describe("lib/stripe against the emulator", () => {
  it("creates a card PaymentIntent once per payment row, with ids only and the fee known on success", async () => {
    const paymentId = randomUUID();
    const options = { metadata: { organizationId, invoiceId, paymentId }, amount: 5000, currency: "usd" };
    const created = await createPaymentIntent(options, stripe);
    expect(created).toMatchObject({
      amount: 5000,
      currency: "usd",
      status: "requires_payment_method",
      capture_method: "automatic",
      automatic_payment_methods: null,
      description: null,
      receipt_email: null,
      metadata: { organization_id: organizationId, invoice_id: invoiceId, payment_id: paymentId },
    });
    expect(created.client_secret).toMatch(/^pi_.+_secret_/);
    expect((await createPaymentIntent(options, stripe)).id).toBe(created.id);
    await expect(createPaymentIntent({ ...options, amount: 6000 }, stripe)).rejects.toBeInstanceOf(Stripe.errors.StripeIdempotencyError);

    await payInBrowser(created.id);
    const paid = await retrievePaymentIntent(created.id, stripe);
    expect(paid.status).toBe("succeeded");
    // Stripe's US card fee, 2.9% + 30¢, known at once because capture is synchronous.
    expect(paid.latest_charge?.balance_transaction).toMatchObject({ amount: 5000, fee: 175, net: 4825 });
    expect(readStripeMetadata(paid.metadata)).toEqual({ organizationId, invoiceId, paymentId });
  });

  it("authorizes, captures part, and books the fee on what was captured", async () => {
    const paymentId = randomUUID();
    const created = await createPaymentIntent({ metadata: { organizationId, paymentId }, amount: 10_000, currency: "usd", captureMethod: "manual" }, stripe);
    expect((await payInBrowser(created.id)).status).toBe("requires_capture");
    const captured = await capturePaymentIntent({ paymentId, paymentIntentId: created.id, amountToCapture: 8000 }, stripe);
    expect(captured.status).toBe("succeeded");
    expect(captured.amount_received).toBe(8000);
    expect(captured.latest_charge?.balance_transaction).toMatchObject({ amount: 8000, fee: 262 });
    expect((await capturePaymentIntent({ paymentId, paymentIntentId: created.id, amountToCapture: 8000 }, stripe)).id).toBe(created.id);
  });

  it("cancels an abandoned attempt", async () => {
    const paymentId = randomUUID();
    const created = await createPaymentIntent({ metadata: { organizationId, paymentId }, amount: 2500, currency: "usd" }, stripe);
    const canceled = await cancelPaymentIntent({ paymentId, paymentIntentId: created.id }, stripe);
    expect(canceled).toMatchObject({ status: "canceled", cancellation_reason: "abandoned" });
  });

  it("refunds part of a payment once per refund row", async () => {
    const paymentId = randomUUID();
    const refundId = randomUUID();
    const created = await createPaymentIntent({ metadata: { organizationId, invoiceId, paymentId }, amount: 4000, currency: "usd" }, stripe);
    await payInBrowser(created.id);
    const options = {
      metadata: { organizationId, invoiceId, paymentId, refundId },
      paymentIntentId: created.id,
      amount: 1500,
      reason: "requested_by_customer" as const,
    };
    const refund = await createRefund(options, stripe);
    expect(refund).toMatchObject({ amount: 1500, status: "succeeded", payment_intent: created.id, metadata: { refund_id: refundId } });
    expect(refund.balance_transaction).toMatchObject({ type: "refund", amount: -1500 });
    expect((await createRefund(options, stripe)).id).toBe(refund.id);
    await expect(createRefund({ ...options, metadata: { ...options.metadata, refundId: randomUUID() }, amount: 3000 }, stripe)).rejects.toMatchObject({
      code: "amount_too_large",
    });
  });

  it("saves a card on an anonymous customer and charges it off-session", async () => {
    const patientId = randomUUID();
    const customer = await createCustomer({ organizationId, patientId }, stripe);
    expect(customer).toMatchObject({
      name: null,
      email: null,
      phone: null,
      address: null,
      metadata: { organization_id: organizationId, patient_id: patientId },
    });
    expect((await createCustomer({ organizationId, patientId }, stripe)).id).toBe(customer.id);

    const planId = randomUUID();
    const setup = await createSetupIntent(
      {
        customerId: customer.id,
        metadata: { organizationId, patientId, paymentPlanId: planId },
        idempotencyKey: idempotencyKey("payment-plan", planId, "create-setup-intent"),
      },
      stripe,
    );
    expect(setup).toMatchObject({ usage: "off_session", customer: customer.id, status: "requires_payment_method" });
    const confirmed = await stripe.setupIntents.confirm(setup.id, { payment_method: "pm_card_visa" });
    expect(confirmed.status).toBe("succeeded");
    const paymentMethodId = typeof confirmed.payment_method === "string" ? confirmed.payment_method : (confirmed.payment_method?.id ?? "");

    const paymentId = randomUUID();
    const charged = await createPaymentIntent(
      {
        metadata: { organizationId, patientId, paymentId },
        amount: 3000,
        currency: "usd",
        customerId: customer.id,
        offSessionPaymentMethodId: paymentMethodId,
      },
      stripe,
    );
    expect(charged.status).toBe("succeeded");
    expect(charged.latest_charge?.balance_transaction?.fee).toBe(117);
  });

  it("reports an off-session decline as a card error", async () => {
    const customer = await createCustomer({ organizationId, patientId: randomUUID() }, stripe);
    const paymentMethod = await stripe.paymentMethods.attach("pm_card_chargeCustomerFail", { customer: customer.id });
    const error = await createPaymentIntent(
      {
        metadata: { organizationId, paymentId: randomUUID() },
        amount: 3000,
        currency: "usd",
        customerId: customer.id,
        offSessionPaymentMethodId: paymentMethod.id,
      },
      stripe,
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(error).toMatchObject({ code: "card_declined", decline_code: "generic_decline" });
  });

  it("accepts the emulator's signed webhooks and refuses tampered or unsigned ones", async () => {
    const paymentId = randomUUID();
    const created = await createPaymentIntent({ metadata: { organizationId, paymentId }, amount: 1200, currency: "usd" }, stripe);
    await payInBrowser(created.id);
    const isSucceeded = (delivery: { body: string }) => delivery.body.includes('"payment_intent.succeeded"') && delivery.body.includes(created.id);
    await expect.poll(() => deliveries.some(isSucceeded), { timeout: 10_000 }).toBe(true);
    const delivery = deliveries.find(isSucceeded);
    if (!delivery) throw new Error("unreachable: polled above");

    const event = constructWebhookEvent(delivery.body, delivery.signature, WEBHOOK_SECRET);
    expect(event.type).toBe("payment_intent.succeeded");
    expect((event.data.object as Stripe.PaymentIntent).id).toBe(created.id);

    const refusal = (body: string, signature: string | null) => {
      try {
        constructWebhookEvent(body, signature, WEBHOOK_SECRET);
      } catch (error) {
        return error;
      }
      throw new Error("expected a refusal");
    };
    const tampered = delivery.body.replace(/"amount": 1200/g, '"amount": 1');
    expect(tampered).not.toBe(delivery.body);
    expect(refusal(tampered, delivery.signature)).toMatchObject({ code: "BAD_REQUEST" });
    expect(refusal(delivery.body, null)).toBeInstanceOf(AppError);
    expect(() => constructWebhookEvent(delivery.body, delivery.signature, `whsec_${"0".repeat(32)}`)).toThrow(AppError);
    expect(() => constructWebhookEvent(delivery.body, delivery.signature, undefined)).toThrow(EnvError);
  });
});
