import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderEmailAttachments, parseEmailAttachments } from "@/lib/email/email-attachments";
import { createInvoice } from "@/lib/invoices/create-invoice";
import { markInvoiceUncollectible } from "@/lib/invoices/mark-invoice-uncollectible";
import { voidInvoice } from "@/lib/invoices/void-invoice";
import { checkLedger, getTrialBalance } from "@/lib/ledger/balances";
import { applyPatientCredit } from "@/lib/patient-credit/apply-patient-credit";
import { getPatientCreditHistory } from "@/lib/patient-credit/get-patient-credit-history";
import { extractPdfText } from "@/lib/pdf/extract-pdf-text";
import { renderReceiptPdfFile } from "@/lib/pdf/render-receipt-pdf";
import { createTestOpenInvoice, createTestOrganization, createTestPatient, testActor } from "@/tests/factories";
import { refusal } from "@/tests/refusal";
import { startTestStripe, type TestStripe } from "@/tests/stripe";
import { setupTestDatabase } from "@/tests/test-database";
import { createPaymentAttempt } from "./create-payment-attempt";
import { resendPaymentReceipt } from "./resend-payment-receipt";
import { listPayments } from "./list-payments";
import { recordManualPayment } from "./record-manual-payment";
import type { TRecordManualPaymentInput } from "./manual-payments.types";
import { syncPaymentIntent } from "./sync-payment-intent";
import { voidManualPayment } from "./void-manual-payment";

const database = setupTestDatabase();
const actor = testActor();
let stripe: TestStripe;

beforeAll(async () => {
  stripe = await startTestStripe();
});
afterAll(async () => {
  await stripe.close();
});

async function setupClinic(options: { email?: string | null } = {}) {
  const org = await createTestOrganization(database.db);
  await database.db.organization.update({
    where: { id: org.organizationId },
    data: { name: "Riverside Family Medicine", addressLine1: "42 Elm Street", city: "Portland", region: "OR", postalCode: "97205" },
  });
  const patient = await createTestPatient(database.db, {
    organizationId: org.organizationId,
    firstName: "Jordan",
    lastName: "Alvarez",
    ...(options.email !== null ? { email: options.email ?? "jordan@example.test" } : {}),
  });
  const staff = testActor(org.adminUserId, org.adminEmail);
  /** A finalized invoice for the patient, issued on `issuedOn` (oldest first = earliest issue). */
  const invoice = (total: number, issuedOn = "2026-03-01", patientId = patient.id) =>
    createTestOpenInvoice(database.db, { organizationId: org.organizationId, patientId, total, issuedOn });
  const pay = (input: Omit<TRecordManualPaymentInput, "patientId"> & { patientId?: string }) =>
    recordManualPayment(database.db, { organizationId: org.organizationId, actor: staff, input: { patientId: patient.id, ...input } });
  return { organizationId: org.organizationId, patient, staff, invoice, pay };
}

const readInvoice = (id: string) =>
  database.db.invoice.findUniqueOrThrow({ where: { id }, select: { status: true, amountPaid: true, amountDue: true, amountWrittenOff: true } });

async function balances(organizationId: string) {
  return Object.fromEntries((await getTrialBalance(database.db, organizationId)).map((row) => [row.code, row.balance]));
}

