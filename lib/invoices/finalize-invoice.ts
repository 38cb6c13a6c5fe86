import type { Db } from "@/lib/db/client";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { AppError } from "@/lib/errors";
import { pgTransaction, type Sql } from "@/lib/db/sql";
import { ensureChartOfAccounts } from "@/lib/ledger/accounts";
import { postJournal } from "@/lib/ledger/post-journal";
import { autoApplyPatientCredit } from "@/lib/patient-credit/apply-patient-credit";
import { addDays, todayIn, toIsoDate } from "./dates";
import { computeDraftTotals, storedContent } from "./draft-content";
import type { InvoiceView } from "./invoices.types";
import { lockInvoiceForFinalize, lockPatientCredit } from "@/lib/db/locks";
import type { InvoiceWithLines } from "./invoice-rows";
import { assertStatus } from "./lock-invoice";
import { changeInvoiceBalance } from "./change-invoice-balance";
import { nextNumber } from "./next-number";
import { toInvoiceView } from "./to-invoice-view";

const TERM_DAYS = { due_on_receipt: 0, net_15: 15, net_30: 30 } as const;

type FinalizeOptions = {
  organizationId: string;
  invoiceId: string;
  actor: AuditActor;
  now?: Date;
  /**
   * This finalize retries one that may have committed before its caller heard the answer (an
   * Idempotency-Key whose first request died): an invoice already finalized is then the answer,
   * not a conflict.
   */
  resumed?: boolean;
  /**
   * The invoice bills the patient's share of this claim (lib/remittances): its total moves from the
   * insurance receivable of the claim to the patient's (credit arInsurance, not revenue: it was
   * revenue when the claim was charged). Such invoices have no tax or discount.
   */
  patientShareOfClaimId?: string;
};
type FinalizeOutcome = { invoice: InvoiceWithLines; timezone: string };

/**
 * Turns a draft into an open invoice, in one transaction: recomputes the totals, takes the next
 * number from the organization's counter (gapless and unique, INV-00001), sets the due date from
 * the terms, and posts the journal: debit accounts receivable (total), credit revenue
 * (subtotal), debit discounts (contra-revenue), credit sales tax payable. An invoice whose total
 * is zero is finalized straight to paid and posts nothing. When the clinic turned automatic
 * credit on, or the invoice is a patient's share of a claim, the patient's credit then pays what
 * it can, in the same transaction.
 *
 * It runs on a plain `pg` connection (pgTransaction, as the webhook does), credit or not: one path.
 */
export async function finalizeInvoice(db: Db, options: FinalizeOptions): Promise<InvoiceView> {
  const outcome = await pgTransaction(db, (runner) => finalizeInvoiceIn(runner, options));
  return toInvoiceView(outcome.invoice, outcome.timezone);
}

/**
 * The finalize itself, in the caller's `pg` transaction (finalizeInvoice's own, or the autopay
 * engine's that writes a membership period with its invoice). The counter's row lock serializes every finalize of the organization until
 * COMMIT, so the number is taken last: everything is read first (the lock, then one read), and the writes
 * that need the number (the invoice, its journal, the audit event) are sent as one statement. With
 * 32 concurrent finalizes the lock had been the bottleneck (bench/README.md).
 */
export async function finalizeInvoiceIn(runner: Sql, options: FinalizeOptions): Promise<FinalizeOutcome> {
  const { invoice, timezone, autoApplyCredit, patientCredit } = await lockInvoiceForFinalize(runner, {
    id: options.invoiceId,
    organizationId: options.organizationId,
  });
  if (options.resumed && invoice.status !== "draft") return { invoice, timezone };
  assertStatus(invoice, ["draft"], "finalized");
  if (invoice.lines.length === 0) {
    throw new AppError("VALIDATION_FAILED", "Add at least one line before finalizing.", { fields: { lines: ["Add at least one line."] } });
  }
  const totals = computeDraftTotals(storedContent(invoice));
  if (totals.total !== invoice.total) throw new Error(`invoice ${invoice.id}: stored total ${invoice.total} differs from recomputed ${totals.total}`);
  const shareOf = options.patientShareOfClaimId;
  if (shareOf && (totals.discountTotal !== 0 || totals.taxTotal !== 0)) throw new Error(`invoice ${invoice.id}: a patient's share has no tax or discount`);
  // A patient's share of a claim is settled against their credit (a prepayment collected at check-in) whatever the clinic's setting.
  const applyCredit = (autoApplyCredit || shareOf !== undefined) && totals.total > 0 && patientCredit > 0;
  // The patient's credit is locked before the organization's counter (the order of lib/db/locks.ts).
  const creditBalance = applyCredit
    ? await lockPatientCredit(runner, { organizationId: options.organizationId, patientId: invoice.patientId, currency: invoice.currency })
    : 0;

  const now = options.now ?? new Date();
  const today = todayIn(timezone, now);
  const dueDate = invoice.terms === "custom" ? toIsoDate(invoice.dueDate)! : addDays(today, TERM_DAYS[invoice.terms]);
  await ensureChartOfAccounts(runner, options.organizationId); // usually cached: no round trip

  const number = await nextNumber(runner, { organizationId: options.organizationId, counter: "invoice", prefix: "INV" });
  const changed = await changeInvoiceBalance(runner, invoice, { kind: "finalize", number, dueDate, finalizedAt: now });
  await postJournal(runner, {
    organizationId: options.organizationId,
    currency: invoice.currency,
    kind: "invoice.finalized",
    memo: `Invoice ${number}`,
    source: { type: "invoice", id: invoice.id },
    occurredAt: now,
    lines: [
      { account: "accountsReceivable", amount: totals.total, invoiceId: invoice.id },
      shareOf ? { account: "arInsurance", amount: -totals.subtotal, claimId: shareOf } : { account: "revenue", amount: -totals.subtotal },
      { account: "discounts", amount: totals.discountTotal },
      { account: "salesTaxPayable", amount: -totals.taxTotal },
    ],
  });
  await recordAuditEvent(runner, {
    organizationId: options.organizationId,
    actor: options.actor,
    action: "invoice.finalized",
    target: { type: "invoice", id: invoice.id },
    after: { number, total: totals.total, dueDate, ...(shareOf ? { patientShareOfClaimId: shareOf } : {}) },
  });
  // The locked row plus these changes is the finalized invoice: no read after the write.
  const finalized = { ...invoice, ...changed };
  if (creditBalance <= 0) return { invoice: finalized, timezone };
  const credited = await autoApplyPatientCredit(runner, { organizationId: options.organizationId, invoice: finalized, creditBalance, actor: options.actor });
  return { invoice: credited ?? finalized, timezone };
}
