import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toAppError } from "@/lib/http/error-response";
import { createInvoice } from "@/lib/invoices/create-invoice";
import { finalizeInvoice } from "@/lib/invoices/finalize-invoice";
import { markInvoiceUncollectible } from "@/lib/invoices/mark-invoice-uncollectible";
import { reopenWrittenOffInvoice } from "@/lib/invoices/reopen-written-off-invoice";
import { voidInvoice } from "@/lib/invoices/void-invoice";
import { getInvoiceReceivable } from "@/lib/ledger/balances";
import { getPatientCredit } from "@/lib/patient-credit/credit-balances";
import { postJournal } from "@/lib/ledger/post-journal";
import { createPaymentAttempt } from "@/lib/payments/create-payment-attempt";
import { recordManualPayment } from "@/lib/payments/record-manual-payment";
import { syncPaymentIntent } from "@/lib/payments/sync-payment-intent";
import { createTestOrganization, createTestPatient, testActor } from "@/tests/factories";
import { assertNoPatientDataSentToStripe, startTestStripe, type TestStripe } from "@/tests/stripe";
import { setupTestDatabase } from "@/tests/test-database";
import { applyPatientCredit } from "./apply-patient-credit";
import { getPatientCreditHistory } from "./get-patient-credit-history";
import { listCreditApplications } from "./list-credit-applications";

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

async function clinicWithPatient() {
  const org = await createTestOrganization(database.db);
  const patient = await createTestPatient(database.db, { organizationId: org.organizationId, firstName: "Grace", email: "grace.hopper@example.test" });
  patients.push(patient);
  return { organizationId: org.organizationId, patientId: patient.id, adminActor: org.adminActor };
}

async function draftInvoice(organizationId: string, patientId: string, total: number, currency = "USD") {
  return createInvoice(database.db, {
    organizationId,
    actor,
    input: { patientId, currency, lines: [{ description: "Visit", quantity: 1, unitAmount: total }] },
  });
}

async function openInvoice(organizationId: string, patientId: string, total: number, currency = "USD") {
  const draft = await draftInvoice(organizationId, patientId, total, currency);
  return finalizeInvoice(database.db, { organizationId, invoiceId: draft.id, actor });
}

/**
 * Models money the front desk took and kept as the patient's credit (cash received, credit owed
 * to the patient), posted as a journal like any other money event: never written into balances.
 */
async function receiveCredit(organizationId: string, patientId: string, amount: number, currency = "USD") {
  await database.db.$transaction((tx) =>
    postJournal(tx, {
      organizationId,
      currency,
      kind: "test.credit_received",
      memo: "Cash kept as credit",
      source: { type: "patient", id: patientId },
      lines: [
        { account: "cash", amount },
        { account: "patientCredit", amount: -amount, patientId },
      ],
    }),
  );
}

async function creditOf(organizationId: string, patientId: string, currency = "USD") {
  return (await getPatientCredit(database.db, { organizationId, patientId })).find((row) => row.currency === currency)?.balance ?? 0;
}

async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    const appError = toAppError(error);
    return { code: appError.code, message: appError.message, fields: appError.fields };
  }
  throw new Error("expected the operation to fail");
}

const apply = (organizationId: string, invoiceId: string, amount?: number, patientId?: string) =>
  applyPatientCredit(database.db, { organizationId, invoiceId, actor, input: amount === undefined ? {} : { amount }, patientId });

