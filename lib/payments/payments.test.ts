import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { createInvoice } from "@/lib/invoices/create-invoice";
import { finalizeInvoice } from "@/lib/invoices/finalize-invoice";
import { getInvoiceReceivable, getTrialBalance } from "@/lib/ledger/balances";
import { retrievePaymentIntent, type PaymentIntentWithCharge } from "@/lib/stripe/retrieve-payment-intent";
import { createTestOrganization, createTestPatient, testActor } from "@/tests/factories";
import { assertNoPatientDataSentToStripe, startTestStripe, type TestStripe } from "@/tests/stripe";
import { setupTestDatabase } from "@/tests/test-database";
import { applyPaymentIntent } from "./apply-payment-intent";
import { createPaymentAttempt } from "./create-payment-attempt";
import { reconcilePaymentAttempts } from "./reconcile-payment-attempts";
import { chargeSavedCard } from "./charge-saved-card";
import { getPaymentDetail } from "./get-payment-detail";
import { listPayments } from "./list-payments";
import { syncPaymentIntent } from "./sync-payment-intent";
import { claimStripeEvent } from "@/lib/webhooks/record-stripe-event";
import { recordConsent } from "@/lib/consent/record-consent";

const database = setupTestDatabase();
const actor = testActor();
let stripe: TestStripe;
const patients: { firstName: string; lastName: string; email: string | null }[] = [];

beforeAll(async () => {
  stripe = await startTestStripe();
});
afterAll(async () => {
  await assertNoPatientDataSentToStripe(stripe.emulator.url, patients, { secretKey: stripe.secretKey });
  await stripe.close();
});

async function openInvoice(total = 10_000) {
  const org = await createTestOrganization(database.db);
  const patient = await createTestPatient(database.db, { organizationId: org.organizationId, firstName: "Rosalind", email: "rosalind.franklin@example.test" });
  patients.push(patient);
  const draft = await createInvoice(database.db, {
    organizationId: org.organizationId,
    actor,
    input: { patientId: patient.id, lines: [{ description: "Visit", quantity: 1, unitAmount: total }] },
  });
  await finalizeInvoice(database.db, { organizationId: org.organizationId, invoiceId: draft.id, actor });
  return { organizationId: org.organizationId, invoiceId: draft.id };
}

const attempt = (organizationId: string, invoiceId: string, amount?: number, saveCard = false) =>
  createPaymentAttempt(database.db, { organizationId, invoiceId, amount, saveCard, stripe: stripe.stripe });

async function confirm(paymentIntentId: string, paymentMethod: string): Promise<void> {
  await stripe.stripe.paymentIntents.confirm(paymentIntentId, { payment_method: paymentMethod }).catch((error: Stripe.errors.StripeError) => {
    if (error.type !== "StripeCardError") throw error;
  });
}

/** A card on file for the patient, as if saved with their consent: a Stripe customer with the card attached, and our row. */
async function saveCardOnFile(organizationId: string, patientId: string, number: string) {
  const customer = await stripe.stripe.customers.create({ metadata: { organization_id: organizationId } });
  await database.db.patient.update({ where: { id: patientId }, data: { stripeCustomerId: customer.id } });
  const paymentMethod = await stripe.stripe.paymentMethods.create({ type: "card", card: { number, exp_month: 12, exp_year: 2034, cvc: "123" } });
  await stripe.stripe.paymentMethods.attach(paymentMethod.id, { customer: customer.id });
  const consent = await recordConsent(database.db, {
    organizationId,
    patientId,
    version: "card-on-file-2026-12",
    by: { kind: "patient_online" },
    ip: null,
    userAgent: null,
  });
  return database.db.savedPaymentMethod.create({
    data: {
      organizationId,
      patientId,
      stripePaymentMethodId: paymentMethod.id,
      brand: "visa",
      last4: number.slice(-4),
      expMonth: 12,
      expYear: 2034,
      consentedAt: new Date(),
      consentId: consent.id,
    },
  });
}

