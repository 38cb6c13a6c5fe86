import type Stripe from "stripe";
import { cancelUnneededAttemptsAfterCommit } from "@/lib/payments/cancel-unneeded-payment-attempts";
import { randomUUID } from "node:crypto";
import type { Db, Tx } from "@/lib/db/client";
import { sql, sqlOf, type Sql } from "@/lib/db/sql";
import type { Invoice, InvoiceLine } from "@/lib/db/generated/client";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { AppError } from "@/lib/errors";
import type { InvoiceView } from "@/lib/invoices/invoices.types";
import { assertStatus, lockInvoice } from "@/lib/invoices/lock-invoice";
import { changeInvoiceBalance } from "@/lib/invoices/change-invoice-balance";
import { toInvoiceView } from "@/lib/invoices/to-invoice-view";
import { postJournal } from "@/lib/ledger/post-journal";
import { assertCreditCovers, lockPatientCredit } from "@/lib/patient-credit/credit-balances";
import { formatMoney } from "@/lib/money/currency";
import { ZApplyPatientCreditInput, toCreditApplicationView, type CreditApplicationView, type TApplyPatientCreditInput } from "./patient-credit.types";

export type ApplyPatientCreditResult = {
  application: CreditApplicationView;
  invoice: InvoiceView;
  /** What is left of the patient's credit in the invoice's currency. */
  creditRemaining: number;
};

type AppliedInTransaction = {
  application: CreditApplicationView;
  invoice: Invoice & { lines: InvoiceLine[] };
  creditRemaining: number;
};

/**
 * Pays (part of) an open or partly paid invoice from its patient's credit balance in the
 * invoice's currency, in one transaction: locks the invoice, then the credit balance (so
 * concurrent applications queue and can never spend the same credit twice or pay an invoice
 * beyond what it owes), records the application, posts "credit.applied" (debit patient credit
 * for the patient, credit accounts receivable for the invoice), moves the amount from due to
 * paid and writes the audit event. Without an amount it applies min(credit, amount due).
 */
export async function applyPatientCredit(
  db: Db,
  options: { organizationId: string; invoiceId: string; actor: AuditActor; input: TApplyPatientCreditInput; patientId?: string; stripe?: Stripe },
): Promise<ApplyPatientCreditResult> {
  const { amount } = ZApplyPatientCreditInput.parse(options.input);
  const result = await db.$transaction(async (tx) => {
    const invoice = await lockInvoice(tx, { id: options.invoiceId, organizationId: options.organizationId });
    if (options.patientId !== undefined && invoice.patientId !== options.patientId) {
      throw new AppError("CONFLICT", `${invoice.number ?? "This invoice"} is billed to another patient; credit can only pay the same patient's invoices.`);
    }
    assertStatus(invoice, ["open", "partially_paid"], "paid from credit");
    const balance = await lockPatientCredit(tx, { organizationId: options.organizationId, patientId: invoice.patientId, currency: invoice.currency });
    if (balance <= 0) throw new AppError("CONFLICT", `The patient has no credit in ${invoice.currency} to apply to ${invoice.number}.`);
    const applied = await applyLockedCredit(tx, { organizationId: options.organizationId, actor: options.actor, invoice, balance, amount, automatic: false });
    const organization = await tx.organization.findUniqueOrThrow({ where: { id: options.organizationId }, select: { timezone: true } });
    return { application: applied.application, invoice: toInvoiceView(applied.invoice, organization.timezone), creditRemaining: applied.creditRemaining };
  });
  // Committed: card attempts this change made unwanted are canceled at Stripe now.
  await cancelUnneededAttemptsAfterCommit(db, { organizationId: options.organizationId, invoiceIds: [options.invoiceId], stripe: options.stripe });
  return result;
}

/**
 * Inside an invoice's finalize transaction (a pgTransaction), once the organization's setting says
 * to: pays what it can of the just-finalized invoice (locked, as finalize holds it) from the
 * patient's credit, which finalize locked before the invoice counter (the order of
 * lib/db/locks.ts) and read as `creditBalance`. Returns the updated invoice, or null when there is
 * nothing to apply.
 */
