import type Stripe from "stripe";
import { cancelUnneededAttemptsAfterCommit } from "@/lib/payments/cancel-unneeded-payment-attempts";
import type { Db, Tx } from "@/lib/db/client";
import type { CreditNote, CreditNoteDisposition, Invoice } from "@/lib/db/generated/client";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { AppError } from "@/lib/errors";
import { describeInvoiceState, lockInvoice } from "@/lib/invoices/lock-invoice";
import { changeInvoiceBalance } from "@/lib/invoices/change-invoice-balance";
import { nextNumber } from "@/lib/invoices/next-number";
import { postJournal } from "@/lib/ledger/post-journal";
import { formatMoney, multiplyDivideRoundHalfUp } from "@/lib/money/currency";
import { toCreditNoteView, ZIssueCreditNoteInput, type CreditNoteView, type TIssueCreditNoteInput } from "./credit-notes.types";

/** What can still be credited on an invoice, minor units. */
export type CreditableAmounts = {
  /** Still owed: a `reduce_balance` credit note may take up to this. */
  fromBalance: number;
  /** Paid and not yet given back (as patient credit or refund): a `patient_credit` credit note may take up to this. */
  fromPaid: number;
};

/** Invoice statuses a credit note may reduce (something is owed). */
const OWED_STATUSES = new Set(["open", "partially_paid"]);
/** Invoice statuses whose paid part may become patient credit. */
const PAID_STATUSES = new Set(["paid", "partially_paid"]);

/**
 * How much of an invoice can still be credited: its balance, and its paid part minus the credit
 * notes that already gave paid money back (patient credit or refunds). Read under the invoice's lock
 * when it decides a write.
 */
export async function getCreditableAmounts(db: Db | Tx, invoice: Pick<Invoice, "id" | "status" | "amountDue" | "amountPaid">): Promise<CreditableAmounts> {
  const givenBack = await db.creditNote.aggregate({
    where: { invoiceId: invoice.id, status: "issued", disposition: { in: ["patient_credit", "refund"] } },
    _sum: { amount: true },
  });
  return {
    fromBalance: OWED_STATUSES.has(invoice.status) ? invoice.amountDue : 0,
    fromPaid: Math.max(0, invoice.amountPaid - (givenBack._sum.amount ?? 0)),
  };
}

/** The invoice's sales tax share of `amount`, rounded half up (integer math). */
export function creditNoteTax(amount: number, invoice: Pick<Invoice, "taxTotal" | "total">): number {
  if (invoice.total <= 0 || invoice.taxTotal <= 0) return 0;
  return multiplyDivideRoundHalfUp(amount, invoice.taxTotal, invoice.total);
}

/**
 * Issues a credit note inside the caller's transaction, on an invoice the caller has locked
 * (lockInvoice). Numbers it CN-00001 from the organization's counter (gapless: a rolled-back
 * transaction gives the number back) and posts `credit_note.issued`: debit credit notes (amount −
 * tax) and sales tax payable (tax); credit accounts receivable for `reduce_balance` (and lowers
 * the invoice's amount due, paid when it reaches zero) or the patient's credit for
 * `patient_credit` and `refund`. Limits: `reduce_balance` ≤ amount due; the others ≤ the paid part
 * not yet given back.
 */