describe("applying patient credit", () => {
  it("pays a whole invoice from credit and keeps the rest of the credit", async () => {
    const { organizationId, patientId } = await clinicWithPatient();
    await receiveCredit(organizationId, patientId, 15_000);
    const invoice = await openInvoice(organizationId, patientId, 10_000);

    const result = await apply(organizationId, invoice.id);
    expect(result.application).toMatchObject({ invoiceId: invoice.id, patientId, currency: "USD", amount: 10_000, automatic: false });
    expect(result.invoice).toMatchObject({ status: "paid", amountPaid: 10_000, amountDue: 0 });
    expect(result.creditRemaining).toBe(5_000);
    expect(await creditOf(organizationId, patientId)).toBe(5_000);
    expect(await getInvoiceReceivable(database.db, invoice.id)).toBe(0);

    const journal = await database.db.journalEntry.findFirstOrThrow({
      where: { kind: "credit.applied", sourceType: "credit_application", sourceId: result.application.id },
      include: { lines: { include: { account: true } } },
    });
    expect(
      journal.lines
        .map((line) => ({ code: line.account.code, amount: line.amount, invoiceId: line.invoiceId, patientId: line.patientId }))
        .sort((a, b) => a.code.localeCompare(b.code)),
    ).toEqual([
      { code: "1100", amount: -10_000, invoiceId: invoice.id, patientId: null },
      { code: "2200", amount: 10_000, invoiceId: null, patientId },
    ]);
    const audit = await database.db.auditEvent.findFirstOrThrow({ where: { action: "patient_credit.applied", targetId: invoice.id } });
    expect(audit.after).toMatchObject({ applied: 10_000, credit: 5_000, status: "paid" });
    expect(await listCreditApplications(database.db, { organizationId, invoiceId: invoice.id })).toEqual([
      expect.objectContaining({ amount: 10_000, automatic: false }),
    ]);
  });

  it("pays part of an invoice when the credit is smaller, and a chosen amount after that", async () => {
    const { organizationId, patientId } = await clinicWithPatient();
    await receiveCredit(organizationId, patientId, 3_000);
    const invoice = await openInvoice(organizationId, patientId, 10_000);
    const first = await apply(organizationId, invoice.id);
    expect(first.invoice).toMatchObject({ status: "partially_paid", amountPaid: 3_000, amountDue: 7_000 });
    expect(first.creditRemaining).toBe(0);

    await receiveCredit(organizationId, patientId, 5_000);
    const second = await apply(organizationId, invoice.id, 1_250);
    expect(second.invoice).toMatchObject({ status: "partially_paid", amountPaid: 4_250, amountDue: 5_750 });
    expect(second.creditRemaining).toBe(3_750);
    expect(await getInvoiceReceivable(database.db, invoice.id)).toBe(5_750);
    expect((await listCreditApplications(database.db, { organizationId, invoiceId: invoice.id })).map((row) => row.amount)).toEqual([3_000, 1_250]);
  });

  it("refuses amounts above the credit or the amount due, and amounts that are not positive whole cents, naming the limit", async () => {
    const { organizationId, patientId } = await clinicWithPatient();
    await receiveCredit(organizationId, patientId, 6_000);
    const invoice = await openInvoice(organizationId, patientId, 4_000);

    const overCredit = await failure(apply(organizationId, invoice.id, 6_001));
    expect(overCredit.code).toBe("VALIDATION_FAILED");
    expect(overCredit.fields?.amount?.[0]).toBe("The patient has $60.00 credit; apply at most $40.00.");
    const overDue = await failure(apply(organizationId, invoice.id, 4_001));
    expect(overDue.code).toBe("VALIDATION_FAILED");
    expect(overDue.fields?.amount?.[0]).toMatch(/has \$40\.00 due; apply at most \$40\.00\./);
    for (const amount of [0, -100, 12.5]) {
      const refused = await failure(apply(organizationId, invoice.id, amount));
      expect(refused.code).toBe("VALIDATION_FAILED");
      expect(refused.fields?.amount).toHaveLength(1);
    }
    // Nothing moved.
    expect(await creditOf(organizationId, patientId)).toBe(6_000);
    expect(await database.db.creditApplication.count({ where: { invoiceId: invoice.id } })).toBe(0);
    expect((await database.db.invoice.findUniqueOrThrow({ where: { id: invoice.id } })).amountDue).toBe(4_000);
  });

  it("refuses another patient's invoice, another currency, invoices that are not open, and other clinics' invoices", async () => {
    const { organizationId, patientId } = await clinicWithPatient();
    const other = await createTestPatient(database.db, { organizationId, firstName: "Alan" });
    patients.push(other);
    await receiveCredit(organizationId, patientId, 5_000);
    await receiveCredit(organizationId, patientId, 5_000, "EUR");

    const othersInvoice = await openInvoice(organizationId, other.id, 2_000);
    expect(await failure(apply(organizationId, othersInvoice.id))).toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/no credit in USD/) });
    expect(await failure(apply(organizationId, othersInvoice.id, 1_000, patientId))).toMatchObject({
      code: "CONFLICT",
      message: expect.stringMatching(/another patient/),
    });

    const cadInvoice = await openInvoice(organizationId, patientId, 2_000, "CAD");
    expect(await failure(apply(organizationId, cadInvoice.id))).toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/no credit in CAD/) });

    const draft = await draftInvoice(organizationId, patientId, 2_000);
    expect(await failure(apply(organizationId, draft.id))).toMatchObject({ code: "CONFLICT" });
    const voided = await openInvoice(organizationId, patientId, 2_000);
    await voidInvoice(database.db, { organizationId, invoiceId: voided.id, actor, input: { reason: "Entered twice" } });
    expect(await failure(apply(organizationId, voided.id))).toMatchObject({
      code: "CONFLICT",
      message: expect.stringMatching(/has been voided, so it cannot be paid from credit\./),
    });
    const paid = await openInvoice(organizationId, patientId, 1_000);
    await apply(organizationId, paid.id);
    expect(await failure(apply(organizationId, paid.id))).toMatchObject({
      code: "CONFLICT",
      message: expect.stringMatching(/is already paid, so it cannot be paid from credit\./),
    });

    const elsewhere = await clinicWithPatient();
    expect(await failure(apply(elsewhere.organizationId, paid.id))).toMatchObject({ code: "NOT_FOUND" });
    expect(await creditOf(organizationId, patientId)).toBe(4_000);
    expect(await creditOf(organizationId, patientId, "EUR")).toBe(5_000);
  });

  it("many applications at once never spend more credit than the patient has nor pay an invoice beyond its total", async () => {
    const { organizationId, patientId } = await clinicWithPatient();
    await receiveCredit(organizationId, patientId, 10_000);
    const invoices = await Promise.all([4_000, 4_000, 4_000].map((total) => openInvoice(organizationId, patientId, total)));
    // 18 attempts: fixed amounts and "as much as possible", spread over three invoices.
    const attempts = Array.from({ length: 18 }, (_, index) => {
      const invoice = invoices[index % invoices.length]!;
      return apply(organizationId, invoice.id, index % 4 === 0 ? undefined : 1_500).then(
        (result) => result.application.amount,
        (error: unknown) => {
          const code = toAppError(error).code;
          if (code !== "CONFLICT" && code !== "VALIDATION_FAILED") throw error;
          return 0;
        },
      );
    });
    const applied = (await Promise.all(attempts)).reduce((sum, amount) => sum + amount, 0);
    const remaining = await creditOf(organizationId, patientId);
    // 12,000 owed against 10,000 of credit, and every invoice gets an "as much as possible"
    // attempt: whatever the order, the credit ends fully used and never below zero.
    expect({ applied, remaining }).toEqual({ applied: 10_000, remaining: 0 });
    expect(await database.db.creditApplication.aggregate({ where: { patientId }, _sum: { amount: true } })).toEqual({ _sum: { amount: applied } });
    for (const invoice of invoices) {
      const row = await database.db.invoice.findUniqueOrThrow({ where: { id: invoice.id } });
      const total = (await database.db.creditApplication.aggregate({ where: { invoiceId: invoice.id }, _sum: { amount: true } }))._sum.amount ?? 0;
      expect(row.amountPaid).toBe(total);
      expect(row.amountPaid).toBeLessThanOrEqual(4_000);
      expect(row.amountDue).toBe(4_000 - total);
    }
  });
});

