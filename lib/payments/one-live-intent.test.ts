/**
 * Issue 13, item 1: one live PaymentIntent per invoice, canceled the moment it is no longer
 * wanted, and money that still arrives beyond what was owed refunded automatically. Each test
 * runs the exact sequence an outside tester used (concurrent starts, two tabs, void or revoke
 * while an attempt is open, paid by other means), against the real emulator through the SDK.
 */
import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { voidInvoice } from "@/lib/invoices/void-invoice";
import { getTrialBalance } from "@/lib/ledger/balances";
import { createPaymentLink } from "@/lib/payment-links/create-payment-link";
import { revokePaymentLinks } from "@/lib/payment-links/revoke-payment-links";
import { confirmCard, createOpenInvoice } from "@/tests/card-payments";
import { startTestStripe, type TestStripe } from "@/tests/stripe";
import { setupTestDatabase } from "@/tests/test-database";
import { testActor } from "@/tests/factories";
import { retrievePaymentIntent } from "@/lib/stripe/retrieve-payment-intent";
import { applyPaymentIntent } from "./apply-payment-intent";
import { createPaymentAttempt } from "./create-payment-attempt";
import { recordManualPayment } from "./record-manual-payment";
import { reconcilePaymentAttempts } from "./reconcile-payment-attempts";
import { syncPaymentIntent } from "./sync-payment-intent";

const database = setupTestDatabase();
let stripe: TestStripe;

beforeAll(async () => {
  stripe = await startTestStripe();
});
afterAll(async () => {
  await stripe.close();
});

const attempt = (invoice: { organizationId: string; invoiceId: string }, options: { amount?: number; paymentLinkId?: string; saveCard?: boolean } = {}) =>
  createPaymentAttempt(database.db, { organizationId: invoice.organizationId, invoiceId: invoice.invoiceId, stripe: stripe.stripe, ...options });

/** Every PaymentIntent Stripe has for this invoice (our metadata carries its id). */
async function intentsAtStripe(invoiceId: string): Promise<Stripe.PaymentIntent[]> {
  const all = await stripe.stripe.paymentIntents.list({ limit: 100 });
  return all.data.filter((paymentIntent) => paymentIntent.metadata.invoice_id === invoiceId);
}

/** What Stripe collected for this invoice, less what it refunded (pending or succeeded). */
async function netAtStripe(invoiceId: string): Promise<{ collected: number; refunded: number }> {
  let collected = 0;
  let refunded = 0;
  for (const paymentIntent of await intentsAtStripe(invoiceId)) {
    collected += paymentIntent.amount_received;
    const refunds = await stripe.stripe.refunds.list({ payment_intent: paymentIntent.id, limit: 100 });
    refunded += refunds.data.filter((refund) => refund.status === "pending" || refund.status === "succeeded").reduce((sum, refund) => sum + refund.amount, 0);
  }
  return { collected, refunded };
}