describe("recording a manual payment", () => {
  it("applies cash to the patient's open invoices oldest first and posts one journal", async () => {
    const { organizationId, patient, staff, invoice, pay } = await setupClinic();
    const newest = await invoice(8_000, "2026-03-09");
    const oldest = await invoice(10_000, "2026-03-01");
    const middle = await invoice(5_000, "2026-03-05");

    const payment = await pay({ method: "cash", amount: 12_000, receivedOn: "2026-03-10" });
    expect(payment).toMatchObject({
      status: "succeeded",
      source: "manual",
      method: "cash",
      amount: 12_000,
      amountReceived: 12_000,
      appliedAmount: 12_000,
      creditAmount: 0,
      invoiceId: oldest.id,
      patientId: patient.id,
      receivedOn: "2026-03-10",
      allocations: [
        { invoiceId: oldest.id, invoiceNumber: oldest.number, amount: 10_000 },
        { invoiceId: middle.id, invoiceNumber: middle.number, amount: 2_000 },
      ],
    });
    const row = await database.db.payment.findUniqueOrThrow({ where: { id: payment.id } });
    expect(row).toMatchObject({ recordedById: staff.userId, succeededAt: expect.any(Date) });
    expect(await readInvoice(oldest.id)).toEqual({ status: "paid", amountPaid: 10_000, amountDue: 0, amountWrittenOff: 0 });
    expect(await readInvoice(middle.id)).toEqual({ status: "partially_paid", amountPaid: 2_000, amountDue: 3_000, amountWrittenOff: 0 });
    expect(await readInvoice(newest.id)).toMatchObject({ status: "open", amountDue: 8_000 });

    const journals = await database.db.journalEntry.findMany({
      where: { sourceType: "payment", sourceId: payment.id },
      include: { lines: { include: { account: true } } },
    });
    expect(journals).toHaveLength(1);
    expect(journals[0]!.kind).toBe("payment.manual");
    expect(journals[0]!.lines.map((line) => [line.account.code, line.amount, line.invoiceId]).sort()).toEqual(
      [
        ["1000", 12_000, null],
        ["1100", -10_000, oldest.id],
        ["1100", -2_000, middle.id],
      ].sort(),
    );
    expect(await balances(organizationId)).toMatchObject({ "1000": 12_000, "1100": 3_000 + 8_000 });
    expect(await database.db.auditEvent.count({ where: { organizationId, action: "payment.manual_recorded", targetId: payment.id } })).toBe(1);
    // Listed under each invoice it paid, not only the first.
    expect((await listPayments(database.db, { organizationId, input: { invoiceId: middle.id } })).data.map((item) => item.id)).toEqual([payment.id]);
    expect((await listPayments(database.db, { organizationId, input: { invoiceId: newest.id } })).data).toEqual([]);
  });

  it("debits the bank for transfers and card-terminal clearing for terminal payments, keeping the reference", async () => {
    const { organizationId, invoice, pay } = await setupClinic();
    const first = await invoice(10_000);
    await pay({ method: "bank_transfer", amount: 4_000, reference: "WIRE-7781", invoiceId: first.id });
    const terminal = await pay({ method: "card_terminal", amount: 1_500, invoiceId: first.id });
    const check = await pay({ method: "check", amount: 500, reference: "1042", invoiceId: first.id });
    expect(check.reference).toBe("1042");
    expect(terminal.reference).toBeNull();
    expect(await balances(organizationId)).toMatchObject({ "1020": 4_000, "1030": 1_500, "1000": 500 });
    expect(await readInvoice(first.id)).toMatchObject({ status: "partially_paid", amountPaid: 6_000, amountDue: 4_000 });
  });

  it("follows the allocations staff chose, in their amounts", async () => {
    const { invoice, pay } = await setupClinic();
    const older = await invoice(10_000, "2026-03-01");
    const newer = await invoice(5_000, "2026-03-05");
    const payment = await pay({
      method: "cash",
      amount: 7_000,
      allocations: [
        { invoiceId: newer.id, amount: 5_000 },
        { invoiceId: older.id, amount: 2_000 },
      ],
    });
    expect(payment.invoiceId).toBe(newer.id);
    expect(payment.allocations.map((allocation) => [allocation.invoiceId, allocation.amount]).sort()).toEqual(
      [
        [newer.id, 5_000],
        [older.id, 2_000],
      ].sort(),
    );
    expect(await readInvoice(newer.id)).toMatchObject({ status: "paid", amountDue: 0 });
    expect(await readInvoice(older.id)).toMatchObject({ status: "partially_paid", amountDue: 8_000 });

    const tooMuch = await refusal(pay({ method: "cash", amount: 9_000, allocations: [{ invoiceId: older.id, amount: 9_000 }] }));
    expect(tooMuch).toMatchObject({ code: "VALIDATION_FAILED", fields: { "allocations.0.amount": [expect.stringContaining("$80.00 left to pay")] } });
    const overAmount = await refusal(pay({ method: "cash", amount: 1_000, allocations: [{ invoiceId: older.id, amount: 2_000 }] }));
    expect(overAmount).toMatchObject({ code: "VALIDATION_FAILED", fields: { allocations: [expect.stringContaining("more than the $10.00 received")] } });
    const twice = await refusal(
      pay({
        method: "cash",
        amount: 2_000,
        allocations: [
          { invoiceId: older.id, amount: 1_000 },
          { invoiceId: older.id, amount: 1_000 },
        ],
      }),
    );
    expect(twice).toMatchObject({ code: "VALIDATION_FAILED", fields: { "allocations.1.invoiceId": ["This invoice is listed twice."] } });
  });

  it("refuses more than the patient owes unless the excess is kept as patient credit", async () => {
    const { organizationId, patient, invoice, pay } = await setupClinic();
    const only = await invoice(10_000);
    const refused = await refusal(pay({ method: "cash", amount: 13_000 }));
    expect(refused).toMatchObject({ code: "VALIDATION_FAILED", fields: { amount: [expect.stringContaining("$30.00 more than the patient owes")] } });
    const single = await refusal(pay({ method: "cash", amount: 13_000, invoiceId: only.id }));
    expect(single.code).toBe("VALIDATION_FAILED");
    expect(await database.db.payment.count({ where: { organizationId } })).toBe(0);
    expect(await readInvoice(only.id)).toMatchObject({ status: "open", amountDue: 10_000 });

    const payment = await pay({ method: "cash", amount: 13_000, invoiceId: only.id, keepExcessAsCredit: true });
    expect(payment).toMatchObject({ appliedAmount: 10_000, creditAmount: 3_000, allocations: [{ invoiceId: only.id, amount: 10_000 }] });
    expect(
      await database.db.patientCreditBalance.findUniqueOrThrow({ where: { patientId_currency: { patientId: patient.id, currency: "USD" } } }),
    ).toMatchObject({ balance: 3_000 });
    expect(await balances(organizationId)).toMatchObject({ "1000": 13_000, "1100": 0, "2200": -3_000 });
  });

  it("rejects bad input with a field message and writes nothing", async () => {
    const { organizationId, invoice, pay } = await setupClinic();
    const only = await invoice(10_000);
    expect(await refusal(pay({ method: "check", amount: 1_000, invoiceId: only.id }))).toMatchObject({
      code: "VALIDATION_FAILED",
      fields: { reference: ["Enter the check number."] },
    });
    expect(await refusal(pay({ method: "bank_transfer", amount: 1_000, invoiceId: only.id, reference: "  " }))).toMatchObject({
      fields: { reference: ["Enter the bank transfer's reference."] },
    });
    expect(await refusal(pay({ method: "cash", amount: 0, invoiceId: only.id }))).toMatchObject({
      code: "VALIDATION_FAILED",
      fields: { amount: ["Enter an amount greater than zero."] },
    });
    expect(await refusal(pay({ method: "cash", amount: -5, invoiceId: only.id }))).toMatchObject({ code: "VALIDATION_FAILED" });
    expect(await refusal(pay({ method: "cash", amount: 10.5, invoiceId: only.id }))).toMatchObject({ code: "VALIDATION_FAILED" });
    expect(await refusal(pay({ method: "cash", amount: 1_000, invoiceId: only.id, receivedOn: "2999-01-01" }))).toMatchObject({
      code: "VALIDATION_FAILED",
      fields: { receivedOn: ["The date received cannot be in the future."] },
    });
    expect(await refusal(pay({ method: "cash", amount: 1_000, invoiceId: only.id, receivedOn: "2026-02-30" }))).toMatchObject({
      fields: { receivedOn: ["That date does not exist."] },
    });
    expect(await refusal(pay({ method: "cash", amount: 1_000, invoiceId: only.id, receivedOn: "2026-13-01" }))).toMatchObject({
      fields: { receivedOn: ["That date does not exist."] },
    });
    expect(await refusal(pay({ method: "cash", amount: 1_000, invoiceId: only.id, receivedOn: "yesterday" }))).toMatchObject({
      fields: { receivedOn: ["Use a date like 2026-03-01."] },
    });
    expect(await refusal(pay({ method: "cash", amount: 1_000, invoiceId: only.id, currency: "EUR" }))).toMatchObject({
      fields: { currency: ["The invoice is in USD."] },
    });
    // @ts-expect-error -- a method the API does not take
    expect(await refusal(pay({ method: "card", amount: 1_000, invoiceId: only.id }))).toMatchObject({ code: "VALIDATION_FAILED" });
    expect(await database.db.payment.count({ where: { organizationId } })).toBe(0);
    expect(await readInvoice(only.id)).toMatchObject({ status: "open", amountDue: 10_000 });
  });

  it("refuses other patients' and organizations' invoices, drafts, void and paid invoices", async () => {
    const { organizationId, invoice, pay } = await setupClinic();
    const mine = await invoice(10_000);
    const otherPatient = await createTestPatient(database.db, { organizationId });
    const theirs = await invoice(5_000, "2026-03-01", otherPatient.id);
    const elsewhere = await setupClinic();
    const foreign = await elsewhere.invoice(5_000);
    const draft = await createInvoice(database.db, {
      organizationId,
      actor,
      input: {
        patientId: (await database.db.invoice.findUniqueOrThrow({ where: { id: mine.id } })).patientId,
        lines: [{ description: "Visit", quantity: 1, unitAmount: 100 }],
      },
    });
    const voided = await invoice(3_000);
    await voidInvoice(database.db, { organizationId, invoiceId: voided.id, actor, input: { reason: "Billed twice" } });

    expect(await refusal(pay({ method: "cash", amount: 1_000, invoiceId: theirs.id }))).toMatchObject({
      code: "VALIDATION_FAILED",
      fields: { invoiceId: [expect.stringContaining("another patient")] },
    });
    expect(
      await refusal(
        pay({
          method: "cash",
          amount: 1_000,
          allocations: [
            { invoiceId: mine.id, amount: 500 },
            { invoiceId: theirs.id, amount: 500 },
          ],
        }),
      ),
    ).toMatchObject({
      fields: { "allocations.1.invoiceId": [expect.stringContaining("another patient")] },
    });
    expect((await refusal(pay({ method: "cash", amount: 1_000, invoiceId: foreign.id }))).code).toBe("NOT_FOUND");
    expect((await refusal(pay({ method: "cash", amount: 1_000, invoiceId: mine.id, patientId: elsewhere.patient.id }))).code).toBe("NOT_FOUND");
    expect(await refusal(pay({ method: "cash", amount: 1_000, invoiceId: draft.id }))).toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining("draft"),
    });
    expect(await refusal(pay({ method: "cash", amount: 1_000, invoiceId: voided.id }))).toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining("void"),
    });
    await pay({ method: "cash", amount: 10_000, invoiceId: mine.id });
    expect(await refusal(pay({ method: "cash", amount: 1_000, invoiceId: mine.id }))).toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining("already paid"),
    });
    expect(await refusal(pay({ method: "cash", amount: 1_000 }))).toMatchObject({
      code: "VALIDATION_FAILED",
      fields: { invoiceId: [expect.stringContaining("no open invoices")] },
    });
    expect(await database.db.payment.count({ where: { organizationId } })).toBe(1);
  });

  it("never applies more than an invoice owes when desks record payments at once", async () => {
    const { organizationId, invoice, pay } = await setupClinic();
    const first = await invoice(10_000, "2026-03-01");
    const second = await invoice(10_000, "2026-03-02");
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => pay({ method: "cash", amount: 10_000, invoiceId: first.id })));
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    for (const result of results) if (result.status === "rejected") expect(result.reason).toMatchObject({ code: "CONFLICT" });
    expect(await readInvoice(first.id)).toMatchObject({ status: "paid", amountPaid: 10_000, amountDue: 0 });

    // Oldest-first payments over both invoices at once: together they never exceed what is owed.
    const spread = await Promise.allSettled(Array.from({ length: 6 }, () => pay({ method: "cash", amount: 4_000 })));
    expect(spread.filter((result) => result.status === "fulfilled")).toHaveLength(2);
    expect(await readInvoice(second.id)).toMatchObject({ status: "partially_paid", amountPaid: 8_000, amountDue: 2_000 });
    expect(await balances(organizationId)).toMatchObject({ "1000": 18_000, "1100": 2_000 });
  });
});

