import type Stripe from "stripe";
import type { Db, Tx } from "@/lib/db/client";
import type { InvoiceWithLines } from "@/lib/invoices/invoice-rows";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { getCreditableAmounts } from "@/lib/credit-notes/issue-credit-note";
import { AppError } from "@/lib/errors";
import { changeInvoiceBalance } from "@/lib/invoices/change-invoice-balance";
import type { InvoiceView } from "@/lib/invoices/invoices.types";
import { describeInvoiceState, lockInvoice } from "@/lib/invoices/lock-invoice";
import { toInvoiceView } from "@/lib/invoices/to-invoice-view";
import { reverseJournal } from "@/lib/ledger/post-journal";
import { formatMoney } from "@/lib/money/currency";
import { lockPatientCredit } from "./credit-balances";

export type UnapplyPatientCreditResult = {
  invoice: InvoiceView;
  /** What was taken back off the invoice, minor units. */
  unapplied: number;
  /** The patient's credit in the invoice's currency afterwards. */
  creditBalance: number;
};

/**
 * Takes an applied credit back off its invoice (staff, from the invoice page): locks the invoice,
 * then the patient's credit (the order of lib/db/locks.ts), and in one transaction posts the exact
 * opposite of the application's `credit.applied` journal (`credit.unapplied`: Dr accounts
 * receivable for the invoice / Cr patient credit), so the invoice owes the amount again and the
 * patient has it back as credit; audit `patient_credit.unapplied`. Refused in words for a void or
 * written-off invoice, for an application already taken back, and when credit notes gave the
 * invoice's paid money back already (it would be given twice).
 */
export async function unapplyPatientCredit(
  db: Db,
  options: { organizationId: string; creditApplicationId: string; actor: AuditActor; stripe?: Stripe; now?: Date },
): Promise<UnapplyPatientCreditResult> {
  const { organizationId } = options;
  const application = await db.creditApplication.findFirst({
    where: { id: options.creditApplicationId, organizationId },
    select: { invoiceId: true },
  });
  if (!application) throw new AppError("NOT_FOUND", "Credit application not found.");
  return db.$transaction(async (tx) => {
    const invoice = await lockInvoice(tx, { id: application.invoiceId, organizationId });
    const result = await unapplyCreditInTransaction(tx, {
      organizationId,
      invoice,
      creditApplicationId: options.creditApplicationId,
      actor: options.actor,
      reason: "Taken back off the invoice by staff.",
      now: options.now ?? new Date(),
    });
    const organization = await tx.organization.findUniqueOrThrow({ where: { id: organizationId }, select: { timezone: true } });
    return { invoice: toInvoiceView(result.invoice, organization.timezone), unapplied: result.unapplied, creditBalance: result.creditBalance };
  });
}

/**
 * The same, inside the caller's transaction, on an invoice the caller locked (lockInvoice) and read
 * after locking. Used by unapplyPatientCredit and by remittance posting, which takes the credit back
 * off a patient-share invoice before voiding it when the payer reverses its payment. Returns the
 * invoice with its new balance.
 */
export async function unapplyCreditInTransaction(
  tx: Tx,
  options: {
    organizationId: string;
    invoice: InvoiceWithLines;
    creditApplicationId: string;
    actor: AuditActor;
    reason: string;
    now: Date;
  },
): Promise<{ invoice: InvoiceWithLines; unapplied: number; creditBalance: number }> {
  const { organizationId, invoice } = options;
  const money = (cents: number) => formatMoney(cents, invoice.currency);
  const application = await tx.creditApplication.findFirst({
    where: { id: options.creditApplicationId, organizationId, invoiceId: invoice.id },
    select: { id: true, amount: true, patientId: true, currency: true },
  });
  if (!application) throw new AppError("NOT_FOUND", "Credit application not found.");
  if (invoice.status === "void") throw new AppError("CONFLICT", `${describeInvoiceState(invoice)}, so no credit is applied to it any more.`);
  const journal = await tx.journalEntry.findFirst({
    where: { organizationId, sourceType: "credit_application", sourceId: application.id, kind: "credit.applied" },
    select: { id: true, reversedBy: { select: { id: true } } },
  });
  if (!journal || journal.reversedBy) {
    throw new AppError("CONFLICT", `This ${money(application.amount)} of credit is not applied to ${invoice.number} any more; there is nothing to take back.`);
  }
  if (invoice.status !== "paid" && invoice.status !== "partially_paid") {
    throw new AppError(
      "CONFLICT",
      `${describeInvoiceState(invoice)}, so credit cannot be taken back off it${invoice.status === "uncollectible" ? "; reopen it first" : ""}.`,
    );
  }
  const { fromPaid } = await getCreditableAmounts(tx, invoice);
  if (application.amount > fromPaid) {
    throw new AppError(
      "CONFLICT",
      `Credit notes on ${invoice.number} gave back its paid money already; only ${money(fromPaid)} paid is left on it, less than the ${money(application.amount)} of credit.`,
    );
  }
  const before = await lockPatientCredit(tx, { organizationId, patientId: application.patientId, currency: application.currency });
  await reverseJournal(tx, {
    journalEntryId: journal.id,
    kind: "credit.unapplied",
    memo: `Patient credit taken back off ${invoice.number}: ${options.reason}`,
    occurredAt: options.now,
  });
  const updated = { ...invoice, ...(await changeInvoiceBalance(tx, invoice, { kind: "unpay", amount: application.amount })) };
  const creditBalance = before + application.amount;
  await recordAuditEvent(tx, {
    organizationId,
    actor: options.actor,
    action: "patient_credit.unapplied",
    target: { type: "invoice", id: invoice.id },
    before: { status: invoice.status, amountDue: invoice.amountDue, credit: before },
    after: {
      status: updated.status,
      amountDue: updated.amountDue,
      credit: creditBalance,
      unapplied: application.amount,
      creditApplicationId: application.id,
      reason: options.reason,
    },
  });
  return { invoice: updated, unapplied: application.amount, creditBalance };
}

/** The ids of an invoice's credit applications still applied (their `credit.applied` journal not reversed), oldest first, with their amounts. */
export async function listStandingCreditApplications(
  tx: Db | Tx,
  options: { organizationId: string; invoiceId: string },
): Promise<{ id: string; amount: number }[]> {
  const applications = await tx.creditApplication.findMany({
    where: { organizationId: options.organizationId, invoiceId: options.invoiceId },
    orderBy: { createdAt: "asc" },
    select: { id: true, amount: true },
  });
  if (applications.length === 0) return [];
  const taken = await tx.journalEntry.findMany({
    where: {
      organizationId: options.organizationId,
      sourceType: "credit_application",
      sourceId: { in: applications.map((row) => row.id) },
      kind: "credit.unapplied",
    },
    select: { sourceId: true },
  });
  const takenBack = new Set(taken.map((row) => row.sourceId));
  return applications.filter((row) => !takenBack.has(row.id));
}
