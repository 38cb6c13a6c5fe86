import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as setups from "@/app/api/card/[token]/setups/route";
import * as complete from "@/app/api/card/[token]/setups/[setupId]/complete/route";
import { patientCardLink } from "@/lib/card-links/create-card-link";
import { completeCardSetup } from "@/lib/cards-on-file/apply-setup-intent";
import { startCardSetup } from "@/lib/cards-on-file/start-card-setup";
import { processStripeEvent } from "@/lib/webhooks/process-stripe-event";
import { recordManualPayment } from "@/lib/payments/record-manual-payment";
import { checkLedger } from "@/lib/ledger/balances";
import { addDays, todayIn } from "@/lib/invoices/dates";
import { createPaymentPlan, type TCreatePaymentPlanInput } from "@/lib/payment-plans/create-payment-plan";
import { enrollMembership } from "@/lib/memberships/enroll-membership";
import { getMembershipOrThrow } from "@/lib/memberships/get-membership";
import { createMembershipPlan } from "@/lib/memberships/membership-plans";
import { saveCardWithConsent as saveCard } from "@/tests/cards-on-file";
import { callRoute } from "@/tests/api-client";
import { createTestOpenInvoice, createTestOrganization, createTestPatient, testActor } from "@/tests/factories";
import { listStripeRequests, startTestStripe, type TestStripe } from "@/tests/stripe";
import { setupTestDatabase } from "@/tests/test-database";
import { chargeInstant } from "./charge-time";
import { runAutopay } from "./run-autopay";

const database = setupTestDatabase();
const actor = testActor();
let stripe: TestStripe;

beforeAll(async () => {
  stripe = await startTestStripe();
  // The public card-link routes and the charge that follows a saved card use the app's Stripe client.
  process.env.STRIPE_SECRET_KEY = stripe.secretKey;
  process.env.STRIPE_EMULATOR_URL = stripe.emulator.url;
});
afterAll(async () => {
  await stripe.close();
});

const NEW_YORK = { timezone: "America/New_York", chargeHour: 8 };
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The card-link routes read the real clock: the plan is set in the recent past, its first installment due 3 days ago (its card link, 7 days, still works). */
const REAL_NOW = new Date();
const CREATED_AT = new Date(REAL_NOW.getTime() - 6 * DAY);
const FIRST_DUE = addDays(todayIn("America/New_York", REAL_NOW), -3);
const chargeTime = (date: string) => new Date(chargeInstant(date, NEW_YORK).getTime() + HOUR);

/** A card the patient saved with their recorded consent (tests/cards-on-file.ts), consented when the plan was made. */
const saveCardWithConsent = (organizationId: string, patientId: string, number: string) =>
  saveCard(database.db, stripe.stripe, { organizationId, patientId, number, acceptedAt: CREATED_AT });

async function patientWithBalance(total: number, card: string | null) {
  const org = await createTestOrganization(database.db);
  const patient = await createTestPatient(database.db, { organizationId: org.organizationId, firstName: "Grace", email: "grace.plan@example.test" });
  const invoice = await createTestOpenInvoice(database.db, {
    organizationId: org.organizationId,
    patientId: patient.id,
    total,
    issuedOn: addDays(FIRST_DUE, -20),
  });
  const saved = card ? await saveCardWithConsent(org.organizationId, patient.id, card) : null;
  return { org, organizationId: org.organizationId, patientId: patient.id, invoiceId: invoice.id, card: saved };
}

async function startPlan(organizationId: string, input: TCreatePaymentPlanInput) {
  const { planId } = await createPaymentPlan(database.db, { organizationId, actor, input, now: CREATED_AT });
  await runAutopay(database.db, { now: CREATED_AT, stripe: stripe.stripe, planId });
  return planId;
}