describe("prepayments (an estimate collected at check-in)", () => {
  it("puts the whole amount on the patient's credit even with open invoices; a receipt says so; voiding takes it back", async () => {
    const { organizationId, patient, staff, invoice, pay } = await setupClinic();
    const open = await invoice(10_000, "2026-03-01");
    const payment = await pay({ method: "cash", amount: 4_000, cashTendered: 5_000, prepayment: true, receivedOn: "2026-03-10", emailReceipt: true });
    expect(payment).toMatchObject({
      status: "succeeded",
      source: "manual",
      amount: 4_000,
      amountReceived: 4_000,
      appliedAmount: 0,
      creditAmount: 4_000,
      invoiceId: null,
      patientId: patient.id,
      allocations: [],
    });
    expect(await readInvoice(open.id)).toMatchObject({ status: "open", amountDue: 10_000 });
    const journals = await database.db.journalEntry.findMany({
      where: { sourceType: "payment", sourceId: payment.id },
      include: { lines: { include: { account: true } } },
    });
    expect(journals.map((journal) => [journal.kind, journal.memo])).toEqual([
      ["payment.manual", "Cash prepayment received 2026-03-10, kept as patient credit"],
    ]);
    expect(journals[0]!.lines.map((line) => [line.account.code, line.amount, line.patientId]).sort()).toEqual(
      [
        ["1000", 4_000, null],
        ["2200", -4_000, patient.id],
      ].sort(),
    );
    expect(
      await database.db.patientCreditBalance.findUniqueOrThrow({ where: { patientId_currency: { patientId: patient.id, currency: "USD" } } }),
    ).toMatchObject({ balance: 4_000 });
    const audit = await database.db.auditEvent.findFirstOrThrow({ where: { organizationId, action: "payment.manual_recorded", targetId: payment.id } });
    expect(audit.after).toMatchObject({ prepayment: true, amount: 4_000, applied: 0, credit: 4_000, cashTendered: 5_000, changeGiven: 1_000, allocations: [] });
    const email = await database.db.email.findFirstOrThrow({ where: { organizationId, kind: "receipt" } });
    expect(email).toMatchObject({ invoiceId: null });
    expect(email.text).toContain("$40.00 is kept as credit on your account for future visits.");
    expect(await checkLedger(database.db)).toMatchObject({ invoiceMismatches: [], patientCreditMismatches: [], allocationMismatches: [] });
    const history = await getPatientCreditHistory(database.db, { organizationId, patientId: patient.id });
    expect(history.events.map((event) => [event.label, event.amount, event.paymentId, event.invoice])).toEqual([
      ["Prepayment kept as credit", 4_000, payment.id, null],
    ]);

    await voidManualPayment(database.db, { organizationId, paymentId: payment.id, actor: staff, input: { reason: "Entered twice" } });
    expect(
      await database.db.patientCreditBalance.findUniqueOrThrow({ where: { patientId_currency: { patientId: patient.id, currency: "USD" } } }),
    ).toMatchObject({ balance: 0 });
    expect(await balances(organizationId)).toMatchObject({ "1000": 0, "2200": 0 });
  });

  it("refuses a prepayment with an invoice, or cash without the amount to keep", async () => {
    const { invoice, pay } = await setupClinic();
    const open = await invoice(10_000);
    expect(await refusal(pay({ method: "cash", amount: 1_000, prepayment: true, invoiceId: open.id }))).toMatchObject({
      code: "VALIDATION_FAILED",
      fields: { invoiceId: ["A prepayment goes to the patient's credit: choose no invoice."] },
    });
    expect(await refusal(pay({ method: "cash", cashTendered: 2_000, prepayment: true }))).toMatchObject({
      code: "VALIDATION_FAILED",
      fields: { amount: ["Enter the amount to keep as a prepayment."] },
    });
    expect(await refusal(pay({ method: "check", amount: 1_000, prepayment: true }))).toMatchObject({ fields: { reference: ["Enter the check number."] } });
  });
});

