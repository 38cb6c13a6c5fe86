import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, todayIn } from "@/lib/invoices/dates";
import { checkLedger, getTrialBalance } from "@/lib/ledger/balances";
import { refundPatientCredit, listRefundableCredit } from "@/lib/patient-credit/refund-patient-credit";
import { getPatientCreditHistory } from "@/lib/patient-credit/get-patient-credit-history";
import { processStripeEvent } from "@/lib/webhooks/process-stripe-event";
import { resolveLostDispute } from "@/lib/disputes/resolve-lost-dispute";
import { confirmCard } from "@/tests/card-payments";
import { createTestPatient } from "@/tests/factories";
import { refusal } from "@/tests/refusal";
import { createTestBillingClinic, type TestBillingClinic } from "@/tests/insurance-fixtures";
import { importTest835, submitTestClaim, usualTest835Claim } from "@/tests/remittance-files";
import { postEmulatorControl, startTestStripe, type TestStripe } from "@/tests/stripe";
import { setupTestDatabase } from "@/tests/test-database";
import { chargeSavedCardPrepayment } from "./charge-saved-card";
import { recordManualPayment } from "./record-manual-payment";
import { voidManualPayment } from "./void-manual-payment";
import { completeDeskCardPayment, startDeskCardPrepayment } from "./take-desk-card-payment";

/**
 * "Collect estimate" by card (typed in at the desk, or a saved card): a card payment for no
 * invoice whose whole amount becomes the patient's credit; the share invoice the remittance bills
 * takes it at finalize; what is left can be refunded to the card (or, for cash, handed back), never
 * more than the unused credit.
 */
const database = setupTestDatabase();
let stripe: TestStripe;
const SERVICE_DATE = addDays(todayIn("America/New_York"), -3);
const CLEAN_LEDGER = { unbalancedCurrencies: [], invoiceMismatches: [], patientCreditMismatches: [], allocationMismatches: [], claimMismatches: [] };
const DESK = { ip: "203.0.113.9", userAgent: "Mozilla/5.0 (Front desk) Chrome/131" };

beforeAll(async () => {
  stripe = await startTestStripe();
});
afterAll(async () => {
  await stripe.close();
});

async function clinic() {
  const c = await createTestBillingClinic(database.db);
  await database.db.patient.update({ where: { id: c.patient.id }, data: { email: "prepaid.patient@example.test" } });
  const actor = { ...c.actor, userId: c.adminUserId };
  const startCard = (input: { amount: number; saveCard?: boolean }, patientId = c.patient.id) =>
    startDeskCardPrepayment(database.db, { organizationId: c.organizationId, actor, input: { patientId, ...input }, client: DESK, stripe: stripe.stripe });
  const complete = (paymentId: string) => completeDeskCardPayment(database.db, { organizationId: c.organizationId, paymentId, stripe: stripe.stripe });
  /** Typed in at the desk and confirmed with a test card; the desk's return records it. */
  const payByDeskCard = async (amount: number, options: { saveCard?: boolean; card?: string } = {}) => {
    const started = await startCard({ amount, saveCard: options.saveCard });
    await confirmCard(stripe.stripe, await intentIdOf(started.paymentId), options.card ?? "pm_card_visa");
    return { started, outcome: await complete(started.paymentId) };
  };
  const refundCredit = (input: { paymentId: string; amount: number; note?: string }) =>
    refundPatientCredit(database.db, { organizationId: c.organizationId, patientId: c.patient.id, actor, input, stripe: stripe.stripe });
  return { c, actor, startCard, complete, payByDeskCard, refundCredit };
}

async function intentIdOf(paymentId: string): Promise<string> {
  return (await database.db.payment.findUniqueOrThrow({ where: { id: paymentId } })).stripePaymentIntentId!;
}

const creditOf = async (patientId: string) =>
  (await database.db.patientCreditBalance.findUnique({ where: { patientId_currency: { patientId, currency: "USD" } } }))?.balance ?? 0;

const balancesByCode = async (organizationId: string) =>
  Object.fromEntries((await getTrialBalance(database.db, organizationId)).map((row) => [row.code, row.balance]));

