import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkLedger } from "@/lib/ledger/balances";
import { createPaymentPlan, type TCreatePaymentPlanInput } from "@/lib/payment-plans/create-payment-plan";
import { installmentDueDate } from "@/lib/payment-plans/plan-schedule";
import { recordManualPayment } from "@/lib/payments/record-manual-payment";
import { createPaymentAttempt } from "@/lib/payments/create-payment-attempt";
import { syncPaymentIntent } from "@/lib/payments/sync-payment-intent";
import { createPaymentIntent } from "@/lib/stripe/create-payment-intent";
import { createTestOpenInvoice, createTestOrganization, createTestPatient, testActor } from "@/tests/factories";
import { saveCardWithConsent as saveCard } from "@/tests/cards-on-file";
import { listStripeRequests, startTestStripe, type TestStripe } from "@/tests/stripe";
import { setupTestDatabase } from "@/tests/test-database";
import { chargeInstant } from "./charge-time";
import { claimDueCharge, runAutopay } from "./run-autopay";
import type { IdempotencyKey } from "@/lib/stripe/idempotency-key";

const database = setupTestDatabase();
const actor = testActor();
let stripe: TestStripe;

beforeAll(async () => {
  stripe = await startTestStripe();
});
afterAll(async () => {
  await stripe.close();
});

const NEW_YORK = { timezone: "America/New_York", chargeHour: 8 };
const HOUR = 3_600_000;
/** An instant shortly after the clinic's 08:00 charge time on a date. */
const chargeTime = (date: string) => new Date(chargeInstant(date, NEW_YORK).getTime() + HOUR);

/** A card the patient saved with their recorded consent (tests/cards-on-file.ts). */
const saveCardWithConsent = (organizationId: string, patientId: string, number: string, isDefault = true) =>
  saveCard(database.db, stripe.stripe, { organizationId, patientId, number, isDefault });

async function patientWithBalance(total: number, card = "4242424242424242") {
  const org = await createTestOrganization(database.db);
  const patient = await createTestPatient(database.db, { organizationId: org.organizationId, firstName: "Ada", email: "ada.plan@example.test" });
  const invoice = await createTestOpenInvoice(database.db, { organizationId: org.organizationId, patientId: patient.id, total, issuedOn: "2027-01-04" });
  const saved = card ? await saveCardWithConsent(org.organizationId, patient.id, card) : null;
  return { organizationId: org.organizationId, patientId: patient.id, invoiceId: invoice.id, card: saved };
}

const CREATED_AT = new Date("2027-01-05T15:00:00Z");

async function startPlan(organizationId: string, input: TCreatePaymentPlanInput, now = CREATED_AT) {
  const { planId } = await createPaymentPlan(database.db, { organizationId, actor, input, now });
  await runAutopay(database.db, { now, stripe: stripe.stripe, planId });
  return planId;
}

async function planPayments(planId: string) {
  const installments = await database.db.paymentPlanInstallment.findMany({ where: { planId }, select: { id: true } });
  const charges = await database.db.autopayCharge.findMany({
    where: { subjectId: { in: installments.map((row) => row.id) } },
    include: { payment: true },
    orderBy: [{ scheduledFor: "asc" }, { attempt: "asc" }],
  });
  return charges;
}

