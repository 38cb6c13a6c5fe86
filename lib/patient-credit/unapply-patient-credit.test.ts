import { describe, expect, it } from "vitest";
import { issueCreditNote } from "@/lib/credit-notes/issue-credit-note";
import { toAppError } from "@/lib/http/error-response";
import { createInvoice } from "@/lib/invoices/create-invoice";
import { finalizeInvoice } from "@/lib/invoices/finalize-invoice";
import { markInvoiceUncollectible } from "@/lib/invoices/mark-invoice-uncollectible";
import { voidInvoice } from "@/lib/invoices/void-invoice";
import { checkLedger } from "@/lib/ledger/balances";
import { postJournal } from "@/lib/ledger/post-journal";
import { createTestOrganization, createTestPatient, testActor } from "@/tests/factories";
import { setupTestDatabase } from "@/tests/test-database";
import { applyPatientCredit } from "./apply-patient-credit";
import { getPatientCredit } from "./credit-balances";
import { listCreditApplications } from "./list-credit-applications";
import { unapplyPatientCredit } from "./unapply-patient-credit";

const database = setupTestDatabase();
const actor = testActor();
const CLEAN_LEDGER = { unbalancedCurrencies: [], invoiceMismatches: [], patientCreditMismatches: [], allocationMismatches: [], claimMismatches: [] };

/** A clinic, a patient with `credit` of front-desk money kept as credit, and an open invoice of `total`. */
async function clinicWithCreditAndInvoice(credit: number, total: number) {
  const org = await createTestOrganization(database.db);
  const patient = await createTestPatient(database.db, { organizationId: org.organizationId, firstName: "Ada" });
  const { organizationId } = org;
  await database.db.$transaction((tx) =>
    postJournal(tx, {
      organizationId,
      currency: "USD",
      kind: "test.credit_received",
      memo: "Cash kept as credit",
      source: { type: "patient", id: patient.id },
      lines: [
        { account: "cash", amount: credit },
        { account: "patientCredit", amount: -credit, patientId: patient.id },
      ],
    }),
  );
  const draft = await createInvoice(database.db, {
    organizationId,
    actor,
    input: { patientId: patient.id, currency: "USD", lines: [{ description: "Visit", quantity: 1, unitAmount: total }] },
  });
  const invoice = await finalizeInvoice(database.db, { organizationId, invoiceId: draft.id, actor });
  return { organizationId, patientId: patient.id, invoice, otherOrganizationId: (await createTestOrganization(database.db)).organizationId };
}

const apply = (organizationId: string, invoiceId: string, amount: number) =>
  applyPatientCredit(database.db, { organizationId, invoiceId, actor, input: { amount } });
const unapply = (organizationId: string, creditApplicationId: string) => unapplyPatientCredit(database.db, { organizationId, creditApplicationId, actor });
const creditOf = async (organizationId: string, patientId: string) =>
  (await getPatientCredit(database.db, { organizationId, patientId })).find((row) => row.currency === "USD")?.balance ?? 0;

async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    const appError = toAppError(error);
    return { code: appError.code, message: appError.message };
  }
  throw new Error("expected the operation to fail");
}

async function journalLines(organizationId: string, sourceId: string) {
  const lines = await database.db.journalLine.findMany({
    where: { organizationId, journalEntry: { sourceId } },
    select: { amount: true, invoiceId: true, patientId: true, account: { select: { code: true } }, journalEntry: { select: { kind: true } } },
  });
  return lines.map((line) => [line.journalEntry.kind, line.account.code, line.amount, line.invoiceId, line.patientId]).sort();
}