describe("voiding a manual payment", () => {
  it("restores the invoices and takes back the credit it created; never twice", async () => {
    const { organizationId, patient, staff, invoice, pay } = await setupClinic();
    const older = await invoice(10_000, "2026-03-01");
    const newer = await invoice(4_000, "2026-03-02");
    const earlier = await pay({ method: "cash", amount: 1_000, invoiceId: older.id });
    const payment = await pay({ method: "check", reference: "1042", amount: 15_000, keepExcessAsCredit: true });
    expect(payment).toMatchObject({ appliedAmount: 13_000, creditAmount: 2_000 });
    expect(await readInvoice(newer.id)).toMatchObject({ status: "paid" });

    const voided = await voidManualPayment(database.db, { organizationId, paymentId: payment.id, actor: staff, input: { reason: "Check bounced" } });
    expect(voided).toMatchObject({ status: "voided", voidReason: "Check bounced", voidedAt: expect.any(String) });
    expect(await readInvoice(older.id)).toEqual({ status: "partially_paid", amountPaid: 1_000, amountDue: 9_000, amountWrittenOff: 0 });
    expect(await readInvoice(newer.id)).toEqual({ status: "open", amountPaid: 0, amountDue: 4_000, amountWrittenOff: 0 });
    expect(
      await database.db.patientCreditBalance.findUniqueOrThrow({ where: { patientId_currency: { patientId: patient.id, currency: "USD" } } }),
    ).toMatchObject({ balance: 0 });
    expect(await balances(organizationId)).toMatchObject({ "1000": 1_000, "1100": 13_000, "2200": 0 });
    const journals = await database.db.journalEntry.findMany({ where: { sourceType: "payment", sourceId: payment.id } });
    expect(journals.map((journal) => journal.kind).sort()).toEqual(["payment.manual", "payment.manual.voided"]);
    expect(await database.db.payment.count({ where: { id: payment.id } })).toBe(1);

    expect(await refusal(voidManualPayment(database.db, { organizationId, paymentId: payment.id, actor: staff, input: { reason: "Again" } }))).toMatchObject({
      code: "CONFLICT",
      message: "This payment was already voided.",
    });
    expect(await refusal(voidManualPayment(database.db, { organizationId, paymentId: earlier.id, actor: staff, input: { reason: "" } }))).toMatchObject({
      code: "VALIDATION_FAILED",
      fields: { reason: [expect.any(String)] },
    });
    const elsewhere = await setupClinic();
    expect(
      (
        await refusal(
          voidManualPayment(database.db, { organizationId: elsewhere.organizationId, paymentId: earlier.id, actor: staff, input: { reason: "Not mine" } }),
        )
      ).code,
    ).toBe("NOT_FOUND");
    expect(await database.db.auditEvent.count({ where: { organizationId, action: "payment.voided", targetId: payment.id } })).toBe(1);
  });

  it("refuses with a clear 409 once the patient spent the credit the payment created", async () => {
    const { organizationId, staff, invoice, pay } = await setupClinic();
    const first = await invoice(10_000, "2026-03-01");
    const payment = await pay({ method: "cash", amount: 15_000, invoiceId: first.id, keepExcessAsCredit: true });
    const later = await invoice(4_000, "2026-03-08");
    await applyPatientCredit(database.db, { organizationId, invoiceId: later.id, actor: staff, input: { amount: 4_000 } });

    const refused = await refusal(voidManualPayment(database.db, { organizationId, paymentId: payment.id, actor: staff, input: { reason: "Wrong patient" } }));
    expect(refused.code).toBe("CONFLICT");
    expect(refused.message).toContain("left $50.00 as patient credit");
    expect(refused.message).toContain("credit is now $10.00");
    expect(await database.db.payment.findUniqueOrThrow({ where: { id: payment.id } })).toMatchObject({ status: "succeeded" });
    expect(await readInvoice(first.id)).toMatchObject({ status: "paid" });
  });
});

