import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInvoice } from "@/lib/invoices/create-invoice";
import { finalizeInvoice } from "@/lib/invoices/finalize-invoice";
import { checkLedger } from "@/lib/ledger/balances";
import { createPaymentLink } from "@/lib/payment-links/create-payment-link";
import { syncPaymentIntent } from "@/lib/payments/sync-payment-intent";
import { callRoute } from "@/tests/api-client";
import { createTestOrganization, createTestPatient, testActor } from "@/tests/factories";
import { assertNoPatientDataSentToStripe, startTestStripe, type TestStripe } from "@/tests/stripe";
import { setupTestDatabase } from "@/tests/test-database";
import { POST as startPayment } from "./route";

const database = setupTestDatabase();
const actor = testActor();
let stripe: TestStripe;
const patients: { firstName: string; lastName: string; email: string | null }[] = [];

beforeAll(async () => {
  stripe = await startTestStripe();
  process.env.STRIPE_SECRET_KEY = stripe.secretKey;
  process.env.STRIPE_PUBLISHABLE_KEY = stripe.publishableKey;
  process.env.STRIPE_EMULATOR_URL = stripe.emulator.url;
});
afterAll(async () => {
  await assertNoPatientDataSentToStripe(stripe.emulator.url, patients, { secretKey: stripe.secretKey });
  await stripe.close();
});

async function linkedInvoice(total: number) {
  const org = await createTestOrganization(database.db);
  const patient = await createTestPatient(database.db, { organizationId: org.organizationId, firstName: "Grace", email: "grace.hopper@example.test" });
  patients.push(patient);
  const draft = await createInvoice(database.db, {
    organizationId: org.organizationId,
    actor,
    input: { patientId: patient.id, lines: [{ description: "Visit", quantity: 1, unitAmount: total }] },
  });
  await finalizeInvoice(database.db, { organizationId: org.organizationId, invoiceId: draft.id, actor });
  const link = await createPaymentLink(database.db, { organizationId: org.organizationId, invoiceId: draft.id, actor });
  return { invoiceId: draft.id, token: link.url.split("/pay/")[1]! };
}

const start = (token: string, body: unknown, ip = "203.0.113.7") =>
  callRoute(startPayment, { method: "POST", path: `/api/pay/${token}/payments`, params: { token }, body, headers: { "x-forwarded-for": ip } });

describe("POST /api/pay/{token}/payments", () => {
  it("20 concurrent attempts on one invoice share one PaymentIntent and never collect more than its balance", async () => {
    const { invoiceId, token } = await linkedInvoice(15_000);
    const responses = await Promise.all(Array.from({ length: 20 }, (_, index) => start(token, { amount: 5_000 + index * 100 }, `203.0.113.${index}`)));
    const created = responses.filter((response) => response.status === 201);
    expect(created.length).toBeGreaterThan(0);
    expect(responses.every((response) => response.status === 201 || response.status === 409 || response.status === 422)).toBe(true);

    const intents = [...new Set(created.map((response) => (response.json!.clientSecret as string).split("_secret_")[0]!))];
    // One live intent per invoice: every tab got the same one (its amount updated by the last of them).
    expect(intents).toHaveLength(1);
    await Promise.all(intents.map((id) => stripe.stripe.paymentIntents.confirm(id, { payment_method: "pm_card_visa" })));
    await Promise.all(intents.map((id) => syncPaymentIntent(database.db, id, stripe.stripe)));

    const invoice = await database.db.invoice.findUniqueOrThrow({ where: { id: invoiceId } });
    const payments = await database.db.payment.findMany({ where: { invoiceId, status: "succeeded" } });
    const collected = payments.reduce((sum, payment) => sum + payment.amountReceived, 0);
    const credit = payments.reduce((sum, payment) => sum + payment.creditAmount, 0);
    expect(credit).toBe(0);
    expect(collected).toBeLessThanOrEqual(15_000);
    expect(invoice.amountPaid + invoice.amountDue).toBe(15_000);
    expect(await checkLedger(database.db)).toEqual({
      unbalancedCurrencies: [],
      invoiceMismatches: [],
      patientCreditMismatches: [],
      allocationMismatches: [],
      claimMismatches: [],
    });
  });

  it("answers a bad link with 404 and a bad amount with 422, writing nothing", async () => {
    const { invoiceId, token } = await linkedInvoice(8_000);
    expect((await start(`${token}x`, {})).status).toBe(404);
    const tooMuch = await start(token, { amount: 8_001 });
    expect(tooMuch.status).toBe(422);
    expect(Object.keys(tooMuch.json!.error!.fields!)).toEqual(["amount"]);
    expect((await start(token, { amount: 12.5 })).status).toBe(422);
    expect(await database.db.payment.count({ where: { invoiceId } })).toBe(0);
    const ok = await start(token, {});
    expect(ok.status).toBe(201);
    expect(ok.json).toMatchObject({ amount: 8_000, currency: "USD", publishableKey: stripe.publishableKey });
  });

  it("limits attempts per link", async () => {
    const { token } = await linkedInvoice(8_000);
    const statuses: number[] = [];
    for (let index = 0; index < 32; index++) statuses.push((await start(token, { amount: 60 }, `198.51.100.${index}`)).status);
    expect(statuses.slice(0, 30).every((status) => status === 201)).toBe(true);
    expect(statuses.slice(30)).toEqual([429, 429]);
  });
});