describe("taking applied patient credit back off an invoice", () => {
  it("reverses the application's journal exactly: the invoice owes it again, the patient has it back, audited and listed", async () => {
    const { organizationId, patientId, invoice } = await clinicWithCreditAndInvoice(15_000, 10_000);
    const first = await apply(organizationId, invoice.id, 6_000);
    const second = await apply(organizationId, invoice.id, 4_000);
    expect(second.invoice).toMatchObject({ status: "paid", amountDue: 0 });
    expect(await creditOf(organizationId, patientId)).toBe(5_000);

    const result = await unapply(organizationId, first.application.id);
    expect(result).toMatchObject({ unapplied: 6_000, creditBalance: 11_000, invoice: { status: "partially_paid", amountPaid: 4_000, amountDue: 6_000 } });
    expect(await creditOf(organizationId, patientId)).toBe(11_000);
    expect(await journalLines(organizationId, first.application.id)).toEqual(
      [
        ["credit.applied", "1100", -6_000, invoice.id, null],
        ["credit.applied", "2200", 6_000, null, patientId],
        ["credit.unapplied", "1100", 6_000, invoice.id, null],
        ["credit.unapplied", "2200", -6_000, null, patientId],
      ].sort(),
    );
    const audit = await database.db.auditEvent.findFirstOrThrow({ where: { organizationId, action: "patient_credit.unapplied" } });
    expect(audit.after).toMatchObject({ unapplied: 6_000, credit: 11_000, amountDue: 6_000, creditApplicationId: first.application.id });
    const listed = await listCreditApplications(database.db, { organizationId, invoiceId: invoice.id });
    expect(listed.map((row) => [row.amount, row.unappliedAt !== null])).toEqual([
      [6_000, true],
      [4_000, false],
    ]);
    // The second one too: the invoice is open again with nothing paid.
    expect((await unapply(organizationId, second.application.id)).invoice).toMatchObject({ status: "open", amountPaid: 0, amountDue: 10_000 });
    expect(await creditOf(organizationId, patientId)).toBe(15_000);
    expect(await checkLedger(database.db)).toEqual(CLEAN_LEDGER);
  });

  it("refuses in words: what is not applied any more, a void or written-off invoice, paid money credit notes gave back, another clinic's", async () => {
    const { organizationId, patientId, invoice, otherOrganizationId } = await clinicWithCreditAndInvoice(30_000, 10_000);
    const applied = await apply(organizationId, invoice.id, 3_000);
    expect(await failure(unapply(otherOrganizationId, applied.application.id))).toEqual({ code: "NOT_FOUND", message: "Credit application not found." });
    await unapply(organizationId, applied.application.id);
    expect(await failure(unapply(organizationId, applied.application.id))).toEqual({
      code: "CONFLICT",
      message: `This $30.00 of credit is not applied to ${invoice.number} any more; there is nothing to take back.`,
    });
    await voidInvoice(database.db, { organizationId, invoiceId: invoice.id, actor, input: { reason: "Billed twice" } });
    expect(await failure(unapply(organizationId, applied.application.id))).toEqual({
      code: "CONFLICT",
      message: `Invoice ${invoice.number} has been voided, so no credit is applied to it any more.`,
    });

    const written = await clinicWithCreditAndInvoice(30_000, 10_000);
    const part = await apply(written.organizationId, written.invoice.id, 2_000);
    await markInvoiceUncollectible(database.db, {
      organizationId: written.organizationId,
      invoiceId: written.invoice.id,
      actor,
      input: { reason: "Moved away" },
    });
    expect(await failure(unapply(written.organizationId, part.application.id))).toEqual({
      code: "CONFLICT",
      message: `Invoice ${written.invoice.number} has been written off, so credit cannot be taken back off it; reopen it first.`,
    });

    const credited = await clinicWithCreditAndInvoice(30_000, 10_000);
    const whole = await apply(credited.organizationId, credited.invoice.id, 10_000);
    await issueCreditNote(database.db, {
      organizationId: credited.organizationId,
      invoiceId: credited.invoice.id,
      actor,
      input: { amount: 10_000, reason: "Visit not needed", disposition: "patient_credit" },
    });
    expect(await failure(unapply(credited.organizationId, whole.application.id))).toEqual({
      code: "CONFLICT",
      message: `Credit notes on ${credited.invoice.number} gave back its paid money already; only $0.00 paid is left on it, less than the $100.00 of credit.`,
    });
    expect(await creditOf(credited.organizationId, credited.patientId)).toBe(30_000);
    expect(await creditOf(organizationId, patientId)).toBe(30_000);
    expect(await checkLedger(database.db)).toEqual(CLEAN_LEDGER);
  });

  it("two staff taking the same credit back at once: one does, the other is refused, the credit given back once", async () => {
    const { organizationId, patientId, invoice } = await clinicWithCreditAndInvoice(10_000, 10_000);
    const applied = await apply(organizationId, invoice.id, 10_000);
    const outcomes = await Promise.allSettled([unapply(organizationId, applied.application.id), unapply(organizationId, applied.application.id)]);
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(["fulfilled", "rejected"]);
    const rejected = outcomes.find((outcome) => outcome.status === "rejected") as PromiseRejectedResult;
    expect(toAppError(rejected.reason).message).toMatch(/is not applied to .* any more/);
    expect(await creditOf(organizationId, patientId)).toBe(10_000);
    expect(await database.db.invoice.findUniqueOrThrow({ where: { id: invoice.id }, select: { amountDue: true } })).toEqual({ amountDue: 10_000 });
    expect(await checkLedger(database.db)).toEqual(CLEAN_LEDGER);
  });
});