export async function autoApplyPatientCredit(
  tx: Tx | Sql,
  options: { organizationId: string; invoice: Invoice & { lines: InvoiceLine[] }; creditBalance: number; actor: AuditActor },
): Promise<(Invoice & { lines: InvoiceLine[] }) | null> {
  const { invoice, creditBalance } = options;
  if (invoice.status !== "open" && invoice.status !== "partially_paid") return null;
  if (invoice.amountDue <= 0 || creditBalance <= 0) return null;
  const applied = await applyLockedCredit(tx, {
    organizationId: options.organizationId,
    actor: options.actor,
    invoice,
    balance: creditBalance,
    automatic: true,
  });
  return applied.invoice;
}

/** Pays `amount` (default: all it can) of a locked invoice from the patient's locked credit `balance`: the checks, the application, its journal, the balance change and the audit event. */
async function applyLockedCredit(
  tx: Tx | Sql,
  options: { organizationId: string; actor: AuditActor; invoice: Invoice & { lines: InvoiceLine[] }; balance: number; amount?: number; automatic: boolean },
): Promise<AppliedInTransaction> {
  const { invoice, balance } = options;
  const { currency } = invoice;

  const amount = options.amount ?? Math.min(balance, invoice.amountDue);
  if (amount > balance) {
    const limit = `The patient has ${formatMoney(balance, currency)} credit; apply at most ${formatMoney(Math.min(balance, invoice.amountDue), currency)}.`;
    throw new AppError("VALIDATION_FAILED", limit, { fields: { amount: [limit] } });
  }
  if (amount > invoice.amountDue) {
    const limit = `${invoice.number} has ${formatMoney(invoice.amountDue, currency)} due; apply at most ${formatMoney(Math.min(balance, invoice.amountDue), currency)}.`;
    throw new AppError("VALIDATION_FAILED", limit, { fields: { amount: [limit] } });
  }
  if (amount <= 0) throw new AppError("VALIDATION_FAILED", "Enter an amount above zero.", { fields: { amount: ["Enter an amount above zero."] } });
  assertCreditCovers(balance, amount, currency);

  const application = {
    id: randomUUID(),
    invoiceId: invoice.id,
    patientId: invoice.patientId,
    currency,
    amount,
    automatic: options.automatic,
    createdAt: new Date(),
  };
  await sqlOf(tx).write(sql`
    INSERT INTO credit_applications (id, organization_id, patient_id, invoice_id, currency, amount, automatic, created_by_id, created_at)
    VALUES (${application.id}::uuid, ${options.organizationId}::uuid, ${invoice.patientId}::uuid, ${invoice.id}::uuid, ${currency}, ${amount}::int,
            ${options.automatic}::boolean, ${options.actor.userId}::uuid, ${application.createdAt}::timestamptz)`);
  await postJournal(tx, {
    organizationId: options.organizationId,
    currency,
    kind: "credit.applied",
    memo: `Patient credit applied to ${invoice.number}${options.automatic ? " (automatic)" : ""}`,
    source: { type: "credit_application", id: application.id },
    lines: [
      { account: "patientCredit", amount, patientId: invoice.patientId },
      { account: "accountsReceivable", amount: -amount, invoiceId: invoice.id },
    ],
  });
  const updated = { ...invoice, ...(await changeInvoiceBalance(tx, invoice, { kind: "pay", amount })) };
  const { amountDue } = updated;
  await recordAuditEvent(tx, {
    organizationId: options.organizationId,
    actor: options.actor,
    action: "patient_credit.applied",
    target: { type: "invoice", id: invoice.id },
    before: { status: invoice.status, amountDue: invoice.amountDue, credit: balance },
    after: { status: updated.status, amountDue, credit: balance - amount, applied: amount, automatic: options.automatic, creditApplicationId: application.id },
  });
  return { application: toCreditApplicationView(application), invoice: updated, creditRemaining: balance - amount };
}
