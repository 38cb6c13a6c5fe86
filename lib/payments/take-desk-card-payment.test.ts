import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consentTermsText } from "@/lib/consent/terms";
import { createPaymentAttempt } from "@/lib/payments/create-payment-attempt";
import { processStripeEvent } from "@/lib/webhooks/process-stripe-event";
import { confirmCard, createOpenInvoice } from "@/tests/card-payments";
import { refusal } from "@/tests/refusal";
import { assertNoPatientDataSentToStripe, startTestStripe, type TestStripe } from "@/tests/stripe";
import { setupTestDatabase } from "@/tests/test-database";
import { completeDeskCardPayment, startDeskCardPayment } from "./take-desk-card-payment";

const database = setupTestDatabase();
let stripe: TestStripe;
const patients: { firstName: string; lastName: string; email: string | null }[] = [];

beforeAll(async () => {
  stripe = await startTestStripe();
});
afterAll(async () => {
  await assertNoPatientDataSentToStripe(stripe.emulator.url, patients, { secretKey: stripe.secretKey });
  await stripe.close();
});

const DESK = { ip: "203.0.113.9", userAgent: "Mozilla/5.0 (Front desk) Chrome/131" };

/** A clinic with a patient and an open invoice of $120.00, and its admin at the desk. */
async function deskWithInvoice(unitAmount = 12_000) {
  const open = await createOpenInvoice(database.db, { unitAmount });
  patients.push(open.patient);
  const admin = await database.db.membership.findFirstOrThrow({ where: { organizationId: open.organizationId, role: "admin" }, select: { userId: true } });
  const actor = { userId: admin.userId, label: "desk@example.test", ip: DESK.ip, requestId: null };
  const start = (input: { amount?: number; saveCard?: boolean }) =>
    startDeskCardPayment(database.db, {
      organizationId: open.organizationId,
      actor,
      input: { invoiceId: open.invoiceId, ...input },
      client: DESK,
      stripe: stripe.stripe,
    });
  const complete = (paymentId: string) => completeDeskCardPayment(database.db, { organizationId: open.organizationId, paymentId, stripe: stripe.stripe });
  return { ...open, userId: admin.userId, start, complete };
}

async function intentOf(paymentId: string) {
  const payment = await database.db.payment.findUniqueOrThrow({ where: { id: paymentId } });
  return stripe.stripe.paymentIntents.retrieve(payment.stripePaymentIntentId!);
}

/** Every event Stripe sent of these types, oldest first, processed as the webhook route would. */
async function deliverEvents(types: string[]) {
  const events = await stripe.stripe.events.list({ limit: 100 });
  for (const event of events.data.filter((entry) => types.includes(entry.type)).reverse()) {
    await processStripeEvent(database.db, event as Stripe.Event, stripe.stripe);
  }
}