describe("payments on written-off invoices", () => {
  it("a manual payment recovers the write-off; voiding it writes it off again exactly", async () => {
    const { organizationId, staff, invoice, pay } = await setupClinic();
    const written = await invoice(10_000);
    await pay({ method: "cash", amount: 3_000, invoiceId: written.id });
    await markInvoiceUncollectible(database.db, { organizationId, invoiceId: written.id, actor, input: { reason: "Collections gave up" } });
    expect(await readInvoice(written.id)).toEqual({ status: "uncollectible", amountPaid: 3_000, amountDue: 0, amountWrittenOff: 7_000 });

    // Oldest-first payments leave written-off invoices alone; staff pick them explicitly.
    expect((await refusal(pay({ method: "cash", amount: 1_000 }))).code).toBe("VALIDATION_FAILED");
    const recovery = await pay({ method: "cash", amount: 5_000, invoiceId: written.id });
    expect(await readInvoice(written.id)).toEqual({ status: "uncollectible", amountPaid: 8_000, amountDue: 0, amountWrittenOff: 2_000 });
    const journals = await database.db.journalEntry.findMany({
      where: { sourceType: "payment", sourceId: recovery.id },
      include: { lines: { include: { account: true } } },
    });
    const recovered = journals.find((journal) => journal.kind === "payment.write_off_recovered")!;
    expect(recovered.lines.map((line) => [line.account.code, line.amount]).sort()).toEqual(
      [
        ["1100", 5_000],
        ["6200", -5_000],
      ].sort(),
    );
    expect(await balances(organizationId)).toMatchObject({ "6200": 2_000, "1100": 0, "1000": 8_000 });

    const rest = await pay({ method: "cash", amount: 2_500, allocations: [{ invoiceId: written.id, amount: 2_000 }], keepExcessAsCredit: true });
    expect(rest).toMatchObject({ appliedAmount: 2_000, creditAmount: 500 });
    expect(await readInvoice(written.id)).toEqual({ status: "paid", amountPaid: 10_000, amountDue: 0, amountWrittenOff: 0 });

    await voidManualPayment(database.db, { organizationId, paymentId: recovery.id, actor: staff, input: { reason: "Entered on the wrong account" } });
    expect(await readInvoice(written.id)).toEqual({ status: "uncollectible", amountPaid: 5_000, amountDue: 0, amountWrittenOff: 5_000 });
    expect(await balances(organizationId)).toMatchObject({ "6200": 5_000, "1100": 0, "1000": 5_500, "2200": -500 });
  });

  it("a card payment that completes after the write-off recovers it, and card payments cannot be voided", async () => {
    const { organizationId, staff, invoice } = await setupClinic();
    const written = await invoice(10_000);
    const attempt = await createPaymentAttempt(database.db, { organizationId, invoiceId: written.id, stripe: stripe.stripe });
    await markInvoiceUncollectible(database.db, { organizationId, invoiceId: written.id, actor, input: { reason: "No answer for 90 days" } });
    await stripe.stripe.paymentIntents.confirm(attempt.paymentIntent.id, { payment_method: "pm_card_visa" }).catch((error: Stripe.errors.StripeError) => {
      throw error;
    });
    await syncPaymentIntent(database.db, attempt.paymentIntent.id, stripe.stripe);

    expect(await readInvoice(written.id)).toEqual({ status: "paid", amountPaid: 10_000, amountDue: 0, amountWrittenOff: 0 });
    const payment = await database.db.payment.findUniqueOrThrow({ where: { id: attempt.paymentId } });
    expect(payment).toMatchObject({ status: "succeeded", appliedAmount: 10_000, creditAmount: 0 });
    expect(await balances(organizationId)).toMatchObject({ "6200": 0, "1100": 0 });
    const receiptEmail = await database.db.email.findFirstOrThrow({ where: { invoiceId: written.id, kind: "receipt" } });
    expect(receiptEmail.text).toContain("paid in full");

    expect(await refusal(voidManualPayment(database.db, { organizationId, paymentId: payment.id, actor: staff, input: { reason: "Oops" } }))).toMatchObject({
      code: "CONFLICT",
      message: "Card payments cannot be voided. Refund the payment instead.",
    });

    const { pdf } = await renderReceiptPdfFile(database.db, { organizationId, paymentId: payment.id });
    const text = extractPdfText(pdf);
    expect(text).toContain("Visa •••• 4242");
    await resendPaymentReceipt(database.db, { organizationId, paymentId: payment.id, actor: staff });
    const resent = await database.db.email.findFirstOrThrow({ where: { invoiceId: written.id, kind: "receipt", attachments: { not: [] } } });
    expect(resent.text).toContain(`${written.number}: $100.00 applied, paid in full`);
    expect(text).toMatch(new RegExp(`${written.number}\\s+\\$100\\.00\\s+Paid in full`));
  });
});