describe("applying credit automatically at finalization", () => {
  it("applies min(credit, amount due) when the clinic turned it on", async () => {
    const { organizationId, patientId } = await clinicWithPatient();
    await database.db.organization.update({ where: { id: organizationId }, data: { autoApplyCredit: true } });
    await receiveCredit(organizationId, patientId, 2_500);

    const first = await openInvoice(organizationId, patientId, 1_000);
    expect(first).toMatchObject({ status: "paid", amountPaid: 1_000, amountDue: 0, number: expect.stringMatching(/^INV-/) });
    const second = await openInvoice(organizationId, patientId, 4_000);
    expect(second).toMatchObject({ status: "partially_paid", amountPaid: 1_500, amountDue: 2_500 });
    expect(await creditOf(organizationId, patientId)).toBe(0);
    const applications = await database.db.creditApplication.findMany({ where: { patientId }, orderBy: { createdAt: "asc" } });
    expect(applications.map((row) => ({ amount: row.amount, automatic: row.automatic }))).toEqual([
      { amount: 1_000, automatic: true },
      { amount: 1_500, automatic: true },
    ]);
    // No credit left: the next invoice simply opens, and no empty balance row appears for patients without credit.
    expect(await openInvoice(organizationId, patientId, 700)).toMatchObject({ status: "open", amountDue: 700 });
    const other = await createTestPatient(database.db, { organizationId });
    await openInvoice(organizationId, other.id, 700);
    expect(await database.db.patientCreditBalance.count({ where: { patientId: other.id } })).toBe(0);
  });

  it("concurrent finalizations share the credit without spending more than there is", async () => {
    const { organizationId, patientId } = await clinicWithPatient();
    await database.db.organization.update({ where: { id: organizationId }, data: { autoApplyCredit: true } });
    await receiveCredit(organizationId, patientId, 5_000);
    const drafts = await Promise.all([1, 2, 3, 4, 5].map(() => draftInvoice(organizationId, patientId, 2_000)));
    const finalized = await Promise.all(drafts.map((draft) => finalizeInvoice(database.db, { organizationId, invoiceId: draft.id, actor })));
    expect(finalized.reduce((sum, invoice) => sum + invoice.amountPaid, 0)).toBe(5_000);
    expect(finalized.map((invoice) => invoice.status).sort()).toEqual(["open", "open", "paid", "paid", "partially_paid"]);
    expect(await creditOf(organizationId, patientId)).toBe(0);
  });

  it("leaves the credit alone when the setting is off", async () => {
    const { organizationId, patientId } = await clinicWithPatient();
    await receiveCredit(organizationId, patientId, 2_500);
    expect(await openInvoice(organizationId, patientId, 1_000)).toMatchObject({ status: "open", amountDue: 1_000, amountPaid: 0 });
    expect(await creditOf(organizationId, patientId)).toBe(2_500);
    expect(await database.db.creditApplication.count({ where: { patientId } })).toBe(0);
  });
});

