import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { createPaymentIntent } from "./create-payment-intent";
import { idempotencyKey } from "./idempotency-key";
import { readStripeMetadata, toStripeMetadata, ZStripeMetadata } from "./metadata";

const organizationId = randomUUID();
const invoiceId = randomUUID();
const paymentId = randomUUID();

describe("Stripe metadata guard", () => {
  it("turns our ids into Stripe's snake_case metadata and reads them back", () => {
    const metadata = toStripeMetadata({ organizationId, invoiceId, paymentId });
    expect(metadata).toEqual({ organization_id: organizationId, invoice_id: invoiceId, payment_id: paymentId });
    expect(readStripeMetadata(metadata)).toEqual({ organizationId, invoiceId, paymentId });
  });

  it.each([
    ["a patient's name under an unknown key", { organizationId, patientName: "Maria Gonzalez" }],
    ["an email under an unknown key", { organizationId, email: "maria@example.com" }],
    ["a birth date under an unknown key", { organizationId, dateOfBirth: "1984-03-07" }],
    ["a name where an id belongs", { organizationId, patientId: "Maria Gonzalez" }],
    ["a phone number where an id belongs", { organizationId, invoiceId: "+1 555 010 7788" }],
    ["an MRN where an id belongs", { organizationId, patientId: "MRN-0042" }],
    ["a missing organization", { invoiceId }],
    ["a number", { organizationId, paymentId: 42 }],
  ])("refuses %s", (_label, input) => {
    expect(() => toStripeMetadata(input as never)).toThrow(ZodError);
    expect(ZStripeMetadata.safeParse(input).success).toBe(false);
  });

  it("ignores metadata Carebill did not write", () => {
    expect(readStripeMetadata(null)).toBeNull();
    expect(readStripeMetadata({ order: "42" })).toBeNull();
    expect(readStripeMetadata({ organization_id: "not-a-uuid" })).toBeNull();
  });

  it("makes the helpers refuse patient data before anything is sent", async () => {
    const offline = new Proxy(
      {},
      {
        get: () => {
          throw new Error("no request may be made");
        },
      },
    );
    await expect(
      createPaymentIntent(
        // @ts-expect-error -- the options type has no place for a patient's name
        { metadata: { organizationId, paymentId, patientName: "Maria Gonzalez" }, amount: 5000, currency: "usd" },
        offline as never,
      ),
    ).rejects.toThrow(ZodError);
    await expect(
      createPaymentIntent(
        // @ts-expect-error -- nor for a description, which Stripe shows on receipts and in the Dashboard
        { metadata: { organizationId, paymentId }, amount: 5000, currency: "usd", description: "Visit for Maria Gonzalez" },
        offline as never,
      ),
    ).rejects.toThrow(ZodError);
  });
});

describe("idempotency keys", () => {
  it("are derived from our record id and the action, and are stable", () => {
    const key = idempotencyKey("payment", paymentId, "create-payment-intent");
    expect(key).toBe(`carebill:payment:${paymentId}:create-payment-intent`);
    expect(idempotencyKey("payment", paymentId, "create-payment-intent")).toBe(key);
    expect(idempotencyKey("payment", paymentId, "capture-payment-intent")).not.toBe(key);
  });

  it("refuse anything but a uuid and a kebab-case action", () => {
    expect(() => idempotencyKey("payment", "maria@example.com", "create")).toThrow(ZodError);
    expect(() => idempotencyKey("payment", paymentId, "Create Payment")).toThrow(ZodError);
  });
});