async function deliverEvents(types: string[]) {
  const events = await stripe.stripe.events.list({ limit: 100 });
  for (const event of events.data.filter((entry) => types.includes(entry.type)).reverse()) {
    await processStripeEvent(database.db, event as Stripe.Event, stripe.stripe);
  }
}

async function importShare(c: TestBillingClinic) {
  const { claim } = await submitTestClaim(database.db, c, SERVICE_DATE);
  await database.db.$executeRaw`UPDATE claims SET status = 'accepted' WHERE id = ${claim.id}::uuid`;
  // The patient's share: 25.00 co-pay + 20.00 deductible + 9.60 coinsurance = 54.60.
  await importTest835(database.db, c, [usualTest835Claim(claim.displayNumber, SERVICE_DATE)]);
  const remittanceClaim = await database.db.remittanceClaim.findFirstOrThrow({
    where: { organizationId: c.organizationId },
    select: { patientShareInvoiceId: true },
  });
  return database.db.invoice.findUniqueOrThrow({
    where: { id: remittanceClaim.patientShareInvoiceId! },
    select: { status: true, total: true, amountPaid: true, amountDue: true, creditApplications: { select: { amount: true } } },
  });
}

describe("card prepayments", () => {
  it("a card typed in at the desk becomes the patient's credit (no invoice): journal from Stripe clearing, receipt, audit", async () => {
    const { c, payByDeskCard } = await clinic();
    const { started, outcome } = await payByDeskCard(8_000);
    expect(started).toMatchObject({ amount: 8_000, currency: "USD", authorizeOnly: false });
    expect(outcome).toMatchObject({ status: "succeeded", prepayment: true, receiptNumber: expect.stringMatching(/^RCT-/), failureMessage: null });
    const payment = await database.db.payment.findUniqueOrThrow({ where: { id: started.paymentId } });
    expect(payment).toMatchObject({
      source: "desk_card",
      prepayment: true,
      invoiceId: null,
      patientId: c.patient.id,
      amountReceived: 8_000,
      appliedAmount: 0,
      creditAmount: 8_000,
      amountRefunded: 0,
    });
    expect(await creditOf(c.patient.id)).toBe(8_000);
    expect(await database.db.paymentAllocation.count({ where: { paymentId: payment.id } })).toBe(0);
    const journal = await database.db.journalEntry.findFirstOrThrow({
      where: { sourceType: "payment", sourceId: payment.id, kind: "payment.succeeded" },
      include: { lines: { include: { account: { select: { code: true } } } } },
    });
    expect(journal.lines.map((line) => [line.account.code, line.amount, line.patientId]).sort()).toEqual(
      [
        ["1010", 8_000, null],
        ["2200", -8_000, c.patient.id],
      ].sort(),
    );
    const receipt = await database.db.email.findFirstOrThrow({ where: { organizationId: c.organizationId, kind: "receipt" } });
    expect(receipt.text).toContain("$80.00 is kept as credit on your account");
    expect(receipt.invoiceId).toBeNull();
    const audit = await database.db.auditEvent.findFirstOrThrow({
      where: { organizationId: c.organizationId, action: "payment.succeeded", targetId: payment.id },
    });
    expect(audit.after).toMatchObject({ prepayment: true, received: 8_000, credit: 8_000 });
    const history = await getPatientCreditHistory(database.db, { organizationId: c.organizationId, patientId: c.patient.id });
    expect(history.events[0]).toMatchObject({ label: "Prepayment kept as credit", amount: 8_000, paymentId: payment.id, invoice: null });
    expect(await checkLedger(database.db)).toEqual(CLEAN_LEDGER);
  });

  it("the webhook and the desk's return book it once, in either order", async () => {
    const { c, startCard, complete } = await clinic();
    const started = await startCard({ amount: 4_000 });
    // A double click rejoins the same attempt (one intent), its amount updated in place.
    const again = await startCard({ amount: 5_000 });
    expect(again.paymentId).toBe(started.paymentId);
    const intentId = await intentIdOf(started.paymentId);
    expect((await stripe.stripe.paymentIntents.retrieve(intentId)).amount).toBe(5_000);
    await confirmCard(stripe.stripe, intentId, "pm_card_visa");
    await deliverEvents(["payment_intent.succeeded"]);
    await deliverEvents(["payment_intent.succeeded"]);
    expect(await complete(started.paymentId)).toMatchObject({ status: "succeeded", prepayment: true });
    expect(await complete(started.paymentId)).toMatchObject({ status: "succeeded" });
    expect(await creditOf(c.patient.id)).toBe(5_000);
    expect(await database.db.journalEntry.count({ where: { sourceType: "payment", sourceId: started.paymentId, kind: "payment.succeeded" } })).toBe(1);
    expect(await database.db.email.count({ where: { organizationId: c.organizationId, kind: "receipt" } })).toBe(1);
    expect(await database.db.payment.count({ where: { patientId: c.patient.id, prepayment: true } })).toBe(1);

    // The other order: the desk's return first, then the webhook. A new attempt (the first one is done).
    const second = await startCard({ amount: 3_000 });
    expect(second.paymentId).not.toBe(started.paymentId);
    await confirmCard(stripe.stripe, await intentIdOf(second.paymentId), "pm_card_visa");
    expect(await complete(second.paymentId)).toMatchObject({ status: "succeeded", prepayment: true });
    await deliverEvents(["payment_intent.succeeded"]);
    expect(await creditOf(c.patient.id)).toBe(8_000);
    expect(await database.db.journalEntry.count({ where: { sourceType: "payment", sourceId: second.paymentId, kind: "payment.succeeded" } })).toBe(1);
    expect(await database.db.email.count({ where: { organizationId: c.organizationId, kind: "receipt" } })).toBe(2);
  });

  it("a decline is an outcome: nothing becomes credit", async () => {
    const { c, payByDeskCard } = await clinic();
    const { outcome } = await payByDeskCard(3_000, { card: "pm_card_chargeDeclined" });
    expect(outcome).toMatchObject({ status: "failed", receiptNumber: null });
    expect(outcome.failureMessage).toMatch(/declined/i);
    expect(await creditOf(c.patient.id)).toBe(0);
  });

  it("refuses an amount under the card minimum, and another clinic's patient, writing nothing", async () => {
    const { c, startCard } = await clinic();
    expect(await refusal(startCard({ amount: 40 }))).toMatchObject({
      code: "VALIDATION_FAILED",
      fields: { amount: [expect.stringMatching(/at least \$0\.50/)] },
    });
    const other = await createTestBillingClinic(database.db);
    expect(await refusal(startCard({ amount: 2_000 }, other.patient.id))).toMatchObject({ code: "NOT_FOUND" });
    expect(await database.db.payment.count({ where: { organizationId: c.organizationId } })).toBe(0);
  });

  it("a saved card (kept with consent at the desk) charged for the estimate becomes credit; a card without consent is refused", async () => {
    const { c, actor, payByDeskCard } = await clinic();
    // The first visit: the card typed in with "save this card" (the patient's consent through the staff member).
    await payByDeskCard(2_000, { saveCard: true });
    const card = await database.db.savedPaymentMethod.findFirstOrThrow({ where: { patientId: c.patient.id } });
    expect(card.consentId).not.toBeNull();
    const charged = await chargeSavedCardPrepayment(database.db, {
      organizationId: c.organizationId,
      actor,
      input: { patientId: c.patient.id, savedPaymentMethodId: card.id, amount: 6_000 },
      stripe: stripe.stripe,
    });
    expect(charged).toMatchObject({ status: "succeeded", failureMessage: null });
    expect(await database.db.payment.findUniqueOrThrow({ where: { id: charged.paymentId } })).toMatchObject({
      source: "saved_card",
      prepayment: true,
      invoiceId: null,
      creditAmount: 6_000,
      cardLast4: "4242",
    });
    expect(await creditOf(c.patient.id)).toBe(8_000);

    await database.db.savedPaymentMethod.update({ where: { id: card.id }, data: { consentId: null } });
    const refused = await refusal(
      chargeSavedCardPrepayment(database.db, {
        organizationId: c.organizationId,
        actor,
        input: { patientId: c.patient.id, savedPaymentMethodId: card.id, amount: 6_000 },
        stripe: stripe.stripe,
      }),
    );
    expect(refused).toMatchObject({ code: "VALIDATION_FAILED", fields: { savedPaymentMethodId: [expect.stringMatching(/agreement/)] } });
    // Another patient's card is not this patient's.
    const stranger = await createTestPatient(database.db, { organizationId: c.organizationId });
    const foreign = await refusal(
      chargeSavedCardPrepayment(database.db, {
        organizationId: c.organizationId,
        actor,
        input: { patientId: stranger.id, savedPaymentMethodId: card.id, amount: 6_000 },
        stripe: stripe.stripe,
      }),
    );
    expect(foreign).toMatchObject({ code: "VALIDATION_FAILED", fields: { savedPaymentMethodId: ["Choose one of the patient's saved cards."] } });
    expect(await creditOf(c.patient.id)).toBe(8_000);
  });

  it("the share invoice takes the card prepayment at finalize; the unused rest goes back to the card, never more", async () => {
    const { c, payByDeskCard, refundCredit } = await clinic();
    const { started } = await payByDeskCard(8_000);
    const share = await importShare(c);
    expect(share).toMatchObject({ status: "paid", total: 5_460, amountPaid: 5_460, amountDue: 0, creditApplications: [{ amount: 5_460 }] });
    expect(await creditOf(c.patient.id)).toBe(2_540);
    expect(await listRefundableCredit(database.db, { organizationId: c.organizationId, patientId: c.patient.id })).toEqual([
      expect.objectContaining({ paymentId: started.paymentId, method: "card", prepayment: true, refundable: 2_540, label: "Visa •••• 4242" }),
    ]);

    const tooMuch = await refusal(refundCredit({ paymentId: started.paymentId, amount: 2_541 }));
    expect(tooMuch).toMatchObject({ code: "VALIDATION_FAILED", fields: { amount: ["Refund at most $25.40, the unused credit left from this payment."] } });
    const refunded = await refundCredit({ paymentId: started.paymentId, amount: 2_540, note: "Patient asked for the rest back" });
    expect(refunded).toMatchObject({ method: "card", amount: 2_540, status: "succeeded", stripeUnreachable: false });
    const refund = await database.db.refund.findUniqueOrThrow({ where: { id: refunded.refundId } });
    expect(refund).toMatchObject({ invoiceId: null, fromCredit: 2_540, amount: 2_540, stripeRefundId: expect.stringMatching(/^re_/) });
    expect((await stripe.stripe.refunds.retrieve(refund.stripeRefundId!)).amount).toBe(2_540);
    expect(await creditOf(c.patient.id)).toBe(0);
    expect(await database.db.payment.findUniqueOrThrow({ where: { id: started.paymentId } })).toMatchObject({ amountRefunded: 2_540 });
    // The credit spent on the share is not refundable: nothing is left.
    expect(await refusal(refundCredit({ paymentId: started.paymentId, amount: 100 }))).toMatchObject({
      code: "CONFLICT",
      message: expect.stringMatching(/None of the patient's credit from this payment is left/),
    });
    expect(await listRefundableCredit(database.db, { organizationId: c.organizationId, patientId: c.patient.id })).toEqual([]);
    const history = await getPatientCreditHistory(database.db, { organizationId: c.organizationId, patientId: c.patient.id });
    expect(history.events[0]).toMatchObject({ amount: -2_540, paymentId: started.paymentId, label: "Refunded to the card" });
    // Stripe clearing: 80.00 in, less the fee, less 25.40 back.
    const fee = (await database.db.payment.findUniqueOrThrow({ where: { id: started.paymentId } })).feeAmount;
    expect(await balancesByCode(c.organizationId)).toMatchObject({ "1010": 8_000 - fee - 2_540, "2200": 0 });
    expect(await checkLedger(database.db)).toEqual(CLEAN_LEDGER);
  });

  it("a refund of prepayment credit that fails at the card gives the credit back, once, through the webhook", async () => {
    const { c, payByDeskCard, refundCredit } = await clinic();
    const { started } = await payByDeskCard(6_000, { card: "pm_card_refundFail" });
    const intentId = await intentIdOf(started.paymentId);
    const refunded = await refundCredit({ paymentId: started.paymentId, amount: 4_000 });
    expect(await creditOf(c.patient.id)).toBe(2_000);
    for (let attempt = 0; attempt < 200; attempt += 1) {
      const refunds = await stripe.stripe.refunds.list({ payment_intent: intentId, limit: 10 });
      if (refunds.data.length > 0 && refunds.data.every((refund) => refund.status === "failed")) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await deliverEvents(["refund.created", "refund.updated", "refund.failed", "charge.refund.updated"]);
    await deliverEvents(["refund.failed", "charge.refund.updated"]);
    expect(await database.db.refund.findUniqueOrThrow({ where: { id: refunded.refundId } })).toMatchObject({ status: "failed", invoiceId: null });
    expect(await creditOf(c.patient.id)).toBe(6_000);
    expect(await database.db.payment.findUniqueOrThrow({ where: { id: started.paymentId } })).toMatchObject({ amountRefunded: 0 });
    expect(await database.db.journalEntry.count({ where: { sourceType: "refund", sourceId: refunded.refundId, kind: "refund.failed" } })).toBe(1);
    expect(await checkLedger(database.db)).toEqual(CLEAN_LEDGER);
  });

  it("a chargeback on a card prepayment: recorded without an invoice; lost, the unused credit is taken back and the rest is a loss", async () => {
    const { c, actor, payByDeskCard } = await clinic();
    const { started } = await payByDeskCard(7_000);
    await importShare(c); // the share (54.60) takes 54.60 of the credit; 15.40 is left
    expect(await creditOf(c.patient.id)).toBe(1_540);
    const payment = await database.db.payment.findUniqueOrThrow({ where: { id: started.paymentId } });
    const opened = await postEmulatorControl<Stripe.Dispute>(stripe, "/disputes", { charge: payment.stripeChargeId, inquiry: false });
    await postEmulatorControl<Stripe.Dispute>(stripe, `/disputes/${opened.id}/close`, { status: "lost" });
    await deliverEvents(["charge.dispute.created", "charge.dispute.funds_withdrawn", "charge.dispute.closed"]);
    const dispute = await database.db.dispute.findUniqueOrThrow({ where: { stripeDisputeId: opened.id } });
    expect(dispute).toMatchObject({ invoiceId: null, paymentId: payment.id, status: "lost", amount: 7_000, resolution: null });
    expect(await database.db.payment.findUniqueOrThrow({ where: { id: payment.id } })).toMatchObject({ disputed: false });
    const email = await database.db.email.findFirstOrThrow({ where: { organizationId: c.organizationId, kind: "dispute_opened" } });
    expect(email.text).toContain("Invoice: a prepayment (kept as the patient's credit)");

    const resolved = await resolveLostDispute(database.db, {
      organizationId: c.organizationId,
      disputeId: dispute.id,
      actor,
      input: { resolution: "reopened" },
    });
    expect(resolved).toMatchObject({ resolution: "reopened", reopenedAmount: 0 });
    expect(await creditOf(c.patient.id)).toBe(0);
    expect(await balancesByCode(c.organizationId)).toMatchObject({ "1200": 0, "2200": 0 });
    const losses = (await getTrialBalance(database.db, c.organizationId)).find((row) => row.name.toLowerCase().includes("chargeback"));
    expect(losses?.balance).toBe(7_000 - 1_540);
    expect(await checkLedger(database.db)).toEqual(CLEAN_LEDGER);
  });

  it("cash prepayment credit is handed back: Dr patient credit / Cr cash, recorded and audited; the manual payment can no longer be voided", async () => {
    const { c, actor, refundCredit } = await clinic();
    const cash = await recordManualPayment(database.db, {
      organizationId: c.organizationId,
      actor: c.actor,
      input: { patientId: c.patient.id, method: "cash", amount: 5_000, prepayment: true },
    });
    expect(await database.db.payment.findUniqueOrThrow({ where: { id: cash.id } })).toMatchObject({ prepayment: true, invoiceId: null });
    expect(await refusal(refundCredit({ paymentId: cash.id, amount: 5_001 }))).toMatchObject({
      code: "VALIDATION_FAILED",
      fields: { amount: ["Refund at most $50.00, the unused credit left from this payment."] },
    });
    const handedBack = await refundCredit({ paymentId: cash.id, amount: 2_000 });
    expect(handedBack).toMatchObject({ method: "manual", amount: 2_000, status: "succeeded" });
    expect(await database.db.refund.findUniqueOrThrow({ where: { id: handedBack.refundId } })).toMatchObject({
      invoiceId: null,
      fromCredit: 2_000,
      status: "succeeded",
      stripeRefundId: null,
      requestedById: actor.userId,
    });
    expect(await creditOf(c.patient.id)).toBe(3_000);
    expect(await balancesByCode(c.organizationId)).toMatchObject({ "1000": 3_000, "2200": -3_000 });
    const audit = await database.db.auditEvent.findFirstOrThrow({ where: { organizationId: c.organizationId, action: "refund.manual_recorded" } });
    expect(audit.after).toMatchObject({ paymentId: cash.id, amount: 2_000, method: "cash", prepayment: true });
    const history = await getPatientCreditHistory(database.db, { organizationId: c.organizationId, patientId: c.patient.id });
    expect(history.events[0]).toMatchObject({ amount: -2_000, paymentId: cash.id, label: "Handed back (cash)" });
    expect(
      await refusal(voidManualPayment(database.db, { organizationId: c.organizationId, paymentId: cash.id, actor, input: { reason: "Recorded twice" } })),
    ).toMatchObject({
      code: "CONFLICT",
      message: "$20.00 of this payment was refunded; it can no longer be voided.",
    });
    // Another patient's payment is not found from this patient's page.
    const other = await createTestPatient(database.db, { organizationId: c.organizationId });
    expect(
      await refusal(
        refundPatientCredit(database.db, { organizationId: c.organizationId, patientId: other.id, actor, input: { paymentId: cash.id, amount: 100 } }),
      ),
    ).toMatchObject({ code: "NOT_FOUND" });
    expect(await checkLedger(database.db)).toEqual(CLEAN_LEDGER);
  });

  it("two desks refunding the same credit at once: one succeeds, the other is refused, never more than the credit", async () => {
    const { c, refundCredit } = await clinic();
    const cash = await recordManualPayment(database.db, {
      organizationId: c.organizationId,
      actor: c.actor,
      input: { patientId: c.patient.id, method: "check", amount: 3_000, reference: "1044", prepayment: true },
    });
    const results = await Promise.allSettled([refundCredit({ paymentId: cash.id, amount: 2_000 }), refundCredit({ paymentId: cash.id, amount: 2_000 })]);
    expect(results.map((result) => result.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect(await creditOf(c.patient.id)).toBe(1_000);
    expect(await database.db.refund.count({ where: { paymentId: cash.id } })).toBe(1);
  });

  it("the database refuses a pay-page payment without an invoice, and a prepayment with one", async () => {
    const { c } = await clinic();
    const base = {
      organizationId: c.organizationId,
      patientId: c.patient.id,
      methodType: "card" as const,
      status: "requires_payment_method" as const,
      currency: "USD",
      amount: 1_000,
    };
    await expect(database.db.payment.create({ data: { ...base, source: "pay_page" } })).rejects.toThrow(/payments_owner_known/);
    await expect(database.db.payment.create({ data: { ...base, source: "pay_page", prepayment: true } })).rejects.toThrow(/payments_prepayment_valid/);
    await expect(database.db.payment.create({ data: { ...base, source: "desk_card" } })).rejects.toThrow(/payments_owner_known/);
    await expect(database.db.payment.create({ data: { ...base, source: "desk_card", prepayment: true, patientId: null } })).rejects.toThrow(
      /payments_(owner_known|prepayment_valid)/,
    );
    await importShare(c);
    const { patientShareInvoiceId: invoiceId } = await database.db.remittanceClaim.findFirstOrThrow({
      where: { organizationId: c.organizationId },
      select: { patientShareInvoiceId: true },
    });
    await expect(database.db.payment.create({ data: { ...base, source: "saved_card", prepayment: true, invoiceId } })).rejects.toThrow(
      /payments_prepayment_valid/,
    );
    expect(await database.db.payment.create({ data: { ...base, source: "desk_card", prepayment: true } })).toMatchObject({ invoiceId: null });
  });
});