describe("patient credit history", () => {
  it("lists credit received from an overpayment and credit used on an invoice, adding up to the balance", async () => {
    const { organizationId, patientId } = await clinicWithPatient();
    const first = await openInvoice(organizationId, patientId, 6_000);
    // Two payments complete at once for the same invoice (a card at Stripe, cash at the desk); the
    // patient chose to keep any excess as credit, so the card's payment becomes their credit.
    const attempt = await createPaymentAttempt(database.db, { organizationId, invoiceId: first.id, keepExcessAsCredit: true, stripe: stripe.stripe });
    await stripe.stripe.paymentIntents.confirm(attempt.paymentIntent.id, { payment_method: "pm_card_visa" });
    await recordManualPayment(database.db, {
      organizationId,
      actor,
      input: { patientId, method: "cash", amount: 6_000, invoiceId: first.id },
      stripe: stripe.stripe,
    });
    await syncPaymentIntent(database.db, attempt.paymentIntent.id, stripe.stripe);
    expect(await creditOf(organizationId, patientId)).toBe(6_000);

    const second = await openInvoice(organizationId, patientId, 2_000);
    await apply(organizationId, second.id);

    const history = await getPatientCreditHistory(database.db, { organizationId, patientId });
    expect(history.balances).toEqual([{ currency: "USD", balance: 4_000 }]);
    expect(history.events).toHaveLength(2);
    const [used, received] = history.events;
    expect(used).toMatchObject({
      amount: -2_000,
      kind: "credit.applied",
      label: "Applied to an invoice",
      invoice: { id: second.id, number: second.number },
      paymentId: null,
    });
    expect(received).toMatchObject({
      amount: 6_000,
      kind: "payment.succeeded",
      label: "Overpayment kept as credit",
      invoice: { id: first.id, number: first.number },
    });
    expect(received!.paymentId).toEqual(expect.any(String));
    expect(history.events.reduce((sum, event) => sum + event.amount, 0)).toBe(4_000);

    const empty = await createTestPatient(database.db, { organizationId });
    expect(await getPatientCreditHistory(database.db, { organizationId, patientId: empty.id })).toEqual({ balances: [], events: [] });
  });
});

