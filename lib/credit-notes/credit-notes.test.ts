import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { AppError } from "@/lib/errors";
import { createInvoice } from "@/lib/invoices/create-invoice";
import { voidInvoice } from "@/lib/invoices/void-invoice";
import { getInvoiceReceivable, getTrialBalance } from "@/lib/ledger/balances";
import { createOpenInvoice, createPaidInvoice, payByCard } from "@/tests/card-payments";
import { createTestOrganization, testActor } from "@/tests/factories";
import { assertNoPatientDataSentToStripe, startTestStripe, type TestStripe } from "@/tests/stripe";
import { setupTestDatabase } from "@/tests/test-database";
import { creditNoteTax, issueCreditNote } from "./issue-credit-note";
import { listCreditNotes } from "./list-credit-notes";

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

const issue = (organizationId: string, invoiceId: string, input: Parameters<typeof issueCreditNote>[1]["input"]) =>
  issueCreditNote(database.db, { organizationId, invoiceId, actor, input });

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => "OK",
    (error: unknown) => (error instanceof AppError ? error.code : error instanceof ZodError ? "ZOD" : String(error)),
  );

async function balances(organizationId: string) {
  return Object.fromEntries((await getTrialBalance(database.db, organizationId)).map((row) => [row.code, row.balance]));
}