async function planCharges(planId: string) {
  const installments = await database.db.paymentPlanInstallment.findMany({ where: { planId }, select: { id: true } });
  return database.db.autopayCharge.findMany({
    where: { subjectId: { in: installments.map((row) => row.id) } },
    include: { payment: true },
    orderBy: [{ scheduledFor: "asc" }, { attempt: "asc" }],
  });
}

const cardTokenIn = (text: string) => /http\S+\/card\/([0-9A-Za-z]{12})\n/.exec(text)?.[1];

/** The patient opens the emailed card link on their phone, accepts the terms and saves a card (confirmed through the SDK), back to the page. */
async function saveFromLink(token: string, options: { replaceCurrent: boolean; card: string }) {
  const started = await callRoute(setups.POST, {
    method: "POST",
    path: `/api/card/${token}/setups`,
    params: { token },
    body: { acceptedTerms: true, replaceCurrent: options.replaceCurrent },
  });
  expect(started.status).toBe(201);
  const setupId = started.json!.setupId as string;
  const setup = await database.db.cardSetup.findUniqueOrThrow({ where: { id: setupId } });
  await stripe.stripe.setupIntents.confirm(setup.stripeSetupIntentId!, { payment_method: options.card });
  const done = await callRoute(complete.POST, { method: "POST", path: `/api/card/${token}/setups/${setupId}/complete`, params: { token, setupId } });
  expect(done.status).toBe(200);
  return { setupId, token };
}

async function paymentIntentCreations() {
  return (await listStripeRequests(stripe.emulator.url, { secretKey: stripe.secretKey })).filter(
    (request) => request.method === "POST" && request.path === "/v1/payment_intents",
  ).length;
}

