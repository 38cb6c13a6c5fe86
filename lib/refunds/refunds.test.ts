import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { AppError } from "@/lib/errors";
import { getInvoiceReceivable, getTrialBalance } from "@/lib/ledger/balances";
import { createStripeClient } from "@/lib/stripe/get-stripe";
import { createRefund } from "@/lib/stripe/create-refund";
import { processStripeEvent } from "@/lib/webhooks/process-stripe-event";
import { confirmCard, createOpenInvoice, createPaidInvoice, payByCard } from "@/tests/card-payments";
import { createTestOrganization, testActor } from "@/tests/factories";
import { assertNoPatientDataSentToStripe, startTestStripe, type TestStripe } from "@/tests/stripe";
import { setupTestDatabase } from "@/tests/test-database";
import { createPaymentAttempt } from "@/lib/payments/create-payment-attempt";
import { recordManualPayment } from "@/lib/payments/record-manual-payment";
import { syncPaymentIntent } from "@/lib/payments/sync-payment-intent";
import { getPaymentRefunds, listRefunds } from "./list-refunds";
import { requestRefund } from "./request-refund";
import { submitRefund } from "./submit-refund";

const database = setupTestDatabase();
const actor = testActor();
let stripe: TestStripe;
const patients: { firstName: string; lastName: string; email: string | null }[] = [];

beforeAll(async () => {
  // Card refunds succeed in Stripe's answer; only the asynchronous test cards (7726: pending, then
  // succeeded; 5126: succeeded, then failed) change later, here 100 ms later (Stripe: seconds to days).
  stripe = await startTestStripe({ asyncDelayMs: 100 });
});
afterAll(async () => {
  await assertNoPatientDataSentToStripe(stripe.emulator.url, patients, { secretKey: stripe.secretKey });
  await stripe.close();
});

async function paid(options: { unitAmount?: number; taxRate?: number; card?: string } = {}) {
  const result = await createPaidInvoice(database.db, stripe.stripe, options);
  patients.push(result.patient);
  return result;
}

const refund = (organizationId: string, paymentId: string, input: Parameters<typeof requestRefund>[1]["input"] = {}, client: Stripe = stripe.stripe) =>
  requestRefund(database.db, { organizationId, paymentId, actor, input, stripe: client });

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => "OK",
    (error: unknown) => (error instanceof AppError ? error.code : error instanceof ZodError ? "ZOD" : String(error)),
  );

async function balances(organizationId: string) {
  return Object.fromEntries((await getTrialBalance(database.db, organizationId)).map((row) => [row.code, row.balance]));
}

/** Every refund event Stripe emitted about this payment's refunds, oldest first. */
async function refundEvents(paymentIntentId: string): Promise<Stripe.Event[]> {
  const events = await stripe.stripe.events.list({
    limit: 100,
    types: ["refund.created", "refund.updated", "refund.failed", "charge.refunded", "charge.refund.updated"],
  });
  return events.data.filter((event) => (event.data.object as { payment_intent?: string }).payment_intent === paymentIntentId).reverse();
}

/**
 * Waits until every Stripe refund of the payment has `status` (default: no longer pending); the
 * emulator's clock runs in real time.
 */
async function waitForSettlement(paymentIntentId: string, status?: Stripe.Refund["status"]) {
  const settled = (entry: Stripe.Refund) => (status === undefined ? entry.status !== "pending" : entry.status === status);
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const refunds = await stripe.stripe.refunds.list({ payment_intent: paymentIntentId, limit: 100 });
    if (refunds.data.length > 0 && refunds.data.every(settled)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`refunds did not reach ${status ?? "a final status"}`);
}

async function deliverAll(events: Stripe.Event[]) {
  const outcomes = [];
  for (const event of events) outcomes.push(await processStripeEvent(database.db, event, stripe.stripe));
  return outcomes;
}