describe("receipts", () => {
  it("prints the clinic, patient, date, method, amount, each invoice's remaining balance and the credit kept", async () => {
    const { organizationId, invoice, pay } = await setupClinic();
    const older = await invoice(10_000, "2026-03-01");
    const newer = await invoice(6_000, "2026-03-02");
    const payment = await pay({
      method: "check",
      reference: "1042",
      amount: 20_000,
      receivedOn: "2026-03-04",
      allocations: [
        { invoiceId: older.id, amount: 10_000 },
        { invoiceId: newer.id, amount: 4_000 },
      ],
      keepExcessAsCredit: true,
    });

    const { filename, pdf } = await renderReceiptPdfFile(database.db, { organizationId, paymentId: payment.id });
    // The organization's first receipt: RCT-00001.
    expect(filename).toBe("receipt-RCT-00001.pdf");
    const text = extractPdfText(pdf);
    expect(text).toContain("Riverside Family Medicine");
    expect(text).toContain("42 Elm Street");
    expect(text).toMatch(/RECEIPT/);
    expect(text).toMatch(/Jordan Alvarez\s+RCT-00001\s+Mar 4, 2026\s+Check no\. 1042/);
    expect(text).toMatch(/Amount paid\s+\$200\.00/);
    expect(text).toMatch(new RegExp(`${older.number}\\s+\\$100\\.00\\s+Paid in full`));
    expect(text).toMatch(new RegExp(`${newer.number}\\s+\\$40\\.00\\s+\\$20\\.00`));
    expect(text).toMatch(/Applied to invoices\s+\$140\.00/);
    expect(text).toMatch(/Kept as credit\s+\$60\.00/);

    const staff = testActor();
    const voided = await voidManualPayment(database.db, { organizationId, paymentId: payment.id, actor: staff, input: { reason: "Check bounced" } });
    expect(voided.status).toBe("voided");
    expect((await refusal(renderReceiptPdfFile(database.db, { organizationId, paymentId: payment.id }))).code).toBe("CONFLICT");
    expect((await refusal(renderReceiptPdfFile(database.db, { organizationId: (await setupClinic()).organizationId, paymentId: payment.id }))).code).toBe(
      "NOT_FOUND",
    );
  });

  it("queues a receipt email with the PDF attached when asked, and none for patients without email", async () => {
    const { organizationId, invoice, pay } = await setupClinic();
    const only = await invoice(10_000);
    const payment = await pay({ method: "cash", amount: 4_000, invoiceId: only.id, emailReceipt: true });
    const email = await database.db.email.findFirstOrThrow({ where: { organizationId, kind: "receipt" } });
    expect(email).toMatchObject({ toAddress: "jordan@example.test", status: "queued", invoiceId: only.id });
    expect(email.text).toContain("$40.00");
    expect(email.text).toContain(`${only.number}: $40.00 applied, $60.00 remaining`);
    const attachments = parseEmailAttachments(email.attachments);
    expect(attachments).toEqual([{ type: "receipt_pdf", paymentId: payment.id, filename: "receipt-RCT-00001.pdf" }]);
    expect(email.text).toContain("Receipt number: RCT-00001");
    const [file] = await renderEmailAttachments(database.db, { organizationId, attachments });
    expect(extractPdfText(file!.content as Buffer)).toMatch(/Amount paid\s+\$40\.00/);

    await pay({ method: "cash", amount: 1_000, invoiceId: only.id, emailReceipt: false });
    expect(await database.db.email.count({ where: { organizationId, kind: "receipt" } })).toBe(1);

    // Sent again from the payment page.
    expect(await resendPaymentReceipt(database.db, { organizationId, paymentId: payment.id, actor })).toEqual({ toAddress: "jordan@example.test" });
    expect(await database.db.email.count({ where: { organizationId, kind: "receipt" } })).toBe(2);
    expect(await database.db.auditEvent.count({ where: { organizationId, action: "payment.receipt_emailed", targetId: payment.id } })).toBe(1);

    const noEmail = await setupClinic({ email: null });
    const theirs = await noEmail.invoice(5_000);
    const unsent = await noEmail.pay({ method: "cash", amount: 5_000, invoiceId: theirs.id, emailReceipt: true });
    expect(await database.db.email.count({ where: { organizationId: noEmail.organizationId } })).toBe(0);
    expect(await refusal(resendPaymentReceipt(database.db, { organizationId: noEmail.organizationId, paymentId: unsent.id, actor }))).toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining("no email address"),
    });
    expect((await refusal(resendPaymentReceipt(database.db, { organizationId: noEmail.organizationId, paymentId: payment.id, actor }))).code).toBe("NOT_FOUND");
  });
});