describe("a new card for a plan waiting on one", () => {
  it(
    "after a hard decline (lost card): the email's card link saves a new card, the overdue installment is charged at once to it, no retry left",
    { timeout: 90_000 },
    async () => {
      const { organizationId, patientId, invoiceId, card: lostCard } = await patientWithBalance(30_000, "4000000000009987");
      const planId = await startPlan(organizationId, { patientId, installmentCount: 3, frequency: "monthly", startDate: FIRST_DUE });
      expect(await runAutopay(database.db, { organizationId, now: chargeTime(FIRST_DUE), stripe: stripe.stripe })).toMatchObject({ charged: 1, failed: 1 });
      expect(await database.db.paymentPlan.findUniqueOrThrow({ where: { id: planId } })).toMatchObject({ status: "past_due" });
      expect(await database.db.attentionItem.count({ where: { paymentPlanId: planId, resolvedAt: null, kind: "autopay_failed" } })).toBe(1);

      const email = await database.db.email.findFirstOrThrow({ where: { organizationId, kind: "autopay_failed" } });
      const token = cardTokenIn(email.text);
      expect(token).toBeDefined();
      // Neutral: the amount and the clinic, no invoice number, nothing medical.
      expect(`${email.subject} ${email.text}`).not.toMatch(/INV-|diagnos|visit|treatment/i);

      const before = await paymentIntentCreations();
      await saveFromLink(token!, { replaceCurrent: true, card: "pm_card_visa" });

      const newCard = await database.db.savedPaymentMethod.findFirstOrThrow({ where: { patientId, removedAt: null } });
      expect(newCard.id).not.toBe(lostCard!.id);
      expect(newCard).toMatchObject({ source: "card_link", isDefault: true, last4: "4242" });
      const charges = await planCharges(planId);
      expect(charges.map((charge) => [charge.attempt, charge.status, charge.amount, charge.declineCode, charge.savedPaymentMethodId])).toEqual([
        [1, "failed", 10_000, "lost_card", lostCard!.id],
        [2, "succeeded", 10_000, null, newCard.id],
      ]);
      expect(charges[1]!.payment).toMatchObject({ status: "succeeded", source: "autopay", amount: 10_000, cardLast4: "4242" });
      expect(charges[1]!.consentId).toBe(newCard.consentId);
      expect(await paymentIntentCreations()).toBe(before + 1);
      expect(await database.db.autopayCharge.count({ where: { patientId, status: "scheduled" } })).toBe(0);
      expect(await database.db.paymentPlan.findUniqueOrThrow({ where: { id: planId } })).toMatchObject({ status: "active", savedPaymentMethodId: newCard.id });
      expect(
        (await database.db.paymentPlanInstallment.findMany({ where: { planId }, orderBy: { sequence: "asc" } })).map((row) => [row.status, row.paidAmount]),
      ).toEqual([
        ["paid", 10_000],
        ["scheduled", 0],
        ["scheduled", 0],
      ]);
      expect(await database.db.attentionItem.count({ where: { paymentPlanId: planId, resolvedAt: null } })).toBe(0);
      expect(await database.db.invoice.findUniqueOrThrow({ where: { id: invoiceId } })).toMatchObject({ amountDue: 20_000 });

      // Once: the same return again and a run at the same instant charge nothing more.
      const setup = await database.db.cardSetup.findFirstOrThrow({ where: { patientId, status: "succeeded" } });
      const again = await callRoute(complete.POST, {
        method: "POST",
        path: `/api/card/${token}/setups/${setup.id}/complete`,
        params: { token: token!, setupId: setup.id },
      });
      expect(again.status).toBe(200);
      expect(await runAutopay(database.db, { organizationId, now: new Date(), stripe: stripe.stripe })).toMatchObject({ charged: 0, failed: 0 });
      expect(await paymentIntentCreations()).toBe(before + 1);
      expect(await checkLedger(database.db)).toEqual({
        unbalancedCurrencies: [],
        invoiceMismatches: [],
        patientCreditMismatches: [],
        allocationMismatches: [],
        claimMismatches: [],
      });
    },
  );

  it(
    "for a plan started without a card: the plan's email and the failure email carry one card link; saving a card charges what is overdue",
    { timeout: 90_000 },
    async () => {
      const { organizationId, patientId, invoiceId } = await patientWithBalance(30_000, null);
      const planId = await startPlan(organizationId, { patientId, installmentCount: 3, frequency: "monthly", startDate: FIRST_DUE, sendCardLink: true });
      const started = await database.db.email.findFirstOrThrow({ where: { organizationId, kind: "autopay_card_link" } });
      const token = cardTokenIn(`${started.text}\n`);
      expect(token).toBeDefined();
      expect(started.text).not.toContain("/pay/");

      expect(await runAutopay(database.db, { organizationId, now: chargeTime(FIRST_DUE), stripe: stripe.stripe })).toMatchObject({ failed: 1 });
      const charges = await planCharges(planId);
      expect(charges.map((charge) => [charge.status, charge.declineCode])).toEqual([["failed", "no_card_on_file"]]);
      expect(await database.db.paymentPlan.findUniqueOrThrow({ where: { id: planId } })).toMatchObject({ status: "past_due", savedPaymentMethodId: null });
      // The failure email reuses the live link rather than revoking the one the patient already has.
      const failed = await database.db.email.findFirstOrThrow({ where: { organizationId, kind: "autopay_failed" } });
      expect(cardTokenIn(failed.text)).toBe(token);
      expect(await database.db.cardLink.count({ where: { patientId } })).toBe(1);

      await saveFromLink(token!, { replaceCurrent: false, card: "pm_card_visa" });
      const card = await database.db.savedPaymentMethod.findFirstOrThrow({ where: { patientId, removedAt: null } });
      const after = await planCharges(planId);
      expect(after.map((charge) => [charge.attempt, charge.status, charge.amount, charge.savedPaymentMethodId])).toEqual([
        [1, "failed", 10_000, null],
        [2, "succeeded", 10_000, card.id],
      ]);
      expect(await database.db.paymentPlan.findUniqueOrThrow({ where: { id: planId } })).toMatchObject({ status: "active", savedPaymentMethodId: card.id });
      expect(await database.db.autopayCharge.count({ where: { patientId, status: "scheduled" } })).toBe(0);
      expect(await database.db.attentionItem.count({ where: { paymentPlanId: planId, resolvedAt: null } })).toBe(0);
      expect(await database.db.invoice.findUniqueOrThrow({ where: { id: invoiceId } })).toMatchObject({ amountDue: 20_000 });
    },
  );

  it(
    "at the desk, with the browser's return twice and the webhook at the same moment: one charge of the overdue installment",
    { timeout: 90_000 },
    async () => {
      const { org, organizationId, patientId } = await patientWithBalance(30_000, "4000000000009987");
      const planId = await startPlan(organizationId, { patientId, installmentCount: 3, frequency: "monthly", startDate: FIRST_DUE });
      expect(await runAutopay(database.db, { organizationId, now: chargeTime(FIRST_DUE), stripe: stripe.stripe })).toMatchObject({ failed: 1 });
      const started = await startCardSetup(database.db, {
        organizationId,
        patientId,
        source: "front_desk",
        by: { kind: "staff_on_behalf", userId: org.adminUserId },
        acceptedTerms: true,
        makeDefault: true,
        ip: "203.0.113.7",
        userAgent: "Mozilla/5.0 (Desk) Chrome/130",
        actor: org.adminActor,
        stripe: stripe.stripe,
      });
      const setup = await database.db.cardSetup.findUniqueOrThrow({ where: { id: started.setupId } });
      await stripe.stripe.setupIntents.confirm(setup.stripeSetupIntentId!, { payment_method: "pm_card_visa" });
      const events = (await stripe.stripe.events.list({ limit: 100 })).data.filter(
        (event) => event.type === "setup_intent.succeeded" && (event.data.object as Stripe.SetupIntent).id === setup.stripeSetupIntentId,
      );
      expect(events).toHaveLength(1);
      const before = await paymentIntentCreations();
      await Promise.all([
        completeCardSetup(database.db, { organizationId, patientId, setupId: setup.id, stripe: stripe.stripe }),
        completeCardSetup(database.db, { organizationId, patientId, setupId: setup.id, stripe: stripe.stripe }),
        processStripeEvent(database.db, events[0] as Stripe.Event, stripe.stripe),
      ]);
      const charges = await planCharges(planId);
      expect(charges.map((charge) => [charge.attempt, charge.status, charge.amount])).toEqual([
        [1, "failed", 10_000],
        [2, "succeeded", 10_000],
      ]);
      expect(await paymentIntentCreations()).toBe(before + 1);
      expect(await database.db.paymentPlan.findUniqueOrThrow({ where: { id: planId } })).toMatchObject({ status: "active" });
      expect(await database.db.attentionItem.count({ where: { paymentPlanId: planId, resolvedAt: null } })).toBe(0);
    },
  );

  it("charges nothing when the patient paid the missed installment at the desk before adding the card", { timeout: 60_000 }, async () => {
    const { organizationId, patientId, invoiceId } = await patientWithBalance(30_000, "4000000000009987");
    const planId = await startPlan(organizationId, { patientId, installmentCount: 3, frequency: "monthly", startDate: FIRST_DUE });
    expect(await runAutopay(database.db, { organizationId, now: chargeTime(FIRST_DUE), stripe: stripe.stripe })).toMatchObject({ failed: 1 });
    await recordManualPayment(database.db, { organizationId, actor, input: { patientId, invoiceId, method: "cash", amount: 10_000 } });
    const token = cardTokenIn((await database.db.email.findFirstOrThrow({ where: { organizationId, kind: "autopay_failed" } })).text)!;
    const before = await paymentIntentCreations();
    await saveFromLink(token, { replaceCurrent: true, card: "pm_card_visa" });
    expect(await paymentIntentCreations()).toBe(before);
    const card = await database.db.savedPaymentMethod.findFirstOrThrow({ where: { patientId, removedAt: null } });
    expect(await database.db.paymentPlan.findUniqueOrThrow({ where: { id: planId } })).toMatchObject({ savedPaymentMethodId: card.id });
    expect((await planCharges(planId)).map((charge) => [charge.attempt, charge.status])).toEqual([[1, "failed"]]);
    expect(await database.db.invoice.findUniqueOrThrow({ where: { id: invoiceId } })).toMatchObject({ amountDue: 20_000 });
  });

  it("leaves a plan with a working card and nothing failed alone when the patient adds another card", { timeout: 60_000 }, async () => {
    const { organizationId, patientId, card } = await patientWithBalance(30_000, "4242424242424242");
    const planId = await startPlan(organizationId, { patientId, installmentCount: 3, frequency: "monthly", startDate: addDays(FIRST_DUE, 30) });
    const link = await database.db.$transaction((tx) => patientCardLink(tx, { organizationId, patientId, now: new Date() }));
    const before = await paymentIntentCreations();
    await saveFromLink(/\/card\/([0-9A-Za-z]{12})$/.exec(link!)![1]!, { replaceCurrent: false, card: "pm_card_mastercard" });
    expect(await database.db.paymentPlan.findUniqueOrThrow({ where: { id: planId } })).toMatchObject({ status: "active", savedPaymentMethodId: card!.id });
    expect(await planCharges(planId)).toEqual([]);
    expect(await paymentIntentCreations()).toBe(before);
  });

  it(
    "a membership's period declined for good (lost card): the card link's new card pays it at once, the membership is active again",
    { timeout: 90_000 },
    async () => {
      const { organizationId, patientId, card: lostCard } = await patientWithBalance(1_000, "4000000000009987");
      const plan = await createMembershipPlan(database.db, { organizationId, actor, input: { name: "Wellness", amount: 4_000, interval: "monthly" } });
      const { id: membershipId } = await enrollMembership(database.db, {
        organizationId,
        actor,
        input: { patientId, membershipPlanId: plan.id, startDate: FIRST_DUE },
        now: CREATED_AT,
        stripe: stripe.stripe,
      });
      expect(await runAutopay(database.db, { organizationId, now: chargeTime(FIRST_DUE), stripe: stripe.stripe })).toMatchObject({
        invoiced: 1,
        charged: 1,
        failed: 1,
      });
      expect(await getMembershipOrThrow(database.db, { organizationId, membershipId })).toMatchObject({ status: "past_due" });
      expect(await database.db.attentionItem.count({ where: { membershipId, resolvedAt: null, kind: "autopay_failed" } })).toBe(1);
      const email = await database.db.email.findFirstOrThrow({ where: { organizationId, kind: "autopay_failed" } });
      expect(`${email.subject} ${email.text}`).not.toMatch(/Wellness|INV-/);
      const token = cardTokenIn(email.text);
      const before = await paymentIntentCreations();
      await saveFromLink(token!, { replaceCurrent: true, card: "pm_card_visa" });
      const newCard = await database.db.savedPaymentMethod.findFirstOrThrow({ where: { patientId, removedAt: null } });
      const view = await getMembershipOrThrow(database.db, { organizationId, membershipId });
      expect(view).toMatchObject({ status: "active", card: { id: newCard.id } });
      expect(view.periods.map((period) => [period.status, period.attempts.map((attempt) => [attempt.attempt, attempt.status, attempt.declineCode])])).toEqual([
        [
          "paid",
          [
            [1, "failed", "lost_card"],
            [2, "succeeded", null],
          ],
        ],
      ]);
      expect(lostCard!.id).not.toBe(newCard.id);
      expect(await paymentIntentCreations()).toBe(before + 1);
      expect(await database.db.attentionItem.count({ where: { membershipId, resolvedAt: null } })).toBe(0);
      // A run at once charges nothing more.
      expect(await runAutopay(database.db, { organizationId, now: new Date(), stripe: stripe.stripe })).toMatchObject({ charged: 0, failed: 0 });
      expect(await paymentIntentCreations()).toBe(before + 1);
    },
  );
});
