import { afterEach, describe, expect, it, vi } from "vitest";
import { createApiKey } from "@/lib/api-keys/create-api-key";
import { getTrialBalance } from "@/lib/ledger/balances";
import { extractPdfText } from "@/lib/pdf/extract-pdf-text";
import { renderReceiptPdfFile } from "@/lib/pdf/render-receipt-pdf";
import { callRoute } from "@/tests/api-client";
import { createTestOpenInvoice, createTestOrganization, createTestPatient } from "@/tests/factories";
import { refusal } from "@/tests/refusal";
import { setupTestDatabase } from "@/tests/test-database";
import * as paymentsRoute from "@/app/api/v1/payments/route";
import type { TRecordManualPaymentInput } from "./manual-payments.types";
import { recordManualPayment } from "./record-manual-payment";

const database = setupTestDatabase();

async function setupClinic(timezone = "America/New_York") {
  const org = await createTestOrganization(database.db);
  await database.db.organization.update({ where: { id: org.organizationId }, data: { timezone } });
  const patient = await createTestPatient(database.db, { organizationId: org.organizationId, firstName: "Noor", lastName: "Haddad" });
  const invoice = (total: number) => createTestOpenInvoice(database.db, { organizationId: org.organizationId, patientId: patient.id, total });
  const pay = (input: Omit<TRecordManualPaymentInput, "patientId">, now?: Date) =>
    recordManualPayment(database.db, { organizationId: org.organizationId, actor: org.adminActor, input: { patientId: patient.id, ...input }, now });
  return { ...org, patient, invoice, pay };
}

const readInvoice = (id: string) => database.db.invoice.findUniqueOrThrow({ where: { id }, select: { status: true, amountPaid: true, amountDue: true } });

describe("cash with change due", () => {
  it("takes $100 for an $88.40 invoice: pays it, keeps $88.40, stores $100 tendered and $11.60 change", async () => {
    const { organizationId, invoice, pay } = await setupClinic();
    const bill = await invoice(8_840);

    const payment = await pay({ method: "cash", cashTendered: 10_000, invoiceId: bill.id });

    expect(payment).toMatchObject({ amount: 8_840, amountReceived: 8_840, appliedAmount: 8_840, creditAmount: 0, cashTendered: 10_000, changeGiven: 1_160 });
    expect(await readInvoice(bill.id)).toEqual({ status: "paid", amountPaid: 8_840, amountDue: 0 });
    // The drawer keeps only what was paid: cash in the books is $88.40, not $100.
    const cash = (await getTrialBalance(database.db, organizationId)).find((row) => row.code === "1000");
    expect(cash?.balance).toBe(8_840);
    const audit = await database.db.auditEvent.findFirstOrThrow({ where: { organizationId, action: "payment.manual_recorded" } });
    expect(audit.after).toMatchObject({ amount: 8_840, cashTendered: 10_000, changeGiven: 1_160 });

    const text = extractPdfText((await renderReceiptPdfFile(database.db, { organizationId, paymentId: payment.id })).pdf);
    expect(text).toMatch(/Amount paid\s+\$88\.40/);
    expect(text).toMatch(/Cash received\s+\$100\.00/);
    expect(text).toMatch(/Change given\s+\$11\.60/);
  });

  it("with explicit allocations and an amount, the change is what was handed over beyond the amount", async () => {
    const { invoice, pay } = await setupClinic();
    const first = await invoice(3_000);
    const second = await invoice(2_500);
    const payment = await pay({
      method: "cash",
      amount: 4_000,
      cashTendered: 5_000,
      allocations: [
        { invoiceId: first.id, amount: 3_000 },
        { invoiceId: second.id, amount: 1_000 },
      ],
    });
    expect(payment).toMatchObject({ amount: 4_000, cashTendered: 5_000, changeGiven: 1_000 });
    expect(await readInvoice(second.id)).toMatchObject({ status: "partially_paid", amountDue: 1_500 });
  });

  it("cash without a tendered amount stores exactly the amount; less cash than owed pays part", async () => {
    const { invoice, pay } = await setupClinic();
    const bill = await invoice(8_840);
    const exact = await pay({ method: "cash", amount: 2_000, invoiceId: bill.id });
    expect(exact).toMatchObject({ amount: 2_000, cashTendered: 2_000, changeGiven: 0 });
    const short = await pay({ method: "cash", cashTendered: 5_000, invoiceId: bill.id });
    expect(short).toMatchObject({ amount: 5_000, cashTendered: 5_000, changeGiven: 0 });
    expect(await readInvoice(bill.id)).toMatchObject({ status: "partially_paid", amountDue: 1_840 });
  });

  it("other methods keep today's rule: more than owed is refused unless kept as credit, and they store no cash tendered", async () => {
    const { invoice, pay } = await setupClinic();
    const bill = await invoice(8_840);
    expect(await refusal(pay({ method: "check", reference: "5521", amount: 10_000, invoiceId: bill.id }))).toMatchObject({
      code: "VALIDATION_FAILED",
      fields: { amount: [expect.stringContaining("$11.60 more than the patient owes")] },
    });
    expect(await refusal(pay({ method: "check", reference: "5521", amount: 8_840, cashTendered: 10_000, invoiceId: bill.id }))).toMatchObject({
      fields: { cashTendered: ["Cash tendered is for cash payments only."] },
    });
    const check = await pay({ method: "check", reference: "5521", amount: 10_000, invoiceId: bill.id, keepExcessAsCredit: true });
    expect(check).toMatchObject({ amount: 10_000, creditAmount: 1_160, cashTendered: null, changeGiven: null });
  });

  it("refuses less cash than the amount, and a payment with neither amount nor cash", async () => {
    const { invoice, pay } = await setupClinic();
    const bill = await invoice(8_840);
    expect(await refusal(pay({ method: "cash", amount: 8_840, cashTendered: 8_000, invoiceId: bill.id }))).toMatchObject({
      fields: { cashTendered: ["The cash received cannot be less than the amount paid."] },
    });
    expect(await refusal(pay({ method: "cash", invoiceId: bill.id }))).toMatchObject({ fields: { amount: ["Enter an amount."] } });
    expect(await readInvoice(bill.id)).toMatchObject({ status: "open", amountDue: 8_840 });
  });

  it("the database refuses cash tendered on other methods or below the amount", async () => {
    const { invoice, pay } = await setupClinic();
    const bill = await invoice(8_840);
    const cash = await pay({ method: "cash", cashTendered: 10_000, invoiceId: bill.id });
    await expect(database.db.payment.update({ where: { id: cash.id }, data: { cashTendered: 8_000 } })).rejects.toThrow(/payments_cash_tendered_valid/);
    const other = await invoice(1_000);
    const terminal = await pay({ method: "card_terminal", amount: 1_000, invoiceId: other.id });
    await expect(database.db.payment.update({ where: { id: terminal.id }, data: { cashTendered: 1_000 } })).rejects.toThrow(/payments_cash_tendered_valid/);
  });
});