const snapshot = (paymentIntentId: string): Promise<PaymentIntentWithCharge> => retrievePaymentIntent(paymentIntentId, stripe.stripe);
const apply = (paymentIntent: PaymentIntentWithCharge) => database.db.$transaction((tx) => applyPaymentIntent(tx, paymentIntent));

describe("card payments", () => {
  it("a successful card payment pays the invoice and posts the payment and Stripe's fee", async () => {
    const { organizationId, invoiceId } = await openInvoice();
    const started = await attempt(organizationId, invoiceId);
    expect(started).toMatchObject({ amount: 10_000, currency: "USD", clientSecret: expect.stringMatching(/^pi_.+_secret_/) });
    await confirm(started.paymentIntent.id, "pm_card_visa");
    const result = await syncPaymentIntent(database.db, started.paymentIntent.id, stripe.stripe);
    expect(result).toMatchObject({ status: "succeeded", becameSucceeded: true });

    const invoice = await database.db.invoice.findUniqueOrThrow({ where: { id: invoiceId } });
    expect(invoice).toMatchObject({ status: "paid", amountPaid: 10_000, amountDue: 0 });
    const payment = await database.db.payment.findUniqueOrThrow({ where: { id: started.paymentId } });
    expect(payment).toMatchObject({
      status: "succeeded",
      amountReceived: 10_000,
      appliedAmount: 10_000,
      creditAmount: 0,
      feeAmount: 320,
      cardBrand: "visa",
      cardLast4: "4242",
    });
    const balances = Object.fromEntries((await getTrialBalance(database.db, organizationId)).map((row) => [row.code, row.balance]));
    expect(balances).toMatchObject({ "1010": 10_000 - 320, "1100": 0, "6100": 320 });
    const receipt = await database.db.email.findFirstOrThrow({ where: { invoiceId, kind: "receipt" } });
    expect(receipt).toMatchObject({ toAddress: "rosalind.franklin@example.test", status: "queued" });
    expect(receipt.text).toContain("$100.00");
    expect(receipt.text).toContain("paid in full");
  });

  it("the same outcome applied 100 times at once has one effect", async () => {
    const { organizationId, invoiceId } = await openInvoice();
    const started = await attempt(organizationId, invoiceId);
    await confirm(started.paymentIntent.id, "pm_card_visa");
    const succeeded = await snapshot(started.paymentIntent.id);
    const results = await Promise.all(Array.from({ length: 100 }, () => apply(succeeded)));
    expect(results.filter((result) => result?.becameSucceeded)).toHaveLength(1);
    expect(await database.db.journalEntry.count({ where: { sourceId: started.paymentId } })).toBe(2);
    expect(await getInvoiceReceivable(database.db, invoiceId)).toBe(0);
  });

  it("every order of a payment's states (created, declined, succeeded) ends the same way", async () => {
    const orders = [
      [0, 1, 2],
      [0, 2, 1],
      [1, 0, 2],
      [1, 2, 0],
      [2, 0, 1],
      [2, 1, 0],
    ];
    for (const order of orders) {
      const { organizationId, invoiceId } = await openInvoice();
      const started = await attempt(organizationId, invoiceId);
      const created = await snapshot(started.paymentIntent.id);
      await confirm(started.paymentIntent.id, "pm_card_chargeDeclined");
      const declined = await snapshot(started.paymentIntent.id);
      expect(declined.last_payment_error?.decline_code).toBe("generic_decline");
      await confirm(started.paymentIntent.id, "pm_card_visa");
      const succeeded = await snapshot(started.paymentIntent.id);
      const states = [created, declined, succeeded];
      for (const index of order) await apply(states[index]!);
      const payment = await database.db.payment.findUniqueOrThrow({ where: { id: started.paymentId } });
      expect(payment.status, `order ${order.join(",")}`).toBe("succeeded");
      const invoice = await database.db.invoice.findUniqueOrThrow({ where: { id: invoiceId } });
      expect(invoice.amountDue).toBe(0);
    }
  });

  it("a decline leaves the attempt failed with the reason, and the invoice open", async () => {
    const { organizationId, invoiceId } = await openInvoice();
    const started = await attempt(organizationId, invoiceId);
    await confirm(started.paymentIntent.id, "pm_card_chargeDeclinedInsufficientFunds");
    await syncPaymentIntent(database.db, started.paymentIntent.id, stripe.stripe);
    const payment = await database.db.payment.findUniqueOrThrow({ where: { id: started.paymentId } });
    expect(payment).toMatchObject({ status: "failed", failureCode: "insufficient_funds" });
    expect((await database.db.invoice.findUniqueOrThrow({ where: { id: invoiceId } })).status).toBe("open");
  });

  it("pays in parts: a partial payment leaves the rest due", async () => {
    const { organizationId, invoiceId } = await openInvoice();
    const part = await attempt(organizationId, invoiceId, 4_000);
    await confirm(part.paymentIntent.id, "pm_card_visa");
    await syncPaymentIntent(database.db, part.paymentIntent.id, stripe.stripe);
    expect(await database.db.invoice.findUniqueOrThrow({ where: { id: invoiceId } })).toMatchObject({
      status: "partially_paid",
      amountPaid: 4_000,
      amountDue: 6_000,
    });
    const rest = await attempt(organizationId, invoiceId);
    expect(rest.amount).toBe(6_000);
  });

  it("checks the amount against what is owed, counting attempts in flight", async () => {
    const { organizationId, invoiceId } = await openInvoice();
    const codeOf = (promise: Promise<unknown>) =>
      promise.then(
        () => "OK",
        (error: unknown) => (error instanceof AppError ? error.code : String(error)),
      );
    expect(await codeOf(attempt(organizationId, invoiceId, 10_001))).toBe("VALIDATION_FAILED");
    expect(await codeOf(attempt(organizationId, invoiceId, 49))).toBe("VALIDATION_FAILED");
    const threeDSecure = await attempt(organizationId, invoiceId, 7_000);
    await confirm(threeDSecure.paymentIntent.id, "pm_card_authenticationRequired");
    await syncPaymentIntent(database.db, threeDSecure.paymentIntent.id, stripe.stripe);
    expect((await database.db.payment.findUniqueOrThrow({ where: { id: threeDSecure.paymentId } })).status).toBe("requires_action");
    expect(await codeOf(attempt(organizationId, invoiceId, 3_001))).toBe("VALIDATION_FAILED");
    expect((await attempt(organizationId, invoiceId)).amount).toBe(3_000);
  });

  it("two cards completing at once never lose money: the excess is booked as credit and refunded to its card at once", async () => {
    const { organizationId, invoiceId } = await openInvoice();
    const invoice = await database.db.invoice.findUniqueOrThrow({ where: { id: invoiceId } });
    // The patient's pay-page attempt, and staff charging the card on file at the same time.
    const first = await attempt(organizationId, invoiceId);
    const card = await saveCardOnFile(organizationId, invoice.patientId, "4242424242424242");
    await confirm(first.paymentIntent.id, "pm_card_visa");
    await chargeSavedCard(database.db, { organizationId, actor, input: { invoiceId, savedPaymentMethodId: card.id }, stripe: stripe.stripe });
    await syncPaymentIntent(database.db, first.paymentIntent.id, stripe.stripe);
    const payments = await database.db.payment.findMany({ where: { invoiceId, status: "succeeded" } });
    const received = payments.reduce((sum, payment) => sum + payment.amountReceived, 0);
    const applied = payments.reduce((sum, payment) => sum + payment.appliedAmount, 0);
    const credit = payments.reduce((sum, payment) => sum + payment.creditAmount, 0);
    const refunded = payments.reduce((sum, payment) => sum + payment.amountRefunded, 0);
    expect({ received, applied, credit, refunded }).toEqual({ received: 20_000, applied: 10_000, credit: 10_000, refunded: 10_000 });
    const balances = Object.fromEntries((await getTrialBalance(database.db, organizationId)).map((row) => [row.code, row.balance]));
    expect(balances["2200"] ?? 0).toBe(0);
    expect((await database.db.invoice.findUniqueOrThrow({ where: { id: invoiceId } })).status).toBe("paid");
    const overpaid = payments.find((payment) => payment.creditAmount > 0)!;
    const refunds = await stripe.stripe.refunds.list({ payment_intent: overpaid.stripePaymentIntentId! });
    expect(refunds.data.map((refund) => refund.amount)).toEqual([10_000]);
  });

  it("refuses to start a payment on a paid or void invoice", async () => {
    const { organizationId, invoiceId } = await openInvoice();
    const started = await attempt(organizationId, invoiceId);
    await confirm(started.paymentIntent.id, "pm_card_visa");
    await syncPaymentIntent(database.db, started.paymentIntent.id, stripe.stripe);
    await expect(attempt(organizationId, invoiceId)).rejects.toMatchObject({ code: "CONFLICT", message: "This invoice is already paid." });
  });

  it("keeps a card the patient chose to save, and staff can charge it later without the patient", async () => {
    const { organizationId, invoiceId } = await openInvoice();
    const started = await attempt(organizationId, invoiceId, undefined, true);
    await confirm(started.paymentIntent.id, "pm_card_visa");
    await syncPaymentIntent(database.db, started.paymentIntent.id, stripe.stripe);
    const invoice = await database.db.invoice.findUniqueOrThrow({ where: { id: invoiceId } });
    const patient = await database.db.patient.findUniqueOrThrow({ where: { id: invoice.patientId } });
    expect(patient.stripeCustomerId).toMatch(/^cus_/);
    const cards = await database.db.savedPaymentMethod.findMany({ where: { patientId: patient.id } });
    expect(cards).toHaveLength(1);
    expect(cards[0]).toMatchObject({ brand: "visa", last4: "4242" });

    const next = await createInvoice(database.db, {
      organizationId,
      actor,
      input: { patientId: patient.id, lines: [{ description: "Follow-up", quantity: 1, unitAmount: 6_500 }] },
    });
    await finalizeInvoice(database.db, { organizationId, invoiceId: next.id, actor });
    const charged = await chargeSavedCard(database.db, {
      organizationId,
      actor,
      input: { invoiceId: next.id, savedPaymentMethodId: cards[0]!.id },
      stripe: stripe.stripe,
    });
    expect(charged).toMatchObject({ status: "succeeded", failureMessage: null });
    expect(await database.db.invoice.findUniqueOrThrow({ where: { id: next.id } })).toMatchObject({ status: "paid", amountDue: 0 });
  });

  it("a saved card that is declined off-session leaves a clear failed attempt and the invoice open", async () => {
    const { organizationId, invoiceId } = await openInvoice();
    const invoice = await database.db.invoice.findUniqueOrThrow({ where: { id: invoiceId } });
    const card = await saveCardOnFile(organizationId, invoice.patientId, "4000000000000341");
    const charged = await chargeSavedCard(database.db, { organizationId, actor, input: { invoiceId, savedPaymentMethodId: card.id }, stripe: stripe.stripe });
    expect(charged.status).toBe("failed");
    expect(charged.failureMessage).toEqual(expect.any(String));
    expect((await database.db.invoice.findUniqueOrThrow({ where: { id: invoiceId } })).status).toBe("open");
  });

  it("refuses to charge a saved card less than Stripe's smallest card payment, before calling Stripe", async () => {
    const { organizationId, invoiceId } = await openInvoice();
    const invoice = await database.db.invoice.findUniqueOrThrow({ where: { id: invoiceId } });
    const card = await database.db.savedPaymentMethod.create({
      data: {
        organizationId,
        patientId: invoice.patientId,
        stripePaymentMethodId: "pm_card_visa",
        brand: "visa",
        last4: "4242",
        expMonth: 12,
        expYear: 2034,
        consentedAt: new Date(),
        consentId: (
          await recordConsent(database.db, {
            organizationId,
            patientId: invoice.patientId,
            version: "card-on-file-2026-12",
            by: { kind: "patient_online" },
            ip: null,
            userAgent: null,
          })
        ).id,
      },
    });
    await expect(
      chargeSavedCard(database.db, { organizationId, actor, input: { invoiceId, savedPaymentMethodId: card.id, amount: 49 }, stripe: stripe.stripe }),
    ).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
      fields: { amount: ["Charge at least $0.50, or take the $0.49 at the desk."] },
    });
    expect(await database.db.payment.count({ where: { invoiceId } })).toBe(0);
  });

  it("cancels attempts abandoned for an hour, and syncs ones that finished meanwhile", async () => {
    const first = await openInvoice();
    const second = await openInvoice();
    const abandoned = await attempt(first.organizationId, first.invoiceId, 1_000);
    const finished = await attempt(second.organizationId, second.invoiceId, 2_000);
    await confirm(finished.paymentIntent.id, "pm_card_visa");
    const later = new Date(Date.now() + 61 * 60_000);
    const result = await reconcilePaymentAttempts(database.db, { stripe: stripe.stripe, now: later });
    expect(result.canceled).toBeGreaterThanOrEqual(1);
    expect((await database.db.payment.findUniqueOrThrow({ where: { id: abandoned.paymentId } })).status).toBe("canceled");
    expect((await database.db.payment.findUniqueOrThrow({ where: { id: finished.paymentId } })).status).toBe("succeeded");
    expect((await database.db.invoice.findUniqueOrThrow({ where: { id: second.invoiceId } })).amountPaid).toBe(2_000);
  });

  it("lists payments with filters and shows one with its timeline", async () => {
    const { organizationId, invoiceId } = await openInvoice();
    const started = await attempt(organizationId, invoiceId);
    await confirm(started.paymentIntent.id, "pm_card_visa");
    await syncPaymentIntent(database.db, started.paymentIntent.id, stripe.stripe);
    const invoice = await database.db.invoice.findUniqueOrThrow({ where: { id: invoiceId } });
    const listed = await listPayments(database.db, { organizationId, input: { status: "succeeded", invoiceNumber: invoice.number! } });
    expect(listed.data.map((payment) => payment.id)).toEqual([started.paymentId]);
    expect((await listPayments(database.db, { organizationId, input: { status: "failed" } })).data).toEqual([]);
    const detail = await getPaymentDetail(database.db, { organizationId, paymentId: started.paymentId });
    expect(detail.timeline.map((entry) => entry.title)).toEqual([
      "Patient started paying on the pay page",
      `Booked in the ledger: Card payment for ${invoice.number}`,
      `Booked in the ledger: Stripe fee for ${invoice.number}`,
    ]);
    expect(detail.display).toMatchObject({ key: "succeeded", label: "Succeeded", refunded: 0 });
    // A Stripe event applied to it reads in words; its type and id are kept as technical details.
    const event = {
      id: `evt_timeline_${started.paymentId.slice(0, 8)}`,
      type: "payment_intent.succeeded",
      created: Math.floor(Date.now() / 1000) + 60,
      data: { object: { id: started.paymentIntent.id } },
    };
    await database.db.$transaction((tx) => claimStripeEvent(tx, event as never));
    const withEvent = await getPaymentDetail(database.db, { organizationId, paymentId: started.paymentId });
    expect(withEvent.timeline.find((entry) => entry.id === `event:${event.id}`)).toMatchObject({
      title: "Card payment succeeded",
      technical: { eventType: "payment_intent.succeeded", eventId: event.id },
    });
    // Stripe dates events to the second: one from the attempt's own second still comes after it.
    const sameSecond = {
      ...event,
      id: `${event.id}_early`,
      type: "payment_intent.processing",
      created: Math.floor(withEvent.payment.createdAt.getTime() / 1000),
    };
    await database.db.$transaction((tx) => claimStripeEvent(tx, sameSecond as never));
    const ordered = await getPaymentDetail(database.db, { organizationId, paymentId: started.paymentId });
    expect(ordered.timeline.slice(0, 2).map((entry) => entry.title)).toEqual(["Patient started paying on the pay page", "Card payment processing"]);
    await expect(
      getPaymentDetail(database.db, { organizationId: (await createTestOrganization(database.db)).organizationId, paymentId: started.paymentId }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
