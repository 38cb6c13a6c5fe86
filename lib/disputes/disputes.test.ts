import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addTestMember, createTestOrganization, createTestPatient, testActor } from "@/tests/factories";
import { assertNoPatientDataSentToStripe, postEmulatorControl, startTestStripe, type TestStripe } from "@/tests/stripe";
import { setupTestDatabase } from "@/tests/test-database";
import { createInvoice } from "@/lib/invoices/create-invoice";
import { finalizeInvoice } from "@/lib/invoices/finalize-invoice";
import { getTrialBalance } from "@/lib/ledger/balances";
import { setMemberActive } from "@/lib/organizations/set-member-active";
import { updateOrganization } from "@/lib/organizations/update-organization";
import { createPaymentAttempt } from "@/lib/payments/create-payment-attempt";
import { recordManualPayment } from "@/lib/payments/record-manual-payment";
import { syncPaymentIntent } from "@/lib/payments/sync-payment-intent";
import { voidManualPayment } from "@/lib/payments/void-manual-payment";
import { processStripeEvent } from "@/lib/webhooks/process-stripe-event";
import { countDisputesNeedingAttention, listDisputes } from "./list-disputes";
import { listPaymentDisputes } from "./list-payment-disputes";
import { recordDisputeEvidence } from "./record-dispute-evidence";
import { resolveLostDispute } from "./resolve-lost-dispute";

const database = setupTestDatabase();
const actor = testActor();
let stripe: TestStripe;
const patients: { firstName: string; lastName: string; email: string | null }[] = [];

beforeAll(async () => {
  // Test-card disputes open at the emulator's next request instead of a second later.
  stripe = await startTestStripe({ asyncDelayMs: 0 });
});
afterAll(async () => {
  await assertNoPatientDataSentToStripe(stripe.emulator.url, patients, { secretKey: stripe.secretKey });
  await stripe.close();
});

/** A clinic with a second admin (and a deactivated one), whose patient paid an invoice by card. */
async function paidByCard(options: { total?: number; paid?: number; card?: string; currency?: string } = {}) {
  const org = await createTestOrganization(database.db);
  if (options.currency) {
    const current = await database.db.organization.findUniqueOrThrow({ where: { id: org.organizationId } });
    await updateOrganization(database.db, {
      organizationId: org.organizationId,
      actor: org.adminActor,
      input: { name: current.name, country: current.country, timezone: current.timezone, currency: options.currency },
    });
  }
  await addTestMember(database.db, { organizationId: org.organizationId, role: "admin", email: `second-admin-${org.slug}@example.test` });
  const former = await addTestMember(database.db, { organizationId: org.organizationId, role: "admin" });
  await setMemberActive(database.db, {
    organizationId: org.organizationId,
    actor: org.adminActor,
    input: { membershipId: former.membershipId, active: false },
  });
  await addTestMember(database.db, { organizationId: org.organizationId, role: "billing" });
  const patient = await createTestPatient(database.db, {
    organizationId: org.organizationId,
    firstName: "Chien-Shiung",
    lastName: "Wu",
    email: "chien-shiung.wu@example.test",
  });
  patients.push(patient);
  const total = options.total ?? 10_000;
  const draft = await createInvoice(database.db, {
    organizationId: org.organizationId,
    actor,
    input: { patientId: patient.id, lines: [{ description: "Visit", quantity: 1, unitAmount: total }] },
  });
  await finalizeInvoice(database.db, { organizationId: org.organizationId, invoiceId: draft.id, actor });
  const started = await createPaymentAttempt(database.db, {
    organizationId: org.organizationId,
    invoiceId: draft.id,
    amount: options.paid,
    stripe: stripe.stripe,
  });
  const confirmed = await stripe.stripe.paymentIntents.confirm(started.paymentIntent.id, {
    payment_method: options.card ?? "pm_card_visa",
    expand: ["latest_charge"],
  });
  await syncPaymentIntent(database.db, started.paymentIntent.id, stripe.stripe);
  const chargeId = (confirmed.latest_charge as Stripe.Charge).id;
  return { ...org, invoiceId: draft.id, paymentId: started.paymentId, paymentIntentId: started.paymentIntent.id, chargeId };
}