describe("the date received is the clinic's calendar date", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("at 03:00 UTC a Los Angeles clinic is still on the previous day: UTC's today is the future there", async () => {
    const { invoice, pay } = await setupClinic("America/Los_Angeles");
    const bill = await invoice(5_000);
    const now = new Date("2026-03-11T03:00:00Z"); // 8 pm on March 10 in Los Angeles
    expect(await refusal(pay({ method: "cash", amount: 1_000, invoiceId: bill.id, receivedOn: "2026-03-11" }, now))).toMatchObject({
      fields: { receivedOn: ["The date received cannot be in the future."] },
    });
    const payment = await pay({ method: "cash", amount: 1_000, invoiceId: bill.id, receivedOn: "2026-03-10" }, now);
    expect(payment.receivedOn).toBe("2026-03-10");
    // Left out, the date received is the clinic's today, not UTC's.
    expect((await pay({ method: "cash", amount: 1_000, invoiceId: bill.id }, now)).receivedOn).toBe("2026-03-10");
  });

  it("a clinic ahead of UTC may record its today while UTC is still on yesterday", async () => {
    const { invoice, pay } = await setupClinic("Pacific/Auckland");
    const bill = await invoice(5_000);
    const now = new Date("2026-03-10T20:00:00Z"); // 9 am on March 11 in Auckland
    const payment = await pay({ method: "cash", amount: 1_000, invoiceId: bill.id, receivedOn: "2026-03-11" }, now);
    expect(payment.receivedOn).toBe("2026-03-11");
    expect(await refusal(pay({ method: "cash", amount: 1_000, invoiceId: bill.id, receivedOn: "2026-03-12" }, now))).toMatchObject({
      fields: { receivedOn: ["The date received cannot be in the future."] },
    });
  });

  it("the REST API validates against the clinic's today too", async () => {
    const { organizationId, adminActor, patient, invoice } = await setupClinic("America/Los_Angeles");
    const bill = await invoice(5_000);
    const key = await createApiKey(database.db, { organizationId, actor: adminActor, input: { name: "Desk sync" } });
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-03-11T03:00:00Z"));
    const post = (receivedOn: string) =>
      callRoute(paymentsRoute.POST, {
        method: "POST",
        path: "/api/v1/payments",
        apiKey: key.secret,
        body: { patientId: patient.id, method: "cash", amount: 1_000, invoiceId: bill.id, receivedOn },
      });
    const future = await post("2026-03-11");
    expect(future.status).toBe(422);
    expect(future.json!.error!.fields).toMatchObject({ receivedOn: ["The date received cannot be in the future."] });
    const today = await post("2026-03-10");
    expect(today.status).toBe(201);
    expect(today.json).toMatchObject({ receivedOn: "2026-03-10", cashTendered: 1_000, changeGiven: 0 });
  });
});