describe("one live PaymentIntent per invoice", () => {
  it("ten concurrent starts on a $100.00 invoice share one PaymentIntent, and only $100.00 can be collected", async () => {
    const invoice = await createOpenInvoice(database.db, { unitAmount: 10_000 });
    const started = await Promise.all(Array.from({ length: 10 }, () => attempt(invoice)));
    expect(new Set(started.map((one) => one.paymentIntent.id)).size).toBe(1);
    expect(new Set(started.map((one) => one.paymentId)).size).toBe(1);
    expect(started.every((one) => one.amount === 10_000)).toBe(true);
    expect(await intentsAtStripe(invoice.invoiceId)).toHaveLength(1);
    expect(await database.db.payment.count({ where: { invoiceId: invoice.invoiceId } })).toBe(1);

    // Every tab confirms what it was given: the same intent, so one charge.
    await Promise.all(started.map((one) => confirmCard(stripe.stripe, one.paymentIntent.id, "pm_card_visa").catch(() => undefined)));
    await syncPaymentIntent(database.db, started[0]!.paymentIntent.id, stripe.stripe);
    expect(await netAtStripe(invoice.invoiceId)).toEqual({ collected: 10_000, refunded: 0 });
    expect(await database.db.invoice.findUniqueOrThrow({ where: { id: invoice.invoiceId } })).toMatchObject({ status: "paid", amountPaid: 10_000 });
    await expect(attempt(invoice)).rejects.toMatchObject({ code: "CONFLICT", message: "This invoice is already paid." });
  });

  it("a balance below Stripe's smallest card payment is not offered by card: a clear 409, and no intent (found by the interleaving property)", async () => {
    const invoice = await createOpenInvoice(database.db, { unitAmount: 10_000 });
    await recordManualPayment(database.db, {
      organizationId: invoice.organizationId,
      actor: testActor(),
      input: { patientId: invoice.patient.id, method: "cash", amount: 9_951, invoiceId: invoice.invoiceId },
      stripe: stripe.stripe,
    });
    await expect(attempt(invoice)).rejects.toMatchObject({
      code: "CONFLICT",
      message: "Only $0.49 is left to pay, less than the smallest card payment ($0.50). Please pay it at the clinic.",
    });
    expect(await intentsAtStripe(invoice.invoiceId)).toHaveLength(0);
  });

  it("a second tab asking for another amount updates the same intent instead of making another", async () => {
    const invoice = await createOpenInvoice(database.db, { unitAmount: 10_000 });
    const first = await attempt(invoice);
    const second = await attempt(invoice, { amount: 4_000 });
    expect(second.paymentIntent.id).toBe(first.paymentIntent.id);
    expect(second.amount).toBe(4_000);
    expect((await stripe.stripe.paymentIntents.retrieve(first.paymentIntent.id)).amount).toBe(4_000);
    expect((await database.db.payment.findUniqueOrThrow({ where: { id: first.paymentId } })).amount).toBe(4_000);
    // Saving the card later turns the same intent into one that keeps the card.
    const third = await attempt(invoice, { amount: 4_000, saveCard: true });
    expect(third.paymentIntent.id).toBe(first.paymentIntent.id);
    const atStripe = await stripe.stripe.paymentIntents.retrieve(first.paymentIntent.id);
    expect(atStripe.setup_future_usage).toBe("off_session");
    expect(atStripe.customer).toEqual(expect.stringMatching(/^cus_/));
  });

  it("a tab that confirmed meanwhile is recorded, and the next start asks only for the rest", async () => {
    const invoice = await createOpenInvoice(database.db, { unitAmount: 10_000 });
    const part = await attempt(invoice, { amount: 3_000 });
    await confirmCard(stripe.stripe, part.paymentIntent.id, "pm_card_visa");
    // No webhook yet: the next start finds the intent no longer waiting for a card.
    const rest = await attempt(invoice);
    expect(rest.paymentIntent.id).not.toBe(part.paymentIntent.id);
    expect(rest.amount).toBe(7_000);
    expect(await database.db.payment.findUniqueOrThrow({ where: { id: part.paymentId } })).toMatchObject({ status: "succeeded", amountReceived: 3_000 });
  });

  it("voiding the invoice while the patient's attempt is open cancels it at Stripe: confirming then takes no money", async () => {
    const invoice = await createOpenInvoice(database.db, { unitAmount: 10_000 });
    const open = await attempt(invoice);
    await voidInvoice(database.db, {
      organizationId: invoice.organizationId,
      invoiceId: invoice.invoiceId,
      actor: testActor(),
      input: { reason: "Billed in error" },
      stripe: stripe.stripe,
    });
    expect((await stripe.stripe.paymentIntents.retrieve(open.paymentIntent.id)).status).toBe("canceled");
    expect((await database.db.payment.findUniqueOrThrow({ where: { id: open.paymentId } })).status).toBe("canceled");
    await expect(stripe.stripe.paymentIntents.confirm(open.paymentIntent.id, { payment_method: "pm_card_visa" })).rejects.toMatchObject({
      code: "payment_intent_unexpected_state",
    });
    expect(await netAtStripe(invoice.invoiceId)).toEqual({ collected: 0, refunded: 0 });
  });

  it("a confirm that beats the void at Stripe is refunded in full automatically: a void invoice keeps no money", async () => {
    const invoice = await createOpenInvoice(database.db, { unitAmount: 10_000 });
    const open = await attempt(invoice);
    await confirmCard(stripe.stripe, open.paymentIntent.id, "pm_card_visa");
    // Staff void before any webhook told us about the payment.
    await voidInvoice(database.db, {
      organizationId: invoice.organizationId,
      invoiceId: invoice.invoiceId,
      actor: testActor(),
      input: { reason: "Billed in error" },
      stripe: stripe.stripe,
    });
    const payment = await database.db.payment.findUniqueOrThrow({ where: { id: open.paymentId } });
    expect(payment).toMatchObject({ status: "succeeded", amountReceived: 10_000, appliedAmount: 0, creditAmount: 10_000, amountRefunded: 10_000 });
    expect(await netAtStripe(invoice.invoiceId)).toEqual({ collected: 10_000, refunded: 10_000 });
    const refund = await database.db.refund.findFirstOrThrow({ where: { paymentId: open.paymentId } });
    expect(refund).toMatchObject({ amount: 10_000, fromCredit: 10_000, creditNoteId: null, stripeRefundId: expect.stringMatching(/^re_/) });
    expect(await database.db.invoice.findUniqueOrThrow({ where: { id: invoice.invoiceId } })).toMatchObject({ status: "void", amountPaid: 0 });
    const balances = Object.fromEntries((await getTrialBalance(database.db, invoice.organizationId)).map((row) => [row.code, row.balance]));
    expect(balances["2200"] ?? 0).toBe(0);
    expect(balances["1100"] ?? 0).toBe(0);
  });

  it("revoking the pay link cancels the attempt it started, at once", async () => {
    const invoice = await createOpenInvoice(database.db, { unitAmount: 10_000 });
    const link = await createPaymentLink(database.db, { organizationId: invoice.organizationId, invoiceId: invoice.invoiceId, actor: testActor() });
    const open = await attempt(invoice, { paymentLinkId: link.id });
    await revokePaymentLinks(database.db, { organizationId: invoice.organizationId, invoiceId: invoice.invoiceId, actor: testActor(), stripe: stripe.stripe });
    expect((await stripe.stripe.paymentIntents.retrieve(open.paymentIntent.id)).status).toBe("canceled");
    await expect(stripe.stripe.paymentIntents.confirm(open.paymentIntent.id, { payment_method: "pm_card_visa" })).rejects.toMatchObject({
      code: "payment_intent_unexpected_state",
    });
  });

  it("paid at the front desk while the patient's attempt is open: the attempt is canceled; a card that still got through is refunded", async () => {
    const invoice = await createOpenInvoice(database.db, { unitAmount: 10_000 });
    const open = await attempt(invoice);
    const cash = (amount: number) =>
      recordManualPayment(database.db, {
        organizationId: invoice.organizationId,
        actor: testActor(),
        input: { patientId: invoice.patient.id, method: "cash", amount, invoiceId: invoice.invoiceId },
        stripe: stripe.stripe,
      });
    // Part paid in cash: the open $100 attempt now asks for more than is owed, so it goes.
    await cash(2_500);
    expect((await stripe.stripe.paymentIntents.retrieve(open.paymentIntent.id)).status).toBe("canceled");
    // The next start asks for the rest; then the card is confirmed just before the rest is paid in cash.
    const rest = await attempt(invoice);
    expect(rest.amount).toBe(7_500);
    await confirmCard(stripe.stripe, rest.paymentIntent.id, "pm_card_visa");
    await cash(7_500);
    const payment = await database.db.payment.findUniqueOrThrow({ where: { id: rest.paymentId } });
    expect(payment).toMatchObject({ status: "succeeded", amountReceived: 7_500, appliedAmount: 0, amountRefunded: 7_500 });
    expect(await netAtStripe(invoice.invoiceId)).toEqual({ collected: 7_500, refunded: 7_500 });
    expect(await database.db.invoice.findUniqueOrThrow({ where: { id: invoice.invoiceId } })).toMatchObject({ status: "paid", amountPaid: 10_000 });
  });

  it("the janitor records a payment that succeeded while the app was down within minutes, and cancels attempts left for an hour", async () => {
    const crashed = await createOpenInvoice(database.db, { unitAmount: 10_000 });
    const finished = await attempt(crashed);
    await confirmCard(stripe.stripe, finished.paymentIntent.id, "pm_card_visa");
    const abandonedInvoice = await createOpenInvoice(database.db, { unitAmount: 5_000 });
    const abandoned = await attempt(abandonedInvoice);

    // One minute on: too early to ask Stripe about anything.
    await reconcilePaymentAttempts(database.db, { stripe: stripe.stripe, now: new Date(Date.now() + 60_000) });
    expect((await database.db.payment.findUniqueOrThrow({ where: { id: finished.paymentId } })).status).toBe("requires_payment_method");
    // Three minutes on: the success is recorded (no webhook came), the other attempt is still the patient's.
    await reconcilePaymentAttempts(database.db, { stripe: stripe.stripe, now: new Date(Date.now() + 3 * 60_000) });
    expect(await database.db.invoice.findUniqueOrThrow({ where: { id: crashed.invoiceId } })).toMatchObject({ status: "paid", amountPaid: 10_000 });
    expect((await database.db.payment.findUniqueOrThrow({ where: { id: abandoned.paymentId } })).status).toBe("requires_payment_method");
    // An hour on: the untouched attempt is canceled at Stripe.
    await reconcilePaymentAttempts(database.db, { stripe: stripe.stripe, now: new Date(Date.now() + 61 * 60_000) });
    expect((await database.db.payment.findUniqueOrThrow({ where: { id: abandoned.paymentId } })).status).toBe("canceled");
    expect((await stripe.stripe.paymentIntents.retrieve(abandoned.paymentIntent.id)).status).toBe("canceled");
  });

  it("the janitor sends an automatic refund that was booked but never reached Stripe", async () => {
    const invoice = await createOpenInvoice(database.db, { unitAmount: 10_000 });
    const open = await attempt(invoice);
    await confirmCard(stripe.stripe, open.paymentIntent.id, "pm_card_visa");
    // Paid in cash while Stripe cannot be reached: the card attempt cannot be canceled now.
    const unreachable = await startTestStripe();
    await unreachable.close();
    await recordManualPayment(database.db, {
      organizationId: invoice.organizationId,
      actor: testActor(),
      input: { patientId: invoice.patient.id, method: "cash", amount: 10_000, invoiceId: invoice.invoiceId },
      stripe: unreachable.stripe,
    });
    // The card's success is recorded and its refund booked, then the app stops before sending it.
    const succeeded = await retrievePaymentIntent(open.paymentIntent.id, stripe.stripe);
    await database.db.$transaction((tx) => applyPaymentIntent(tx, succeeded));
    const booked = await database.db.refund.findFirstOrThrow({ where: { paymentId: open.paymentId } });
    expect(booked).toMatchObject({ status: "pending", stripeRefundId: null, amount: 10_000 });
    expect(await netAtStripe(invoice.invoiceId)).toEqual({ collected: 10_000, refunded: 0 });

    const result = await reconcilePaymentAttempts(database.db, { stripe: stripe.stripe, now: new Date(Date.now() + 3 * 60_000) });
    expect(result.refundsSent).toBe(1);
    expect((await database.db.refund.findUniqueOrThrow({ where: { id: booked.id } })).stripeRefundId).toMatch(/^re_/);
    expect(await netAtStripe(invoice.invoiceId)).toEqual({ collected: 10_000, refunded: 10_000 });
    // Running it again sends nothing twice.
    await reconcilePaymentAttempts(database.db, { stripe: stripe.stripe, now: new Date(Date.now() + 6 * 60_000) });
    expect(await netAtStripe(invoice.invoiceId)).toEqual({ collected: 10_000, refunded: 10_000 });
  });
});