describe("write-offs", () => {
  it("reopening a write-off makes the written-off balance due again and posts the reversal", async () => {
    const { organizationId, patientId } = await clinicWithPatient();
    await receiveCredit(organizationId, patientId, 1_000);
    const invoice = await openInvoice(organizationId, patientId, 5_000);
    await apply(organizationId, invoice.id);
    const writtenOff = await markInvoiceUncollectible(database.db, { organizationId, invoiceId: invoice.id, actor, input: { reason: "Patient moved away" } });
    expect(writtenOff).toMatchObject({ status: "uncollectible", amountWrittenOff: 4_000, amountDue: 0 });

    const reopened = await reopenWrittenOffInvoice(database.db, { organizationId, invoiceId: invoice.id, actor, input: { reason: "Patient called to pay" } });
    expect(reopened).toMatchObject({ status: "partially_paid", amountPaid: 1_000, amountWrittenOff: 0, amountDue: 4_000, uncollectibleAt: null });
    expect(await getInvoiceReceivable(database.db, invoice.id)).toBe(4_000);
    const journal = await database.db.journalEntry.findFirstOrThrow({
      where: { kind: "invoice.write_off_reversed", sourceId: invoice.id },
      include: { lines: { include: { account: true } } },
    });
    expect(journal.memo).toContain("Patient called to pay");
    expect(Object.fromEntries(journal.lines.map((line) => [line.account.code, line.amount]))).toEqual({ "1100": 4_000, "6200": -4_000 });
    const audit = await database.db.auditEvent.findFirstOrThrow({ where: { action: "invoice.write_off_reversed", targetId: invoice.id } });
    expect(audit.before).toMatchObject({ writtenOff: 4_000, status: "uncollectible" });

    expect(await failure(reopenWrittenOffInvoice(database.db, { organizationId, invoiceId: invoice.id, actor, input: { reason: "Again" } }))).toMatchObject({
      code: "CONFLICT",
    });
    // Written off again and reopened again: still consistent.
    await markInvoiceUncollectible(database.db, { organizationId, invoiceId: invoice.id, actor, input: { reason: "No answer" } });
    const again = await reopenWrittenOffInvoice(database.db, { organizationId, invoiceId: invoice.id, actor, input: { reason: "Payment plan agreed" } });
    expect(again).toMatchObject({ status: "partially_paid", amountDue: 4_000, amountWrittenOff: 0 });
  });

  it("an invoice without payments reopens as open; open invoices and short reasons are refused", async () => {
    const { organizationId, patientId } = await clinicWithPatient();
    const invoice = await openInvoice(organizationId, patientId, 3_000);
    expect(
      await failure(reopenWrittenOffInvoice(database.db, { organizationId, invoiceId: invoice.id, actor, input: { reason: "Not written off" } })),
    ).toMatchObject({
      code: "CONFLICT",
      message: expect.stringMatching(/is open/),
    });
    await markInvoiceUncollectible(database.db, { organizationId, invoiceId: invoice.id, actor, input: { reason: "Bankruptcy" } });
    expect(await failure(reopenWrittenOffInvoice(database.db, { organizationId, invoiceId: invoice.id, actor, input: { reason: "x" } }))).toMatchObject({
      code: "VALIDATION_FAILED",
      fields: { reason: [expect.any(String)] },
    });
    expect(await reopenWrittenOffInvoice(database.db, { organizationId, invoiceId: invoice.id, actor, input: { reason: "Estate paid" } })).toMatchObject({
      status: "open",
      amountDue: 3_000,
    });
  });
});