describe("the autopay engine", () => {
  it("runs $600 as $100 down + 5 × $100 monthly to completion: 6 payments, 6 receipts, 5 reminders, a balanced ledger", { timeout: 120_000 }, async () => {
    const { organizationId, patientId, invoiceId } = await patientWithBalance(60_000);
    const planId = await startPlan(organizationId, {
      patientId,
      downPaymentAmount: 10_000,
      installmentCount: 5,
      frequency: "monthly",
      startDate: "2027-02-05",
    });
    for (let index = 0; index < 5; index++) {
      const due = installmentDueDate("2027-02-05", "monthly", index);
      // Two days before: the reminder; then the charge on the day, after 08:00 in New York.
      await runAutopay(database.db, { organizationId, now: new Date(chargeInstant(due, NEW_YORK).getTime() - 48 * HOUR), stripe: stripe.stripe });
      const summary = await runAutopay(database.db, { organizationId, now: chargeTime(due), stripe: stripe.stripe });
      expect(summary).toMatchObject({ charged: 1, succeeded: 1, failed: 0 });
    }
    const charges = await planPayments(planId);
    expect(charges.map((charge) => [charge.status, charge.amount, charge.payment?.status, charge.payment?.source])).toEqual(
      Array.from({ length: 6 }, () => ["succeeded", 10_000, "succeeded", "autopay"]),
    );
    const emails = await database.db.email.findMany({ where: { organizationId }, select: { kind: true, text: true } });
    expect(emails.filter((email) => email.kind === "receipt")).toHaveLength(6);
    const reminders = emails.filter((email) => email.kind === "autopay_reminder");
    expect(reminders).toHaveLength(5);
    expect(reminders[0]!.text).toContain("$100.00");
    // Pay early on the pay page, or change the card through the card link (the same live link each time).
    expect(reminders[0]!.text).toMatch(/To pay early: http\S+\/pay\//);
    const cardLinks = reminders.map((reminder) => /To change your card: (http\S+\/card\/[0-9A-Za-z]{12})\n/.exec(reminder.text)?.[1]);
    expect(cardLinks.every(Boolean)).toBe(true);
    expect(await database.db.paymentPlan.findUniqueOrThrow({ where: { id: planId } })).toMatchObject({ status: "completed" });
    expect(await database.db.invoice.findUniqueOrThrow({ where: { id: invoiceId } })).toMatchObject({ status: "paid", amountDue: 0 });
    const ledger = await checkLedger(database.db);
    expect(ledger).toEqual({ unbalancedCurrencies: [], invoiceMismatches: [], patientCreditMismatches: [], allocationMismatches: [], claimMismatches: [] });
    // A run after the end charges nothing more.
    expect(await runAutopay(database.db, { organizationId, now: chargeTime("2027-08-01"), stripe: stripe.stripe })).toMatchObject({ charged: 0 });
  });

  it("charges the down payment as the plan is made, even before the clinic's charge hour; the installments wait for it", { timeout: 60_000 }, async () => {
    const { organizationId, patientId } = await patientWithBalance(30_000);
    // 06:30 in New York, before the 08:00 charge hour.
    const early = new Date("2027-01-05T11:30:00Z");
    const planId = await startPlan(
      organizationId,
      { patientId, downPaymentAmount: 10_000, installmentCount: 2, frequency: "monthly", startDate: "2027-01-05" },
      early,
    );
    const charges = await planPayments(planId);
    expect(charges.map((charge) => [charge.status, charge.amount, charge.scheduledFor.toISOString()])).toEqual([["succeeded", 10_000, early.toISOString()]]);
    // Installment 1 is due the same day, at 08:00: not before.
    expect(
      await runAutopay(database.db, { organizationId, now: new Date(chargeInstant("2027-01-05", NEW_YORK).getTime() - 60_000), stripe: stripe.stripe }),
    ).toMatchObject({ charged: 0 });
    expect(await runAutopay(database.db, { organizationId, now: chargeTime("2027-01-05"), stripe: stripe.stripe })).toMatchObject({ charged: 1, succeeded: 1 });
  });

  it("retries a soft decline 1 day after the due date; the retry (on the card the patient gave meanwhile) succeeds", { timeout: 60_000 }, async () => {
    const { organizationId, patientId } = await patientWithBalance(30_000, "4000000000009995");
    const planId = await startPlan(organizationId, { patientId, installmentCount: 3, frequency: "monthly", startDate: "2027-02-10" });
    const first = await runAutopay(database.db, { organizationId, now: chargeTime("2027-02-10"), stripe: stripe.stripe });
    expect(first).toMatchObject({ charged: 1, failed: 1 });
    let charges = await planPayments(planId);
    expect(charges.map((charge) => [charge.attempt, charge.status, charge.declineCode, charge.declineKind])).toEqual([
      [1, "failed", "insufficient_funds", "soft"],
      [2, "scheduled", null, null],
    ]);
    expect(charges[1]!.scheduledFor).toEqual(chargeInstant("2027-02-11", NEW_YORK));
    const failedEmail = await database.db.email.findFirstOrThrow({ where: { organizationId, kind: "autopay_failed" } });
    expect(failedEmail.text).toContain("We will try again on February 11, 2027");
    expect(failedEmail.text).not.toMatch(/visit|treatment|diagnos/i);
    // Not before its day.
    expect(await runAutopay(database.db, { organizationId, now: chargeTime("2027-02-10"), stripe: stripe.stripe })).toMatchObject({ charged: 0 });
    const good = await saveCardWithConsent(organizationId, patientId, "4242424242424242");
    await database.db.paymentPlan.update({ where: { id: planId }, data: { savedPaymentMethodId: good.id } });
    expect(await runAutopay(database.db, { organizationId, now: chargeTime("2027-02-11"), stripe: stripe.stripe })).toMatchObject({ charged: 1, succeeded: 1 });
    charges = await planPayments(planId);
    expect(charges.map((charge) => [charge.attempt, charge.status, charge.amount])).toEqual([
      [1, "failed", 10_000],
      [2, "succeeded", 10_000],
    ]);
    expect(await database.db.paymentPlan.findUniqueOrThrow({ where: { id: planId } })).toMatchObject({ status: "active" });
    expect(await database.db.attentionItem.count({ where: { paymentPlanId: planId } })).toBe(0);
  });

  it(
    "sends a hard decline straight to the patient: no retry, an email with the link, a needs-attention item, the plan past due",
    { timeout: 60_000 },
    async () => {
      const { organizationId, patientId } = await patientWithBalance(30_000, "4000000000009987");
      const planId = await startPlan(organizationId, { patientId, installmentCount: 3, frequency: "monthly", startDate: "2027-02-10" });
      expect(await runAutopay(database.db, { organizationId, now: chargeTime("2027-02-10"), stripe: stripe.stripe })).toMatchObject({ charged: 1, failed: 1 });
      const charges = await planPayments(planId);
      expect(charges.map((charge) => [charge.attempt, charge.status, charge.declineCode, charge.declineKind])).toEqual([[1, "failed", "lost_card", "hard"]]);
      expect(await runAutopay(database.db, { organizationId, now: chargeTime("2027-02-20"), stripe: stripe.stripe })).toMatchObject({ charged: 0 });
      const email = await database.db.email.findFirstOrThrow({ where: { organizationId, kind: "autopay_failed" } });
      // The card link to add or replace the card (lib/autopay/recover-plans.test.ts follows it), and the pay page.
      expect(email.text).toMatch(/Please add a new card or replace the one on file here: http\S+\/card\/[0-9A-Za-z]{12}\n/);
      expect(email.text).toMatch(/Or pay this amount now: http\S+\/pay\//);
      expect(await database.db.attentionItem.findMany({ where: { paymentPlanId: planId }, select: { kind: true, resolvedAt: true } })).toEqual([
        { kind: "autopay_failed", resolvedAt: null },
      ]);
      expect(await database.db.paymentPlan.findUniqueOrThrow({ where: { id: planId } })).toMatchObject({ status: "past_due" });
    },
  );

  it("never charges without a consent: a card on file without one is not charged, the patient gets the link", { timeout: 60_000 }, async () => {
    const { organizationId, patientId, card } = await patientWithBalance(30_000);
    const planId = await startPlan(organizationId, { patientId, installmentCount: 3, frequency: "monthly", startDate: "2027-02-10" });
    // The consent is gone from the card (as for a card saved before consents were recorded).
    await database.db.savedPaymentMethod.update({ where: { id: card!.id }, data: { consentId: null } });
    const before = (await listStripeRequests(stripe.emulator.url, { secretKey: stripe.secretKey })).length;
    expect(await runAutopay(database.db, { organizationId, now: chargeTime("2027-02-10"), stripe: stripe.stripe })).toMatchObject({ failed: 1 });
    const after = await listStripeRequests(stripe.emulator.url, { secretKey: stripe.secretKey });
    expect(after.slice(before).filter((request) => request.path === "/v1/payment_intents")).toEqual([]);
    expect((await planPayments(planId)).map((charge) => [charge.status, charge.declineCode, charge.paymentId])).toEqual([["failed", "no_card_on_file", null]]);
  });

  it("shrinks the next installment after a cash payment at the desk, and completes the plan when nothing is left", { timeout: 60_000 }, async () => {
    const { organizationId, patientId, invoiceId } = await patientWithBalance(60_000);
    const planId = await startPlan(organizationId, { patientId, installmentCount: 3, frequency: "monthly", startDate: "2027-02-10" });
    await runAutopay(database.db, { organizationId, now: chargeTime("2027-02-10"), stripe: stripe.stripe });
    await recordManualPayment(database.db, { organizationId, actor, input: { patientId, invoiceId, method: "cash", amount: 35_000 } });
    await runAutopay(database.db, { organizationId, now: chargeTime("2027-03-10"), stripe: stripe.stripe });
    await runAutopay(database.db, { organizationId, now: chargeTime("2027-04-10"), stripe: stripe.stripe });
    const charges = await planPayments(planId);
    expect(charges.map((charge) => [charge.status, charge.amount])).toEqual([
      ["succeeded", 20_000],
      ["succeeded", 5_000],
    ]);
    expect(await database.db.paymentPlan.findUniqueOrThrow({ where: { id: planId } })).toMatchObject({ status: "completed" });
    const installments = await database.db.paymentPlanInstallment.findMany({ where: { planId }, orderBy: { sequence: "asc" } });
    expect(installments.map((row) => [row.sequence, row.status, row.paidAmount])).toEqual([
      [1, "paid", 20_000],
      [2, "paid", 5_000],
      [3, "canceled", 0],
    ]);
    expect(await database.db.invoice.findUniqueOrThrow({ where: { id: invoiceId } })).toMatchObject({ status: "paid" });
  });

  it(
    "charges once when two runs go at once, and once when a run is repeated after a crash between the Stripe call and our commit",
    { timeout: 60_000 },
    async () => {
      const { organizationId, patientId } = await patientWithBalance(40_000);
      const planId = await startPlan(organizationId, { patientId, installmentCount: 2, frequency: "monthly", startDate: "2027-02-10" });
      const runs = await Promise.all([
        runAutopay(database.db, { organizationId, now: chargeTime("2027-02-10"), stripe: stripe.stripe }),
        runAutopay(database.db, { organizationId, now: chargeTime("2027-02-10"), stripe: stripe.stripe }),
      ]);
      expect(runs.reduce((sum, run) => sum + run.charged, 0)).toBe(1);

      // The second installment: a run claims it and calls Stripe, then dies before recording anything.
      const due = chargeTime("2027-03-10");
      const { scheduleDueCharges } = await import("./run-autopay");
      await scheduleDueCharges(database.db, { now: due, planId });
      const claimed = await claimDueCharge(database.db, { now: due, planId });
      expect(claimed?.outcome).toBe("processing");
      const charge = await database.db.autopayCharge.findUniqueOrThrow({
        where: { id: claimed!.chargeId },
        include: { payment: true, card: true, patient: true },
      });
      const lost = await createPaymentIntent(
        {
          metadata: { organizationId, invoiceId: charge.payment!.invoiceId!, paymentId: charge.payment!.id },
          amount: charge.payment!.amount,
          currency: "usd",
          customerId: charge.patient.stripeCustomerId!,
          offSessionPaymentMethodId: charge.card!.stripePaymentMethodId,
        },
        stripe.stripe,
        { idempotencyKey: charge.idempotencyKey as IdempotencyKey },
      );
      // A run soon after leaves the claimed charge alone (its claim is fresh); one later resumes it with the same key.
      expect(await runAutopay(database.db, { organizationId, now: new Date(due.getTime() + 60_000), stripe: stripe.stripe })).toMatchObject({
        resumed: 0,
        charged: 0,
      });
      expect(await runAutopay(database.db, { organizationId, now: new Date(due.getTime() + 30 * 60_000), stripe: stripe.stripe })).toMatchObject({
        resumed: 1,
        succeeded: 1,
      });
      const charges = await planPayments(planId);
      expect(charges.map((row) => [row.status, row.payment?.status])).toEqual([
        ["succeeded", "succeeded"],
        ["succeeded", "succeeded"],
      ]);
      expect(charges[1]!.payment!.stripePaymentIntentId).toBe(lost.id);
      const intents = await stripe.stripe.paymentIntents.list({ customer: charge.patient.stripeCustomerId!, limit: 100 });
      expect(intents.data.filter((intent) => intent.status === "succeeded")).toHaveLength(2);
      expect(await database.db.paymentPlan.findUniqueOrThrow({ where: { id: planId } })).toMatchObject({ status: "completed" });
    },
  );

  it("asks the patient when the bank wants authentication: no retry, the emailed link pays it, the plan is active again", { timeout: 60_000 }, async () => {
    const { organizationId, patientId, invoiceId } = await patientWithBalance(30_000, "4000002760003184");
    const planId = await startPlan(organizationId, { patientId, installmentCount: 3, frequency: "monthly", startDate: "2027-02-10" });
    expect(await runAutopay(database.db, { organizationId, now: chargeTime("2027-02-10"), stripe: stripe.stripe })).toMatchObject({ charged: 1, failed: 1 });
    expect((await planPayments(planId)).map((charge) => [charge.status, charge.declineCode, charge.declineKind])).toEqual([
      ["failed", "authentication_required", "authentication_required"],
    ]);
    expect(await database.db.attentionItem.findMany({ where: { paymentPlanId: planId }, select: { kind: true } })).toEqual([
      { kind: "authentication_required" },
    ]);
    expect(await database.db.paymentPlan.findUniqueOrThrow({ where: { id: planId } })).toMatchObject({ status: "past_due" });
    const email = await database.db.email.findFirstOrThrow({ where: { organizationId, kind: "autopay_failed" } });
    const link = /http\S+\/pay\/\S+/.exec(email.text)?.[0];
    expect(link).toBeDefined();
    const paymentLink = await database.db.paymentLink.findFirstOrThrow({ where: { invoiceId, revokedAt: null } });
    // The patient opens the link and pays the missed $100 on the pay page (present, so 3-D Secure is possible; here another card).
    const attempt = await createPaymentAttempt(database.db, {
      organizationId,
      invoiceId,
      amount: 10_000,
      paymentLinkId: paymentLink.id,
      stripe: stripe.stripe,
    });
    await stripe.stripe.paymentIntents.confirm(attempt.paymentIntent.id, { payment_method: "pm_card_visa" });
    await syncPaymentIntent(database.db, attempt.paymentIntent.id, stripe.stripe);
    await runAutopay(database.db, { organizationId, now: new Date(chargeTime("2027-02-10").getTime() + 2 * HOUR), stripe: stripe.stripe });
    expect(await database.db.paymentPlan.findUniqueOrThrow({ where: { id: planId } })).toMatchObject({ status: "active" });
    expect(await database.db.attentionItem.count({ where: { paymentPlanId: planId, resolvedAt: null } })).toBe(0);
  });

  it("charges a 31st-of-month schedule on Feb 28, then on Mar 31", { timeout: 60_000 }, async () => {
    const { organizationId, patientId } = await patientWithBalance(30_000);
    const planId = await startPlan(organizationId, { patientId, installmentCount: 3, frequency: "monthly", startDate: "2027-01-31" });
    expect(await runAutopay(database.db, { organizationId, now: chargeTime("2027-01-31"), stripe: stripe.stripe })).toMatchObject({ succeeded: 1 });
    expect(await runAutopay(database.db, { organizationId, now: chargeTime("2027-02-27"), stripe: stripe.stripe })).toMatchObject({ charged: 0 });
    expect(await runAutopay(database.db, { organizationId, now: chargeTime("2027-02-28"), stripe: stripe.stripe })).toMatchObject({ succeeded: 1 });
    expect(await runAutopay(database.db, { organizationId, now: chargeTime("2027-03-30"), stripe: stripe.stripe })).toMatchObject({ charged: 0 });
    expect(await runAutopay(database.db, { organizationId, now: chargeTime("2027-03-31"), stripe: stripe.stripe })).toMatchObject({ succeeded: 1 });
    const charges = await planPayments(planId);
    expect(charges.map((charge) => charge.scheduledFor.toISOString())).toEqual([
      "2027-01-31T13:00:00.000Z",
      "2027-02-28T13:00:00.000Z",
      "2027-03-31T12:00:00.000Z",
    ]);
    expect(await database.db.paymentPlan.findUniqueOrThrow({ where: { id: planId } })).toMatchObject({ status: "completed" });
  });

  it("pays a plan of two invoices oldest first: one charge split across both, allocations and ledger consistent", { timeout: 60_000 }, async () => {
    const { organizationId, patientId, invoiceId: newer } = await patientWithBalance(25_000);
    const older = await createTestOpenInvoice(database.db, { organizationId, patientId, total: 15_000, issuedOn: "2027-01-02" });
    const planId = await startPlan(organizationId, { patientId, installmentCount: 2, frequency: "monthly", startDate: "2027-02-10" });
    await runAutopay(database.db, { organizationId, now: chargeTime("2027-02-10"), stripe: stripe.stripe });
    const [first] = await planPayments(planId);
    expect(first!.payment).toMatchObject({ invoiceId: older.id, amountReceived: 20_000, appliedAmount: 20_000, creditAmount: 0, amountRefunded: 0 });
    const allocations = await database.db.paymentAllocation.findMany({ where: { paymentId: first!.paymentId! }, select: { invoiceId: true, amount: true } });
    expect(new Map(allocations.map((row) => [row.invoiceId, row.amount]))).toEqual(
      new Map([
        [older.id, 15_000],
        [newer, 5_000],
      ]),
    );
    await runAutopay(database.db, { organizationId, now: chargeTime("2027-03-10"), stripe: stripe.stripe });
    expect(await database.db.invoice.findMany({ where: { id: { in: [older.id, newer] } }, select: { status: true } })).toEqual([
      { status: "paid" },
      { status: "paid" },
    ]);
    expect(await database.db.paymentPlan.findUniqueOrThrow({ where: { id: planId } })).toMatchObject({ status: "completed" });
    const receipt = await database.db.email.findFirstOrThrow({ where: { organizationId, kind: "receipt" }, orderBy: { createdAt: "asc" } });
    expect(receipt.text).toContain("$150.00 applied");
    expect(receipt.text).toContain("$50.00 applied");
    const ledger = await checkLedger(database.db);
    expect(ledger).toEqual({ unbalancedCurrencies: [], invoiceMismatches: [], patientCreditMismatches: [], allocationMismatches: [], claimMismatches: [] });
  });

  it("completes the plan without another charge when the patient pays the rest early on the pay page", { timeout: 60_000 }, async () => {
    const { organizationId, patientId, invoiceId } = await patientWithBalance(30_000);
    const planId = await startPlan(organizationId, { patientId, installmentCount: 3, frequency: "monthly", startDate: "2027-02-10" });
    await runAutopay(database.db, { organizationId, now: chargeTime("2027-02-10"), stripe: stripe.stripe });
    const attempt = await createPaymentAttempt(database.db, { organizationId, invoiceId, stripe: stripe.stripe });
    expect(attempt.amount).toBe(20_000);
    await stripe.stripe.paymentIntents.confirm(attempt.paymentIntent.id, { payment_method: "pm_card_visa" });
    await syncPaymentIntent(database.db, attempt.paymentIntent.id, stripe.stripe);
    expect(await runAutopay(database.db, { organizationId, now: chargeTime("2027-03-10"), stripe: stripe.stripe })).toMatchObject({ charged: 0 });
    expect(await database.db.paymentPlan.findUniqueOrThrow({ where: { id: planId } })).toMatchObject({ status: "completed" });
    const installments = await database.db.paymentPlanInstallment.findMany({ where: { planId }, orderBy: { sequence: "asc" } });
    expect(installments.map((row) => row.status)).toEqual(["paid", "canceled", "canceled"]);
  });

  it("flags a plan's card that expires before its next installment, once, and clears it when the card is changed", { timeout: 60_000 }, async () => {
    const { organizationId, patientId, card } = await patientWithBalance(30_000);
    await database.db.savedPaymentMethod.update({ where: { id: card!.id }, data: { expMonth: 2, expYear: 2027 } });
    const planId = await startPlan(organizationId, { patientId, installmentCount: 3, frequency: "monthly", startDate: "2027-02-10" });
    await runAutopay(database.db, { organizationId, now: chargeTime("2027-01-20"), stripe: stripe.stripe });
    expect(await database.db.attentionItem.count({ where: { paymentPlanId: planId } })).toBe(0);
    await runAutopay(database.db, { organizationId, now: chargeTime("2027-02-10"), stripe: stripe.stripe });
    await runAutopay(database.db, { organizationId, now: chargeTime("2027-02-11"), stripe: stripe.stripe });
    const items = await database.db.attentionItem.findMany({ where: { paymentPlanId: planId }, select: { kind: true, message: true, resolvedAt: true } });
    expect(items).toEqual([
      { kind: "card_expiring", message: "The card on file (visa 4242) expires 02/2027, before the plan's next installment on 2027-03-10.", resolvedAt: null },
    ]);
    const next = await saveCardWithConsent(organizationId, patientId, "4242424242424242");
    await database.db.paymentPlan.update({ where: { id: planId }, data: { savedPaymentMethodId: next.id } });
    await runAutopay(database.db, { organizationId, now: chargeTime("2027-02-12"), stripe: stripe.stripe });
    expect(await database.db.attentionItem.count({ where: { paymentPlanId: planId, resolvedAt: null } })).toBe(0);
  });

  // Last: it scans every off-session PaymentIntent the tests above created.
  it("recorded the consent of every off-session charge sent to Stripe", async () => {
    const requests = await listStripeRequests(stripe.emulator.url, { secretKey: stripe.secretKey });
    const offSession = requests.filter(
      (request) =>
        request.method === "POST" && request.path === "/v1/payment_intents" && String((request.params as Record<string, unknown>).off_session) === "true",
    );
    expect(offSession.length).toBeGreaterThanOrEqual(15);
    for (const request of offSession) {
      const charge = await database.db.autopayCharge.findUniqueOrThrow({
        where: { idempotencyKey: request.idempotency_key! },
        include: { consent: true, card: true },
      });
      expect(charge.consent).not.toBeNull();
      expect(charge.consent!.patientId).toBe(charge.patientId);
      expect(charge.card!.consentId).toBe(charge.consentId);
      expect((request.params as Record<string, unknown>).payment_method).toBe(charge.card!.stripePaymentMethodId);
    }
  });
});