describe("Pay with card at the front desk", () => {
  it("saving the card: the consent is recorded as staff_on_behalf before the card is confirmed, and the paid card is kept on file under it", async () => {
    const desk = await deskWithInvoice();
    const started = await desk.start({ saveCard: true });
    expect(started).toMatchObject({ amount: 12_000, currency: "USD", authorizeOnly: false });

    // Before any card is confirmed: the attempt is a desk payment pointing at a consent given through the staff member.
    const attempt = await database.db.payment.findUniqueOrThrow({ where: { id: started.paymentId }, include: { consent: true } });
    const organization = await database.db.organization.findUniqueOrThrow({ where: { id: desk.organizationId } });
    expect(attempt).toMatchObject({ source: "desk_card", methodType: "card", status: "requires_payment_method", saveCard: true });
    expect(attempt.consent).toMatchObject({
      patientId: desk.patient.id,
      termsVersion: "card-on-file-2026-12",
      termsText: consentTermsText("card-on-file-2026-12", organization.name),
      acceptedBy: "staff_on_behalf",
      acceptedByUserId: desk.userId,
      ip: DESK.ip,
      userAgent: DESK.userAgent,
    });
    expect(await database.db.savedPaymentMethod.count({ where: { patientId: desk.patient.id } })).toBe(0);
    const intent = await intentOf(started.paymentId);
    const patient = await database.db.patient.findUniqueOrThrow({ where: { id: desk.patient.id } });
    expect(intent).toMatchObject({ setup_future_usage: "off_session", customer: patient.stripeCustomerId, amount: 12_000 });
    expect(
      await database.db.auditEvent.findMany({
        where: { organizationId: desk.organizationId, actorUserId: desk.userId },
        select: { action: true },
        orderBy: { id: "asc" },
      }),
    ).toEqual(expect.arrayContaining([{ action: "card_on_file.consent_recorded" }, { action: "payment.desk_card_started" }]));

    await confirmCard(stripe.stripe, intent.id, "pm_card_visa");
    const outcome = await desk.complete(started.paymentId);
    expect(outcome).toMatchObject({
      status: "succeeded",
      receiptNumber: expect.stringMatching(/^RCT-/),
      failureMessage: null,
      savedCard: { brand: "visa", last4: "4242" },
    });

    const card = await database.db.savedPaymentMethod.findFirstOrThrow({ where: { patientId: desk.patient.id } });
    expect(card).toMatchObject({
      source: "front_desk",
      consentId: attempt.consentId,
      consentedAt: attempt.consent!.acceptedAt,
      isDefault: true,
      removedAt: null,
    });
    expect((await stripe.stripe.paymentMethods.retrieve(card.stripePaymentMethodId)).customer).toBe(patient.stripeCustomerId);
    // Recorded like any card payment: the invoice paid, the journal, the receipt email.
    expect(await database.db.invoice.findUniqueOrThrow({ where: { id: desk.invoiceId } })).toMatchObject({ status: "paid", amountDue: 0 });
    const journals = await database.db.journalEntry.findMany({ where: { sourceType: "payment", sourceId: started.paymentId }, select: { kind: true } });
    expect(journals.map((journal) => journal.kind).sort()).toEqual(["payment.fee", "payment.succeeded"]);
    expect(await database.db.email.count({ where: { organizationId: desk.organizationId, kind: "receipt" } })).toBe(1);
  });

  it("without the box ticked: a partial payment, no consent, nothing kept on file", async () => {
    const desk = await deskWithInvoice();
    const started = await desk.start({ amount: 5_000, saveCard: false });
    const intent = await intentOf(started.paymentId);
    expect(intent.setup_future_usage).toBeNull();
    await confirmCard(stripe.stripe, intent.id, "pm_card_visa");
    expect(await desk.complete(started.paymentId)).toMatchObject({ status: "succeeded", savedCard: null });
    expect(await database.db.payment.findUniqueOrThrow({ where: { id: started.paymentId } })).toMatchObject({ consentId: null, amountReceived: 5_000 });
    expect(await database.db.paymentConsent.count({ where: { patientId: desk.patient.id } })).toBe(0);
    expect(await database.db.savedPaymentMethod.count({ where: { patientId: desk.patient.id } })).toBe(0);
    expect(await database.db.invoice.findUniqueOrThrow({ where: { id: desk.invoiceId } })).toMatchObject({ status: "partially_paid", amountDue: 7_000 });
  });

  it("unticking the box again before the card is confirmed: the same intent no longer saves the card", async () => {
    const desk = await deskWithInvoice();
    const first = await desk.start({ saveCard: true });
    const second = await desk.start({ amount: 6_000, saveCard: false });
    expect(second.paymentId).toBe(first.paymentId);
    const intent = await intentOf(second.paymentId);
    expect(intent).toMatchObject({ setup_future_usage: null, amount: 6_000 });
    await confirmCard(stripe.stripe, intent.id, "pm_card_visa");
    expect(await desk.complete(second.paymentId)).toMatchObject({ status: "succeeded", savedCard: null });
    expect(await database.db.savedPaymentMethod.count({ where: { patientId: desk.patient.id } })).toBe(0);
  });

  it("the webhook first, then the desk's return: one card saved, the same as either alone", async () => {
    const desk = await deskWithInvoice();
    const started = await desk.start({ saveCard: true });
    await confirmCard(stripe.stripe, (await intentOf(started.paymentId)).id, "pm_card_visa");
    await deliverEvents(["payment_intent.succeeded"]);
    const afterWebhook = await database.db.savedPaymentMethod.findMany({ where: { patientId: desk.patient.id } });
    expect(afterWebhook).toEqual([expect.objectContaining({ source: "front_desk", isDefault: true })]);
    expect(await desk.complete(started.paymentId)).toMatchObject({ status: "succeeded", savedCard: { last4: "4242" } });
    expect(await database.db.savedPaymentMethod.findMany({ where: { patientId: desk.patient.id } })).toEqual(afterWebhook);
    expect(await database.db.payment.count({ where: { invoiceId: desk.invoiceId, status: "succeeded" } })).toBe(1);
  });

  it("a decline is reported with the issuer's reason; another card on the same attempt then pays", async () => {
    const desk = await deskWithInvoice();
    const started = await desk.start({ saveCard: true });
    const intent = await intentOf(started.paymentId);
    await confirmCard(stripe.stripe, intent.id, "pm_card_chargeDeclined");
    const declined = await desk.complete(started.paymentId);
    expect(declined).toMatchObject({ status: "failed", receiptNumber: null, savedCard: null });
    expect(declined.failureMessage).toMatch(/declined/i);
    expect(await database.db.savedPaymentMethod.count({ where: { patientId: desk.patient.id } })).toBe(0);
    // Staff try again: the dialog reuses the attempt, the patient's other card pays.
    expect((await desk.start({ saveCard: true })).paymentId).toBe(started.paymentId);
    await confirmCard(stripe.stripe, intent.id, "pm_card_mastercard");
    expect(await desk.complete(started.paymentId)).toMatchObject({ status: "succeeded", savedCard: { brand: "mastercard" } });
  });

  it("refuses more than the invoice still asks for (money already moving counts), writing nothing", async () => {
    const desk = await deskWithInvoice();
    const tooMuch = await refusal(desk.start({ amount: 12_001, saveCard: true }));
    expect(tooMuch).toMatchObject({ code: "VALIDATION_FAILED", fields: { amount: ["Pay at most what is still owed ($120.00)."] } });
    expect(await database.db.payment.count({ where: { invoiceId: desk.invoiceId } })).toBe(0);
    expect(await database.db.paymentConsent.count({ where: { patientId: desk.patient.id } })).toBe(0);
    expect(await database.db.auditEvent.count({ where: { organizationId: desk.organizationId, action: { startsWith: "payment.desk_card" } } })).toBe(0);
    // A pay-page payment of $80 processing: the desk may take at most the $40 left.
    const online = await createPaymentAttempt(database.db, {
      organizationId: desk.organizationId,
      invoiceId: desk.invoiceId,
      amount: 8_000,
      stripe: stripe.stripe,
    });
    await database.db.payment.update({ where: { id: online.paymentId }, data: { status: "processing" } });
    expect(await refusal(desk.start({ amount: 4_001 }))).toMatchObject({ fields: { amount: ["Pay at most what is still owed ($40.00)."] } });
    expect((await desk.start({ amount: 4_000 })).amount).toBe(4_000);
  });

  it("another clinic's invoice or payment is not found", async () => {
    const desk = await deskWithInvoice();
    const other = await deskWithInvoice();
    const started = await desk.start({});
    expect(await refusal(other.complete(started.paymentId))).toMatchObject({ code: "NOT_FOUND" });
    const foreign = await refusal(
      startDeskCardPayment(database.db, {
        organizationId: other.organizationId,
        actor: { userId: other.userId, label: "other", ip: null, requestId: null },
        input: { invoiceId: desk.invoiceId },
        client: DESK,
        stripe: stripe.stripe,
      }),
    );
    expect(foreign).toMatchObject({ code: "NOT_FOUND" });
  });
});