export async function issueCreditNoteInTransaction(
  tx: Tx,
  options: {
    invoice: Invoice;
    amount: number;
    reason: string;
    disposition: CreditNoteDisposition;
    actor: AuditActor;
    now?: Date;
    /** The secondary payer's claim payment it stands for (post-secondary-payment.ts). */
    remittanceClaimId?: string;
  },
): Promise<CreditNote> {
  const { invoice, amount, disposition } = options;
  const money = (value: number) => formatMoney(value, invoice.currency);
  const creditable = await getCreditableAmounts(tx, invoice);
  if (disposition === "reduce_balance") {
    if (!OWED_STATUSES.has(invoice.status)) throw new AppError("CONFLICT", `${describeInvoiceState(invoice)}, so a credit note cannot reduce its balance.`);
    if (amount > creditable.fromBalance) {
      throw new AppError("VALIDATION_FAILED", "That amount cannot be credited.", {
        fields: { amount: [`Credit at most the ${money(creditable.fromBalance)} still owed.`] },
      });
    }
  } else {
    // Refunds may credit any invoice that was paid (even one later written off); staff credit paid invoices.
    const allowed = disposition === "refund" ? invoice.status !== "draft" && invoice.status !== "void" : PAID_STATUSES.has(invoice.status);
    if (!allowed) throw new AppError("CONFLICT", `${describeInvoiceState(invoice)}, so its payments cannot be turned into patient credit.`);
    if (creditable.fromPaid <= 0) throw new AppError("CONFLICT", `Nothing paid on ${invoice.number} is left to credit.`);
    if (amount > creditable.fromPaid) {
      throw new AppError("VALIDATION_FAILED", "That amount cannot be credited.", {
        fields: { amount: [`Credit at most the ${money(creditable.fromPaid)} paid and not yet credited.`] },
      });
    }
  }
  const taxAmount = creditNoteTax(amount, invoice);
  const number = await nextNumber(tx, { organizationId: invoice.organizationId, counter: "credit_note", prefix: "CN" });
  const creditNote = await tx.creditNote.create({
    data: {
      organizationId: invoice.organizationId,
      invoiceId: invoice.id,
      patientId: invoice.patientId,
      number,
      currency: invoice.currency,
      amount,
      taxAmount,
      disposition,
      reason: options.reason,
      createdById: options.actor.userId,
      remittanceClaimId: options.remittanceClaimId ?? null,
    },
  });
  await postJournal(tx, {
    organizationId: invoice.organizationId,
    currency: invoice.currency,
    kind: "credit_note.issued",
    memo: `Credit note ${number} for ${invoice.number}`,
    source: { type: "credit_note", id: creditNote.id },
    occurredAt: options.now,
    lines: [
      { account: "creditNotes", amount: amount - taxAmount },
      { account: "salesTaxPayable", amount: taxAmount },
      disposition === "reduce_balance"
        ? { account: "accountsReceivable", amount: -amount, invoiceId: invoice.id }
        : { account: "patientCredit", amount: -amount, patientId: invoice.patientId },
    ],
  });
  if (disposition === "reduce_balance") {
    await changeInvoiceBalance(tx, invoice, { kind: "credit", amount });
  }
  await recordAuditEvent(tx, {
    organizationId: invoice.organizationId,
    actor: options.actor,
    action: "credit_note.issued",
    target: { type: "credit_note", id: creditNote.id },
    after: { number, invoiceId: invoice.id, amount, taxAmount, disposition },
  });
  return creditNote;
}

/**
 * Issues a credit note on one of the organization's finalized invoices (see
 * issueCreditNoteInTransaction for the rules and the journal). Without a disposition: reduce the
 * balance while something is owed, otherwise patient credit. `now` dates the journal (the current
 * time by default).
 */
export async function issueCreditNote(
  db: Db,
  options: { organizationId: string; invoiceId: string; actor: AuditActor; input: TIssueCreditNoteInput; stripe?: Stripe; now?: Date },
): Promise<CreditNoteView> {
  const input = ZIssueCreditNoteInput.parse(options.input);
  const result = await db.$transaction(async (tx) => {
    const invoice = await lockInvoice(tx, { id: options.invoiceId, organizationId: options.organizationId });
    const disposition = input.disposition ?? (OWED_STATUSES.has(invoice.status) && invoice.amountDue > 0 ? "reduce_balance" : "patient_credit");
    const creditNote = await issueCreditNoteInTransaction(tx, {
      invoice,
      amount: input.amount,
      reason: input.reason,
      disposition,
      actor: options.actor,
      now: options.now,
    });
    return toCreditNoteView(creditNote);
  });
  // Committed: card attempts this change made unwanted are canceled at Stripe now.
  await cancelUnneededAttemptsAfterCommit(db, { organizationId: options.organizationId, invoiceIds: [options.invoiceId], stripe: options.stripe });
  return result;
}