const emulator = (path: string, body: unknown) => postEmulatorControl<Stripe.Dispute>(stripe, path, body);

const openDispute = (chargeId: string, inquiry = false) => emulator("/disputes", { charge: chargeId, inquiry });
const closeDispute = (disputeId: string, status: "won" | "lost") => emulator(`/disputes/${disputeId}/close`, { status });

/** Every dispute event Stripe sent about this dispute, oldest first. */
async function disputeEvents(disputeId: string): Promise<Stripe.Event[]> {
  const events = await stripe.stripe.events.list({ limit: 100 });
  return events.data.filter((event) => event.type.startsWith("charge.dispute.") && (event.data.object as Stripe.Dispute).id === disputeId).toReversed();
}

const deliver = (events: Stripe.Event[]) => Promise.all(events.map((event) => processStripeEvent(database.db, event, stripe.stripe)));
const balances = async (organizationId: string) =>
  Object.fromEntries((await getTrialBalance(database.db, organizationId)).map((row) => [row.code, row.balance]));
const journalsOf = (disputeId: string) =>
  database.db.journalEntry.findMany({ where: { sourceType: "dispute", sourceId: disputeId }, orderBy: { createdAt: "asc" } });

describe("chargebacks", () => {
  it("a chargeback is recorded once however often it is delivered: flags, the opening journal with Stripe's fee, one email per active admin", async () => {
    const paid = await paidByCard();
    const opened = await openDispute(paid.chargeId);
    const events = await disputeEvents(opened.id);
    expect(events.map((event) => event.type)).toEqual(["charge.dispute.created", "charge.dispute.funds_withdrawn"]);
    const outcomes = await deliver([...events, ...events, ...events]);
    expect(outcomes.filter((outcome) => outcome === "applied")).toHaveLength(2);

    const dispute = await database.db.dispute.findUniqueOrThrow({ where: { stripeDisputeId: opened.id } });
    expect(dispute).toMatchObject({
      paymentId: paid.paymentId,
      invoiceId: paid.invoiceId,
      amount: 10_000,
      feeAmount: 1500,
      reason: "fraudulent",
      status: "needs_response",
      resolution: null,
    });
    expect(dispute.evidenceDueBy!.getTime()).toBe(opened.evidence_details.due_by! * 1000);
    expect(await database.db.payment.findUniqueOrThrow({ where: { id: paid.paymentId } })).toMatchObject({ disputed: true });
    expect(await database.db.invoice.findUniqueOrThrow({ where: { id: paid.invoiceId } })).toMatchObject({ disputed: true, status: "paid" });
    expect((await journalsOf(dispute.id)).map((journal) => journal.kind)).toEqual(["dispute.opened"]);
    expect(await balances(paid.organizationId)).toMatchObject({ "1010": 10_000 - 320 - 11_500, "1200": 10_000, "6110": 1_500 });

    const emails = await database.db.email.findMany({ where: { organizationId: paid.organizationId, kind: "dispute_opened" } });
    expect(emails.map((email) => email.toAddress).sort()).toEqual([paid.adminEmail, `second-admin-${paid.slug}@example.test`].sort());
    expect(emails[0]!.subject).toContain("$100.00");
    expect(emails[0]!.text).toContain("Fraudulent");
    expect(emails[0]!.text).toContain(`/app/payments/${paid.paymentId}`);
    expect(emails[0]!.text).not.toContain("Wu");
    expect(await countDisputesNeedingAttention(database.db, paid.organizationId)).toMatchObject({ needsResponse: 1, lostUnresolved: 0 });
  });

  it("the dispute fee is Stripe's, read from the withdrawal's balance transaction (not only the USD default)", async () => {
    const paid = await paidByCard({ currency: "EUR" });
    const opened = await openDispute(paid.chargeId);
    await deliver(await disputeEvents(opened.id));
    expect(await database.db.dispute.findUniqueOrThrow({ where: { stripeDisputeId: opened.id } })).toMatchObject({
      currency: "EUR",
      feeAmount: opened.balance_transactions[0]!.fee,
    });
    // €20, Stripe's dispute fee in the euro area (the US one is $15).
    expect(opened.balance_transactions[0]!.fee).toBe(2000);
  });

  it("the test card 4000 0000 0000 0259 opens a chargeback by itself", async () => {
    const paid = await paidByCard({ card: "pm_card_createDispute" });
    await stripe.stripe.charges.retrieve(paid.chargeId); // any request runs the emulator's due work
    const [created] = (await stripe.stripe.events.list({ type: "charge.dispute.created", limit: 100 })).data.filter(
      (event) => (event.data.object as Stripe.Dispute).charge === paid.chargeId,
    );
    expect(created).toBeDefined();
    await deliver([created!]);
    expect(await database.db.dispute.findFirstOrThrow({ where: { paymentId: paid.paymentId } })).toMatchObject({ status: "needs_response", amount: 10_000 });
  });

  it("won: closed delivered before created still books the opening and its exact reversal once, and clears the flags", async () => {
    const paid = await paidByCard();
    const opened = await openDispute(paid.chargeId);
    await closeDispute(opened.id, "won");
    const events = await disputeEvents(opened.id);
    expect(events.map((event) => event.type)).toEqual([
      "charge.dispute.created",
      "charge.dispute.funds_withdrawn",
      "charge.dispute.funds_reinstated",
      "charge.dispute.closed",
    ]);
    await deliver(events.toReversed());
    await deliver(events);

    const dispute = await database.db.dispute.findUniqueOrThrow({ where: { stripeDisputeId: opened.id } });
    expect(dispute).toMatchObject({ status: "won", feeAmount: 1500 });
    expect(dispute.closedAt).not.toBeNull();
    expect((await journalsOf(dispute.id)).map((journal) => journal.kind).sort()).toEqual(["dispute.opened", "dispute.won"]);
    expect(await balances(paid.organizationId)).toMatchObject({ "1010": 10_000 - 320, "1200": 0, "6110": 0 });
    expect(await database.db.payment.findUniqueOrThrow({ where: { id: paid.paymentId } })).toMatchObject({ disputed: false });
    expect(await database.db.invoice.findUniqueOrThrow({ where: { id: paid.invoiceId } })).toMatchObject({ disputed: false, status: "paid" });
    expect(await database.db.email.count({ where: { organizationId: paid.organizationId, kind: "dispute_opened" } })).toBe(2);
    await expect(
      resolveLostDispute(database.db, { organizationId: paid.organizationId, disputeId: dispute.id, actor, input: { resolution: "reopened" } }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("the payment page lists the payment's disputes with the journals each posted, oldest first; none for another clinic", async () => {
    const paid = await paidByCard();
    const opened = await openDispute(paid.chargeId);
    await closeDispute(opened.id, "won");
    await deliver(await disputeEvents(opened.id));

    const disputes = await listPaymentDisputes(database.db, { organizationId: paid.organizationId, paymentId: paid.paymentId });
    expect(disputes).toHaveLength(1);
    const [dispute] = disputes;
    expect(dispute).toMatchObject({ stripeDisputeId: opened.id, status: "won", invoice: { number: expect.stringMatching(/^INV-/) } });
    const stored = await journalsOf(dispute!.id);
    expect(dispute!.journals.map((journal) => journal.id).sort()).toEqual(stored.map((journal) => journal.id).sort());
    expect(dispute!.journals.map((journal) => journal.createdAt.getTime())).toEqual(stored.map((journal) => journal.createdAt.getTime()));
    for (const journal of dispute!.journals) {
      expect(journal.lines.reduce((sum, line) => sum + line.amount, 0)).toBe(0);
      for (const line of journal.lines) expect(line.account).toMatch(/^\d{4} \S/);
    }

    const other = await createTestOrganization(database.db);
    expect(await listPaymentDisputes(database.db, { organizationId: other.organizationId, paymentId: paid.paymentId })).toEqual([]);
  });

  it("lost, then reopened: the invoice owes the amount again and the disputed funds move back to receivables, once", async () => {
    const paid = await paidByCard({ total: 10_000, paid: 10_000 });
    const opened = await openDispute(paid.chargeId);
    await closeDispute(opened.id, "lost");
    await deliver(await disputeEvents(opened.id));
    const dispute = await database.db.dispute.findUniqueOrThrow({ where: { stripeDisputeId: opened.id } });
    expect(dispute).toMatchObject({ status: "lost", resolution: null });
    expect(await database.db.invoice.findUniqueOrThrow({ where: { id: paid.invoiceId } })).toMatchObject({ disputed: false, status: "paid" });
    expect(await balances(paid.organizationId)).toMatchObject({ "1200": 10_000, "1100": 0 });
    expect(await countDisputesNeedingAttention(database.db, paid.organizationId)).toMatchObject({ needsResponse: 0, lostUnresolved: 1 });

    const other = await createTestOrganization(database.db);
    await expect(
      resolveLostDispute(database.db, { organizationId: other.organizationId, disputeId: dispute.id, actor, input: { resolution: "reopened" } }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(
      resolveLostDispute(database.db, { organizationId: paid.organizationId, disputeId: dispute.id, actor, input: { resolution: "nonsense" as "reopened" } }),
    ).rejects.toMatchObject({ name: "ZodError" });

    const results = await Promise.allSettled([
      resolveLostDispute(database.db, { organizationId: paid.organizationId, disputeId: dispute.id, actor, input: { resolution: "reopened" } }),
      resolveLostDispute(database.db, { organizationId: paid.organizationId, disputeId: dispute.id, actor, input: { resolution: "written_off" } }),
    ]);
    const fulfilled = results.filter((result) => result.status === "fulfilled");
    expect(fulfilled).toHaveLength(1);
    expect(results.find((result) => result.status === "rejected")).toMatchObject({ reason: { code: "CONFLICT" } });
    const chosen = (fulfilled[0] as PromiseFulfilledResult<{ resolution: string }>).value.resolution;
    const invoice = await database.db.invoice.findUniqueOrThrow({ where: { id: paid.invoiceId } });
    if (chosen === "reopened") {
      expect(invoice).toMatchObject({ status: "open", amountPaid: 0, amountDue: 10_000 });
      expect(await balances(paid.organizationId)).toMatchObject({ "1200": 0, "1100": 10_000 });
    } else {
      expect(invoice).toMatchObject({ status: "paid", amountDue: 0 });
      expect(await balances(paid.organizationId)).toMatchObject({ "1200": 0, "6300": 10_000 });
    }
  });

  it("lost, then reopened when part of the card payment became credit: only the card's own share is owed again, the credit is taken back, cash stays paid", async () => {
    const org = await createTestOrganization(database.db);
    const patient = await createTestPatient(database.db, {
      organizationId: org.organizationId,
      firstName: "Lise",
      lastName: "Meitner",
      email: "lise.meitner@example.test",
    });
    patients.push(patient);
    const draft = await createInvoice(database.db, {
      organizationId: org.organizationId,
      actor,
      input: { patientId: patient.id, lines: [{ description: "Visit", quantity: 1, unitAmount: 10_000 }] },
    });
    await finalizeInvoice(database.db, { organizationId: org.organizationId, invoiceId: draft.id, actor });
    // The patient chose to keep any excess as credit with the clinic.
    const started = await createPaymentAttempt(database.db, {
      organizationId: org.organizationId,
      invoiceId: draft.id,
      keepExcessAsCredit: true,
      stripe: stripe.stripe,
    });
    // The card goes through at Stripe just as the front desk records cash for part of the invoice.
    const confirmed = await stripe.stripe.paymentIntents.confirm(started.paymentIntent.id, { payment_method: "pm_card_visa", expand: ["latest_charge"] });
    const cash = await recordManualPayment(database.db, {
      organizationId: org.organizationId,
      actor,
      input: { patientId: patient.id, method: "cash", amount: 6_000, invoiceId: draft.id },
      stripe: stripe.stripe,
    });
    await syncPaymentIntent(database.db, started.paymentIntent.id, stripe.stripe);
    expect(await database.db.payment.findUniqueOrThrow({ where: { id: started.paymentId } })).toMatchObject({ appliedAmount: 4_000, creditAmount: 6_000 });

    const opened = await openDispute((confirmed.latest_charge as Stripe.Charge).id);
    await closeDispute(opened.id, "lost");
    await deliver(await disputeEvents(opened.id));
    const dispute = await database.db.dispute.findUniqueOrThrow({ where: { stripeDisputeId: opened.id } });
    const result = await resolveLostDispute(database.db, {
      organizationId: org.organizationId,
      disputeId: dispute.id,
      actor,
      input: { resolution: "reopened" },
    });
    expect(result.reopenedAmount).toBe(4_000);
    expect(await database.db.invoice.findUniqueOrThrow({ where: { id: draft.id } })).toMatchObject({
      status: "partially_paid",
      amountPaid: 6_000,
      amountDue: 4_000,
    });
    const books = await balances(org.organizationId);
    expect(books["2200"] ?? 0).toBe(0);
    expect(books["6300"] ?? 0).toBe(0);
    expect(books["1200"] ?? 0).toBe(0);
    // The cash can still be voided: the invoice still counts it as paid.
    await voidManualPayment(database.db, { organizationId: org.organizationId, paymentId: cash.id, actor, input: { reason: "Recorded on the wrong day" } });
    expect(await database.db.invoice.findUniqueOrThrow({ where: { id: draft.id } })).toMatchObject({ status: "open", amountPaid: 0, amountDue: 10_000 });
  });

  it("lost, then reopened on a partly paid invoice: partly paid again", async () => {
    const paid = await paidByCard({ total: 10_000, paid: 4_000 });
    const opened = await openDispute(paid.chargeId);
    await closeDispute(opened.id, "lost");
    await deliver(await disputeEvents(opened.id));
    const dispute = await database.db.dispute.findUniqueOrThrow({ where: { stripeDisputeId: opened.id } });
    const result = await resolveLostDispute(database.db, {
      organizationId: paid.organizationId,
      disputeId: dispute.id,
      actor,
      input: { resolution: "reopened" },
    });
    expect(result).toMatchObject({ resolution: "reopened", reopenedAmount: 4_000 });
    expect(await database.db.invoice.findUniqueOrThrow({ where: { id: paid.invoiceId } })).toMatchObject({ status: "open", amountPaid: 0, amountDue: 10_000 });
    expect((await journalsOf(dispute.id)).map((journal) => journal.kind)).toEqual(["dispute.opened", "dispute.reopened"]);
    await expect(
      resolveLostDispute(database.db, { organizationId: paid.organizationId, disputeId: dispute.id, actor, input: { resolution: "written_off" } }),
    ).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining("already reopened"),
    });
    const audit = await database.db.auditEvent.findFirstOrThrow({ where: { organizationId: paid.organizationId, action: "dispute.reopened" } });
    expect(audit.after).toMatchObject({ resolution: "reopened", amount: 4_000 });
  });

  it("lost, then written off: the loss is booked and the invoice stays paid", async () => {
    const paid = await paidByCard();
    const opened = await openDispute(paid.chargeId);
    await closeDispute(opened.id, "lost");
    await deliver((await disputeEvents(opened.id)).toReversed());
    const dispute = await database.db.dispute.findUniqueOrThrow({ where: { stripeDisputeId: opened.id } });
    await resolveLostDispute(database.db, { organizationId: paid.organizationId, disputeId: dispute.id, actor, input: { resolution: "written_off" } });
    expect(await database.db.dispute.findUniqueOrThrow({ where: { id: dispute.id } })).toMatchObject({ resolution: "written_off" });
    expect(await balances(paid.organizationId)).toMatchObject({ "1010": 10_000 - 320 - 11_500, "1200": 0, "6110": 1_500, "6300": 10_000, "1100": 0 });
    expect(await database.db.invoice.findUniqueOrThrow({ where: { id: paid.invoiceId } })).toMatchObject({ status: "paid", amountDue: 0, disputed: false });
  });

  it("an inquiry moves no money, takes evidence notes while open, and closes without a journal", async () => {
    const paid = await paidByCard();
    const opened = await openDispute(paid.chargeId, true);
    await deliver(await disputeEvents(opened.id));
    const dispute = await database.db.dispute.findUniqueOrThrow({ where: { stripeDisputeId: opened.id } });
    expect(dispute).toMatchObject({ status: "warning_needs_response", feeAmount: 0 });
    expect(await database.db.invoice.findUniqueOrThrow({ where: { id: paid.invoiceId } })).toMatchObject({ disputed: true });
    expect(await database.db.email.count({ where: { organizationId: paid.organizationId, kind: "dispute_opened" } })).toBe(2);

    await expect(
      recordDisputeEvidence(database.db, { organizationId: paid.organizationId, disputeId: dispute.id, actor, input: { note: "x" } }),
    ).rejects.toMatchObject({ name: "ZodError" });
    for (const submittedOn of ["2026-13-45", "2026-02-30"]) {
      await expect(
        recordDisputeEvidence(database.db, { organizationId: paid.organizationId, disputeId: dispute.id, actor, input: { note: "Visit notes", submittedOn } }),
      ).rejects.toMatchObject({ name: "ZodError" });
    }
    await expect(
      recordDisputeEvidence(database.db, {
        organizationId: paid.organizationId,
        disputeId: dispute.id,
        actor,
        input: { note: "Visit notes", submittedOn: "2999-01-01" },
      }),
    ).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
    });
    const recorded = await recordDisputeEvidence(database.db, {
      organizationId: paid.organizationId,
      disputeId: dispute.id,
      actor,
      input: { note: "Sent the signed visit form and the receipt through Stripe's dashboard." },
    });
    expect(recorded.evidenceSubmittedAt).toBeInstanceOf(Date);
    expect(await countDisputesNeedingAttention(database.db, paid.organizationId)).toMatchObject({ needsResponse: 0 });
    const audit = await database.db.auditEvent.findFirstOrThrow({ where: { organizationId: paid.organizationId, action: "dispute.evidence_recorded" } });
    expect(JSON.stringify(audit.after)).not.toContain("visit form");

    await closeDispute(opened.id, "won");
    await deliver(await disputeEvents(opened.id));
    expect(await database.db.dispute.findUniqueOrThrow({ where: { id: dispute.id } })).toMatchObject({ status: "warning_closed", feeAmount: 0 });
    expect(await journalsOf(dispute.id)).toHaveLength(0);
    expect(await database.db.invoice.findUniqueOrThrow({ where: { id: paid.invoiceId } })).toMatchObject({ disputed: false });
    await expect(
      recordDisputeEvidence(database.db, { organizationId: paid.organizationId, disputeId: dispute.id, actor, input: { note: "Too late now" } }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(
      resolveLostDispute(database.db, { organizationId: paid.organizationId, disputeId: dispute.id, actor, input: { resolution: "written_off" } }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("a dispute on a charge that is not ours is acknowledged and ignored; the list is newest first with pagination", async () => {
    const paid = await paidByCard();
    const foreign = await stripe.stripe.paymentIntents.create(
      { amount: 2_000, currency: "usd", payment_method: "pm_card_visa", confirm: true, allowed_payment_method_types: ["card"] },
      { idempotencyKey: `foreign-${paid.paymentId}` },
    );
    const foreignDispute = await openDispute(foreign.latest_charge as string);
    expect(await deliver(await disputeEvents(foreignDispute.id))).toEqual(["not_ours", "not_ours"]);

    const first = await openDispute(paid.chargeId, true);
    await deliver(await disputeEvents(first.id));
    const second = await paidByCard();
    const secondOpened = await openDispute(second.chargeId);
    await deliver(await disputeEvents(secondOpened.id));
    const page = await listDisputes(database.db, { organizationId: paid.organizationId, input: { limit: 1 } });
    expect(page.data).toHaveLength(1);
    expect(page.data[0]!.stripeDisputeId).toBe(first.id);
    expect(page.nextCursor).toBeNull();
    const needs = await listDisputes(database.db, { organizationId: second.organizationId, input: { filter: "needs_response" } });
    expect(needs.data.map((dispute) => dispute.stripeDisputeId)).toEqual([secondOpened.id]);
  });
});