describe("credit notes", () => {
  it("reduces an open invoice's balance with the invoice's tax share, numbered CN-00001", async () => {
    const { organizationId, invoiceId } = await createOpenInvoice(database.db, { unitAmount: 10_000, taxRate: 8.25 });
    const creditNote = await issue(organizationId, invoiceId, { amount: 5_000, reason: "Courtesy discount for the wait" });
    expect(creditNote).toMatchObject({ number: "CN-00001", amount: 5_000, taxAmount: 381, disposition: "reduce_balance", status: "issued" });
    expect(await database.db.invoice.findUniqueOrThrow({ where: { id: invoiceId } })).toMatchObject({
      status: "open",
      amountCredited: 5_000,
      amountDue: 5_825,
    });
    expect(await getInvoiceReceivable(database.db, invoiceId)).toBe(5_825);
    const books = await balances(organizationId);
    expect(books).toMatchObject({ "1100": 5_825, "2100": -825 + 381, "4910": 4_619 });

    const rest = await issue(organizationId, invoiceId, { amount: 5_825, reason: "Waived the rest" });
    expect(rest.number).toBe("CN-00002");
    expect(await database.db.invoice.findUniqueOrThrow({ where: { id: invoiceId } })).toMatchObject({ status: "paid", amountDue: 0, amountCredited: 10_825 });
    expect((await listCreditNotes(database.db, { organizationId, invoiceId })).map((note) => note.number)).toEqual(["CN-00001", "CN-00002"]);
    expect(await database.db.auditEvent.count({ where: { organizationId, action: "credit_note.issued" } })).toBe(2);
  });

  it("voiding an invoice voids the credit notes that reduced its balance, and the books return to zero", async () => {
    const { organizationId, invoiceId } = await createOpenInvoice(database.db, { unitAmount: 10_000, taxRate: 8.25 });
    const creditNote = await issue(organizationId, invoiceId, { amount: 2_000, reason: "Courtesy discount" });
    const voided = await voidInvoice(database.db, { organizationId, invoiceId, actor, input: { reason: "Billed the wrong patient" } });
    expect(voided).toMatchObject({ status: "void", amountDue: 0 });
    expect(await database.db.creditNote.findUniqueOrThrow({ where: { id: creditNote.id } })).toMatchObject({ status: "void" });
    expect(await getInvoiceReceivable(database.db, invoiceId)).toBe(0);
    const books = await balances(organizationId);
    for (const code of ["1100", "2100", "4000", "4910"]) expect(books[code] ?? 0).toBe(0);
  });

  it("rounds the tax share half up with integer math", () => {
    expect(creditNoteTax(5_000, { taxTotal: 825, total: 10_825 })).toBe(381);
    expect(creditNoteTax(1, { taxTotal: 1, total: 2 })).toBe(1);
    expect(creditNoteTax(99_999_999, { taxTotal: 7_654_321, total: 99_999_999 })).toBe(7_654_321);
    expect(creditNoteTax(500, { taxTotal: 0, total: 500 })).toBe(0);
  });

  it("turns the paid part of a paid invoice into patient credit, never more than was paid and not yet credited", async () => {
    const paid = await createPaidInvoice(database.db, stripe.stripe, { unitAmount: 8_000 });
    patients.push(paid.patient);
    const { organizationId, invoiceId } = paid;
    const creditNote = await issue(organizationId, invoiceId, { amount: 3_000, reason: "Overcharged for the x-ray" });
    expect(creditNote.disposition).toBe("patient_credit");
    expect(await database.db.invoice.findUniqueOrThrow({ where: { id: invoiceId } })).toMatchObject({ status: "paid", amountCredited: 0, amountDue: 0 });
    const credit = await database.db.patientCreditBalance.findUniqueOrThrow({ where: { patientId_currency: { patientId: paid.patient.id, currency: "USD" } } });
    expect(credit.balance).toBe(3_000);
    const tooMuch = await issue(organizationId, invoiceId, { amount: 5_001, reason: "Everything" }).catch((error: AppError) => error);
    expect(tooMuch).toMatchObject({ code: "VALIDATION_FAILED", fields: { amount: ["Credit at most the $50.00 paid and not yet credited."] } });
    expect(await codeOf(issue(organizationId, invoiceId, { amount: 100, reason: "Wrong way", disposition: "reduce_balance" }))).toBe("CONFLICT");
  });

  it("on a partly paid invoice, can reduce the balance or credit the paid part", async () => {
    const open = await createOpenInvoice(database.db, { unitAmount: 10_000 });
    patients.push(open.patient);
    await payByCard(database.db, stripe.stripe, { organizationId: open.organizationId, invoiceId: open.invoiceId, amount: 4_000 });
    const reduce = await issue(open.organizationId, open.invoiceId, { amount: 1_000, reason: "Discount" });
    expect(reduce.disposition).toBe("reduce_balance");
    const credit = await issue(open.organizationId, open.invoiceId, { amount: 4_000, reason: "Paid part back as credit", disposition: "patient_credit" });
    expect(credit.disposition).toBe("patient_credit");
    expect(await database.db.invoice.findUniqueOrThrow({ where: { id: open.invoiceId } })).toMatchObject({
      status: "partially_paid",
      amountPaid: 4_000,
      amountCredited: 1_000,
      amountDue: 5_000,
    });
    const over = await issue(open.organizationId, open.invoiceId, { amount: 5_001, reason: "Too much" }).catch((error: AppError) => error);
    expect(over).toMatchObject({ code: "VALIDATION_FAILED", fields: { amount: ["Credit at most the $50.00 still owed."] } });
  });

  it("refuses bad input, drafts, void invoices and other organizations' invoices, writing nothing", async () => {
    const { organizationId, invoiceId, patient } = await createOpenInvoice(database.db);
    const other = await createTestOrganization(database.db);
    const before = [await database.db.creditNote.count(), await database.db.journalEntry.count()];
    expect(await codeOf(issue(organizationId, invoiceId, { amount: 0, reason: "Nothing" }))).toBe("ZOD");
    expect(await codeOf(issue(organizationId, invoiceId, { amount: 12.5, reason: "Fraction" }))).toBe("ZOD");
    expect(await codeOf(issue(organizationId, invoiceId, { amount: 100, reason: " " }))).toBe("ZOD");
    expect(await codeOf(issue(organizationId, invoiceId, { amount: 100, reason: "Refund", disposition: "refund" as "patient_credit" }))).toBe("ZOD");
    expect(await codeOf(issue(organizationId, invoiceId, { amount: 12_001, reason: "Too much" }))).toBe("VALIDATION_FAILED");
    expect(await codeOf(issue(organizationId, invoiceId, { amount: 100, reason: "Nothing paid", disposition: "patient_credit" }))).toBe("CONFLICT");
    expect(await codeOf(issue(other.organizationId, invoiceId, { amount: 100, reason: "Not ours" }))).toBe("NOT_FOUND");
    const draft = await createInvoice(database.db, {
      organizationId,
      actor,
      input: { patientId: patient.id, lines: [{ description: "Visit", quantity: 1, unitAmount: 500 }] },
    });
    expect(await codeOf(issue(organizationId, draft.id, { amount: 100, reason: "Draft" }))).toBe("CONFLICT");
    await voidInvoice(database.db, { organizationId, invoiceId, actor, input: { reason: "Entered twice" } });
    expect(await codeOf(issue(organizationId, invoiceId, { amount: 100, reason: "Void" }))).toBe("CONFLICT");
    expect([await database.db.creditNote.count(), (await database.db.journalEntry.count()) - 1]).toEqual(before);
  });

  it("concurrent credit notes are numbered CN-00001..N without gaps and never credit more than is owed", async () => {
    const { organizationId, invoiceId } = await createOpenInvoice(database.db, { unitAmount: 10_000 });
    const results = await Promise.allSettled(
      Array.from({ length: 15 }, (_, index) => issue(organizationId, invoiceId, { amount: 1_000, reason: `Adjustment ${index + 1}` })),
    );
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(10);
    const numbers = (await database.db.creditNote.findMany({ where: { organizationId }, select: { number: true } })).map((row) => row.number).sort();
    expect(numbers).toEqual(Array.from({ length: 10 }, (_, index) => `CN-${String(index + 1).padStart(5, "0")}`));
    expect(await database.db.invoice.findUniqueOrThrow({ where: { id: invoiceId } })).toMatchObject({ status: "paid", amountDue: 0, amountCredited: 10_000 });
  });
});