describe("refunds", () => {
  it("a partial refund (credit note mode) books a credit note and the refund, keeps the invoice settled, and succeeds in Stripe's answer (no later update)", async () => {
    const { organizationId, invoiceId, paymentId, paymentIntentId } = await paid({ unitAmount: 10_000, taxRate: 8.25 });
    const before = await balances(organizationId);
    const { refund: created, stripeUnreachable } = await refund(organizationId, paymentId, { amount: 5_000, reason: "requested_by_customer" });
    expect(stripeUnreachable).toBe(false);
    // Stripe's common path for a card: the refund is `succeeded` when the create call returns.
    expect(created).toMatchObject({
      amount: 5_000,
      fromCredit: 0,
      mode: "credit_note",
      status: "succeeded",
      succeededAt: expect.any(String),
      stripeRefundId: expect.stringMatching(/^re_/),
      creditNote: { number: "CN-00001" },
    });

    const creditNote = await database.db.creditNote.findUniqueOrThrow({ where: { id: created.creditNote!.id } });
    // Tax share: 5000 × 825 / 10825 = 381.06 → 381.
    expect(creditNote).toMatchObject({ amount: 5_000, taxAmount: 381, disposition: "refund", status: "issued" });
    expect(await database.db.invoice.findUniqueOrThrow({ where: { id: invoiceId } })).toMatchObject({
      status: "paid",
      amountPaid: 10_825,
      amountDue: 0,
      amountCredited: 0,
    });
    expect((await database.db.payment.findUniqueOrThrow({ where: { id: paymentId } })).amountRefunded).toBe(5_000);
    const after = await balances(organizationId);
    expect(after["1010"]! - before["1010"]!).toBe(-5_000);
    expect(after["4910"]).toBe(4_619);
    expect(after["2100"]! - before["2100"]!).toBe(381);
    expect(after["2200"] ?? 0).toBe(0);

    const stripeRefund = await stripe.stripe.refunds.retrieve(created.stripeRefundId!);
    expect(stripeRefund).toMatchObject({
      amount: 5_000,
      status: "succeeded",
      reason: "requested_by_customer",
      metadata: { refund_id: created.id, payment_id: paymentId, organization_id: organizationId },
    });

    // Only refund.created and charge.refunded follow; applying them changes nothing.
    const events = await refundEvents(paymentIntentId);
    expect(events.map((event) => event.type).sort()).toEqual(["charge.refunded", "refund.created"]);
    expect(await deliverAll(events)).toEqual(["applied", "applied"]);
    const [settled] = await listRefunds(database.db, { organizationId, paymentId });
    expect(settled).toMatchObject({ status: "succeeded", succeededAt: created.succeededAt });
    expect(await balances(organizationId)).toEqual(after);
    expect(await database.db.auditEvent.count({ where: { targetId: created.id, action: { in: ["refund.requested", "refund.succeeded"] } } })).toBe(2);
  });

  it("a refund Stripe answers pending (test card 7726) stays pending until refund.updated says it succeeded", async () => {
    const { organizationId, paymentId, paymentIntentId } = await paid({ card: "pm_card_pendingRefund" });
    const before = await balances(organizationId);
    const { refund: created } = await refund(organizationId, paymentId, { amount: 3_000, reason: "requested_by_customer" });
    expect(created).toMatchObject({ status: "pending", succeededAt: null, stripeRefundId: expect.stringMatching(/^re_/) });
    const booked = await balances(organizationId);
    expect(booked["1010"]! - before["1010"]!).toBe(-3_000);

    await waitForSettlement(paymentIntentId, "succeeded");
    const events = await refundEvents(paymentIntentId);
    expect(events.map((event) => event.type)).toEqual(expect.arrayContaining(["refund.created", "charge.refunded", "refund.updated", "charge.refund.updated"]));
    const updated = events.find((event) => event.type === "refund.updated")!;
    expect(await processStripeEvent(database.db, updated, stripe.stripe)).toBe("applied");
    const [settled] = await listRefunds(database.db, { organizationId, paymentId });
    expect(settled).toMatchObject({ id: created.id, status: "succeeded", succeededAt: expect.any(String) });
    // Nothing more is booked when it succeeds: the refund was booked when requested.
    expect(await balances(organizationId)).toEqual(booked);
    expect(await deliverAll(events)).not.toContain("failed");
    expect(await database.db.auditEvent.count({ where: { targetId: created.id, action: "refund.succeeded" } })).toBe(1);
  });

  it("refunds everything left when no amount is given, and then nothing more", async () => {
    const { organizationId, paymentId } = await paid();
    await refund(organizationId, paymentId, { amount: 2_000 });
    const { refund: rest } = await refund(organizationId, paymentId, { reason: "duplicate" });
    expect(rest.amount).toBe(10_000);
    const payment = await database.db.payment.findUniqueOrThrow({ where: { id: paymentId } });
    expect(payment.amountRefunded).toBe(12_000);
    await expect(refund(organizationId, paymentId, { amount: 1 })).rejects.toMatchObject({
      code: "CONFLICT",
      message: "This payment has already been refunded in full.",
    });
    const credited = await database.db.creditNote.aggregate({ where: { invoiceId: payment.invoiceId!, status: "issued" }, _sum: { amount: true } });
    expect(credited._sum.amount).toBe(12_000);
  });

  it("reopen_balance puts the refunded part back on what the invoice owes", async () => {
    const { organizationId, invoiceId, paymentId } = await paid();
    const { refund: created } = await refund(organizationId, paymentId, {
      amount: 3_000,
      mode: "reopen_balance",
      reason: "other",
      note: "Applied to the wrong invoice",
    });
    expect(created).toMatchObject({ mode: "reopen_balance", creditNote: null, note: "Applied to the wrong invoice" });
    expect(await database.db.invoice.findUniqueOrThrow({ where: { id: invoiceId } })).toMatchObject({
      status: "partially_paid",
      amountPaid: 9_000,
      amountDue: 3_000,
    });
    expect(await getInvoiceReceivable(database.db, invoiceId)).toBe(3_000);
    const stripeRefund = await stripe.stripe.refunds.retrieve(created.stripeRefundId!);
    expect(stripeRefund.reason).toBeNull();

    const { refund: all } = await refund(organizationId, paymentId, { mode: "reopen_balance" });
    expect(all.amount).toBe(9_000);
    expect(await database.db.invoice.findUniqueOrThrow({ where: { id: invoiceId } })).toMatchObject({ status: "open", amountPaid: 0, amountDue: 12_000 });
  });

  it("refuses bad input and impossible refunds, writing nothing", async () => {
    const { organizationId, invoiceId, paymentId } = await paid();
    const other = await createTestOrganization(database.db);
    const counts = async () => [
      await database.db.refund.count(),
      await database.db.journalEntry.count(),
      await database.db.creditNote.count(),
      (await database.db.payment.findUniqueOrThrow({ where: { id: paymentId } })).amountRefunded,
    ];
    const before = await counts();

    const tooMuch = await refund(organizationId, paymentId, { amount: 12_001 }).catch((error: AppError) => error);
    expect(tooMuch).toMatchObject({ code: "VALIDATION_FAILED", fields: { amount: ["Refund at most $120.00, what is left to refund on this payment."] } });
    expect(await codeOf(refund(organizationId, paymentId, { amount: 0 }))).toBe("ZOD");
    expect(await codeOf(refund(organizationId, paymentId, { amount: 10.5 }))).toBe("ZOD");
    const noNote = await refund(organizationId, paymentId, { reason: "other" }).catch((error: ZodError) => error);
    expect((noNote as ZodError).issues[0]).toMatchObject({ path: ["note"], message: "Say why you are refunding." });
    expect(await codeOf(refund(organizationId, paymentId, { mode: "sideways" as "credit_note" }))).toBe("ZOD");
    expect(await codeOf(refund(other.organizationId, paymentId, { amount: 100 }))).toBe("NOT_FOUND");
    expect(await codeOf(refund(organizationId, "00000000-0000-4000-8000-000000000000"))).toBe("NOT_FOUND");

    await database.db.payment.update({ where: { id: paymentId }, data: { disputed: true } });
    await expect(refund(organizationId, paymentId)).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringContaining("open dispute") });
    await database.db.payment.update({ where: { id: paymentId }, data: { disputed: false } });

    const invoice = await database.db.invoice.findUniqueOrThrow({ where: { id: invoiceId } });
    const manual = await database.db.payment.create({
      data: {
        organizationId,
        invoiceId,
        patientId: invoice.patientId,
        source: "manual",
        methodType: "cash",
        status: "succeeded",
        currency: "USD",
        amount: 500,
        amountReceived: 500,
      },
    });
    await expect(refund(organizationId, manual.id)).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringContaining("Void the manual payment") });
    const failed = await database.db.payment.create({
      data: { organizationId, invoiceId, patientId: invoice.patientId, source: "pay_page", methodType: "card", status: "failed", currency: "USD", amount: 500 },
    });
    await expect(refund(organizationId, failed.id)).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringContaining("this one is declined") });
    expect(await counts()).toEqual(before);
  });

  it("20 concurrent partial refunds never refund more than the payment", async () => {
    const { organizationId, paymentId } = await paid({ unitAmount: 12_000 });
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => refund(organizationId, paymentId, { amount: 1_000 })));
    const made = results.filter((result) => result.status === "fulfilled");
    expect(made).toHaveLength(12);
    for (const result of results) if (result.status === "rejected") expect((result.reason as AppError).code).toMatch(/CONFLICT|VALIDATION_FAILED/);
    const payment = await database.db.payment.findUniqueOrThrow({ where: { id: paymentId } });
    const refunds = await database.db.refund.aggregate({ where: { paymentId }, _sum: { amount: true }, _count: true });
    expect(payment.amountRefunded).toBe(12_000);
    expect(refunds).toMatchObject({ _count: 12, _sum: { amount: 12_000 } });
    const numbers = (await database.db.creditNote.findMany({ where: { organizationId }, select: { number: true } })).map((row) => row.number).sort();
    expect(numbers).toEqual(Array.from({ length: 12 }, (_, index) => `CN-${String(index + 1).padStart(5, "0")}`));
    const stripeRefunds = await stripe.stripe.refunds.list({ payment_intent: payment.stripePaymentIntentId!, limit: 100 });
    expect(stripeRefunds.data.reduce((sum, entry) => sum + entry.amount, 0)).toBe(12_000);
  });

  it("a refund that fails at the card (pm_card_refundFail) restores the books through the webhook, exactly once in any order", async () => {
    const { organizationId, invoiceId, paymentId, paymentIntentId } = await paid({ card: "pm_card_refundFail" });
    const before = await balances(organizationId);
    const { refund: created } = await refund(organizationId, paymentId, { amount: 4_500 });
    // Stripe answers succeeded, then the card network sends the money back.
    expect(created.status).toBe("succeeded");
    await waitForSettlement(paymentIntentId, "failed");
    const events = await refundEvents(paymentIntentId);
    expect(events.map((event) => event.type)).toEqual(expect.arrayContaining(["refund.created", "refund.updated", "refund.failed"]));
    // Newest first, each twice, and concurrently: one effect.
    const reversed = [...events].reverse();
    const outcomes = await Promise.all([...reversed, ...reversed].map((event) => processStripeEvent(database.db, event, stripe.stripe)));
    expect(outcomes.filter((outcome) => outcome === "duplicate")).toHaveLength(events.length);

    const [failed] = await listRefunds(database.db, { organizationId, paymentId });
    expect(failed).toMatchObject({ status: "failed", failureReason: "expired_or_canceled_card", failedAt: expect.any(String) });
    expect((await database.db.creditNote.findUniqueOrThrow({ where: { id: created.creditNote!.id } })).status).toBe("void");
    expect(await database.db.payment.findUniqueOrThrow({ where: { id: paymentId } })).toMatchObject({ amountRefunded: 0 });
    expect(await database.db.invoice.findUniqueOrThrow({ where: { id: invoiceId } })).toMatchObject({ status: "paid", amountDue: 0, amountPaid: 12_000 });
    const after = await balances(organizationId);
    expect(after).toEqual({ ...before, "2200": 0, "4910": 0 });
    expect(
      await database.db.journalEntry.count({
        where: { kind: { in: ["refund.failed", "credit_note.voided"] }, sourceId: { in: [created.id, created.creditNote!.id] } },
      }),
    ).toBe(2);
    expect(await database.db.auditEvent.count({ where: { targetId: created.id, action: "refund.failed" } })).toBe(1);

    const panel = await getPaymentRefunds(database.db, { organizationId, paymentId });
    expect(panel.payment.cardLabel).toBe("Visa •••• 5126");
    expect(panel.amounts.refundable).toBe(12_000);
  });

  it("a failed reopen_balance refund settles the invoice again; if it was paid meanwhile, the excess becomes patient credit", async () => {
    const { organizationId, invoiceId, paymentId, paymentIntentId, patient } = await paid({ card: "pm_card_refundFail" });
    await refund(organizationId, paymentId, { amount: 5_000, mode: "reopen_balance" });
    expect((await database.db.invoice.findUniqueOrThrow({ where: { id: invoiceId } })).amountDue).toBe(5_000);
    await payByCard(database.db, stripe.stripe, { organizationId, invoiceId, amount: 2_000 });
    await waitForSettlement(paymentIntentId, "failed");
    await deliverAll(await refundEvents(paymentIntentId));
    expect(await database.db.invoice.findUniqueOrThrow({ where: { id: invoiceId } })).toMatchObject({ status: "paid", amountDue: 0, amountPaid: 12_000 });
    const credit = await database.db.patientCreditBalance.findUniqueOrThrow({ where: { patientId_currency: { patientId: patient.id, currency: "USD" } } });
    expect(credit.balance).toBe(2_000);
  });

  it("an overpayment's credit is refunded first, without a credit note", async () => {
    const open = await createOpenInvoice(database.db, { unitAmount: 10_000 });
    patients.push(open.patient);
    // A card and a cash payment completing at once: the card's money is more than the invoice still
    // owed, and the patient chose to keep such an excess as credit (so it is not refunded by itself).
    const attempt = await createPaymentAttempt(database.db, {
      organizationId: open.organizationId,
      invoiceId: open.invoiceId,
      keepExcessAsCredit: true,
      stripe: stripe.stripe,
    });
    await confirmCard(stripe.stripe, attempt.paymentIntent.id, "pm_card_visa");
    await recordManualPayment(database.db, {
      organizationId: open.organizationId,
      actor: testActor(),
      input: { patientId: open.patient.id, method: "cash", amount: 10_000, invoiceId: open.invoiceId },
      stripe: stripe.stripe,
    });
    await syncPaymentIntent(database.db, attempt.paymentIntent.id, stripe.stripe);
    const overpaid = await database.db.payment.findFirstOrThrow({ where: { invoiceId: open.invoiceId, creditAmount: { gt: 0 } } });
    expect(overpaid.creditAmount).toBe(10_000);
    // More than the credit: the rest would come from the invoice, which this payment did not pay.
    expect(await codeOf(refund(open.organizationId, overpaid.id, { amount: 10_001 }))).toBe("VALIDATION_FAILED");
    const { refund: created } = await refund(open.organizationId, overpaid.id, { amount: overpaid.creditAmount });
    expect(created).toMatchObject({ fromCredit: overpaid.creditAmount, creditNote: null });
    expect(
      (await database.db.patientCreditBalance.findUniqueOrThrow({ where: { patientId_currency: { patientId: open.patient.id, currency: "USD" } } })).balance,
    ).toBe(0);
    expect((await database.db.invoice.findUniqueOrThrow({ where: { id: open.invoiceId } })).status).toBe("paid");
  });

  it("when Stripe refuses (the charge is disputed at Stripe), the refund is canceled, the books restored and staff told why", async () => {
    const { organizationId, invoiceId, paymentId } = await paid();
    const payment = await database.db.payment.findUniqueOrThrow({ where: { id: paymentId } });
    const opened = await fetch(`${stripe.emulator.url}/_emulator/disputes`, {
      method: "POST",
      headers: { authorization: `Bearer ${stripe.secretKey}`, "content-type": "application/json" },
      body: JSON.stringify({ charge: payment.stripeChargeId }),
    });
    expect(opened.ok).toBe(true);
    const before = await balances(organizationId);
    const error = await refund(organizationId, paymentId, { amount: 1_000 }).catch((caught: AppError) => caught);
    expect(error).toMatchObject({
      code: "CONFLICT",
      message: expect.stringMatching(/^Stripe refused the refund of \$10\.00 \(the payment has an open dispute\)\. Nothing was refunded/),
    });
    const [canceled] = await listRefunds(database.db, { organizationId, paymentId });
    expect(canceled).toMatchObject({ status: "canceled", failureReason: "charge_disputed" });
    expect(await database.db.payment.findUniqueOrThrow({ where: { id: paymentId } })).toMatchObject({ amountRefunded: 0 });
    expect(await database.db.invoice.findUniqueOrThrow({ where: { id: invoiceId } })).toMatchObject({ status: "paid", amountDue: 0 });
    expect(await balances(organizationId)).toEqual({ ...before, "2200": 0, "4910": 0 });
  });

  it("when Stripe cannot be reached the refund stays pending; sending it again with the same key settles it", async () => {
    const { organizationId, paymentId, paymentIntentId } = await paid();
    const unreachable = createStripeClient({ kind: "emulator", secretKey: stripe.secretKey, host: "127.0.0.1", port: 9 });
    const { refund: pending, stripeUnreachable } = await refund(organizationId, paymentId, { amount: 2_500 }, unreachable);
    expect(stripeUnreachable).toBe(true);
    expect(pending).toMatchObject({ status: "pending", stripeRefundId: null });
    const again = await submitRefund(database.db, { organizationId, refundId: pending.id, actor, stripe: stripe.stripe });
    expect(again.refund.stripeRefundId).toMatch(/^re_/);
    const sameAgain = await createRefund(
      {
        metadata: { organizationId, paymentId, invoiceId: pending.invoiceId!, refundId: pending.id },
        paymentIntentId,
        amount: 2_500,
        reason: "requested_by_customer",
      },
      stripe.stripe,
    );
    expect(sameAgain.id).toBe(again.refund.stripeRefundId);
    expect((await stripe.stripe.refunds.list({ payment_intent: paymentIntentId })).data).toHaveLength(1);
  });

  it("sending again never makes a second Stripe refund when Stripe already has ours (idempotency key expired, or its id saved)", async () => {
    const { organizationId, paymentId, paymentIntentId } = await paid();
    const unreachable = createStripeClient({ kind: "emulator", secretKey: stripe.secretKey, host: "127.0.0.1", port: 9 });
    const { refund: pending } = await refund(organizationId, paymentId, { amount: 1_200 }, unreachable);
    // The first request reached Stripe but its answer was lost, and Stripe no longer knows the idempotency key.
    const made = await stripe.stripe.refunds.create({
      payment_intent: paymentIntentId,
      amount: 1_200,
      metadata: { organization_id: organizationId, payment_id: paymentId, invoice_id: pending.invoiceId, refund_id: pending.id },
    });
    const again = await submitRefund(database.db, { organizationId, refundId: pending.id, actor, stripe: stripe.stripe });
    expect(again.refund.stripeRefundId).toBe(made.id);
    // Its id is saved now: another "send again" only reads it back.
    await submitRefund(database.db, { organizationId, refundId: pending.id, actor, stripe: stripe.stripe });
    expect((await stripe.stripe.refunds.list({ payment_intent: paymentIntentId })).data).toHaveLength(1);
  });

  it("a webhook that arrives before Stripe's answer was saved finds the refund by its metadata", async () => {
    const { organizationId, paymentId, paymentIntentId } = await paid();
    const unreachable = createStripeClient({ kind: "emulator", secretKey: stripe.secretKey, host: "127.0.0.1", port: 9 });
    const { refund: pending } = await refund(organizationId, paymentId, { amount: 1_500 }, unreachable);
    // Stripe got the request (e.g. our process died before saving the answer).
    const made = await createRefund(
      {
        metadata: { organizationId, paymentId, invoiceId: pending.invoiceId!, refundId: pending.id },
        paymentIntentId,
        amount: 1_500,
        reason: "requested_by_customer",
      },
      stripe.stripe,
    );
    await waitForSettlement(paymentIntentId);
    await deliverAll(await refundEvents(paymentIntentId));
    const [settled] = await listRefunds(database.db, { organizationId, paymentId });
    expect(settled).toMatchObject({ id: pending.id, stripeRefundId: made.id, status: "succeeded" });
  });

  it("records a refund made in the Stripe dashboard once, booked with a credit note, whatever the deliveries", async () => {
    const { organizationId, invoiceId, paymentId, paymentIntentId } = await paid();
    await refund(organizationId, paymentId, { amount: 1_000 });
    await stripe.stripe.refunds.create({ payment_intent: paymentIntentId, amount: 3_000, reason: "duplicate" });
    await waitForSettlement(paymentIntentId);
    const events = await refundEvents(paymentIntentId);
    await Promise.all([...events, ...events.reverse()].map((event) => processStripeEvent(database.db, event, stripe.stripe)));
    const refunds = await listRefunds(database.db, { organizationId, paymentId });
    expect(refunds).toHaveLength(2);
    const external = await database.db.refund.findFirstOrThrow({ where: { paymentId, amount: 3_000 } });
    expect(external).toMatchObject({
      status: "succeeded",
      mode: "credit_note",
      reason: "duplicate",
      requestedById: null,
      stripeRefundId: expect.stringMatching(/^re_/),
    });
    expect(external.creditNoteId).not.toBeNull();
    expect((await database.db.payment.findUniqueOrThrow({ where: { id: paymentId } })).amountRefunded).toBe(4_000);
    expect(await database.db.invoice.findUniqueOrThrow({ where: { id: invoiceId } })).toMatchObject({ status: "paid", amountDue: 0 });
  });
});
