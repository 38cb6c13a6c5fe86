import type { Db } from "@/lib/db/client";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { AppError } from "@/lib/errors";
import { pgTransaction, withBatchedWrites, type Sql } from "@/lib/db/sql";
import { ensureChartOfAccounts } from "@/lib/ledger/accounts";
import { postJournal } from "@/lib/ledger/post-journal";
import { autoApplyPatientCredit } from "@/lib/patient-credit/apply-patient-credit";
import { addDays, todayIn, toIsoDate } from "./dates";
import { computeDraftTotals, storedContent } from "./draft-content";
import type { InvoiceView } from "./invoices.types";
import { lockInvoiceForFinalize } from "@/lib/db/locks";
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
};
type FinalizeOutcome = { kind: "finalized"; invoice: InvoiceWithLines; timezone: string; applyCredit: boolean } | { kind: "credit-applies" };

/**
 * Turns a draft into an open invoice, in one transaction: recomputes the totals, takes the next
 * number from the organization's counter (gapless and unique, INV-00001), sets the due date from
 * the terms, and posts the journal: debit accounts receivable (total), credit revenue
 * (subtotal), debit discounts (contra-revenue), credit sales tax payable. An invoice whose total
 * is zero is finalized straight to paid and posts nothing. When the clinic turned automatic
 * credit on, the patient's credit then pays what it can, in the same transaction.
 *
 * Most finalizes apply no credit: they run on a plain `pg` connection (pgTransaction, as the
 * webhook does), six round trips. The credit code is written for Prisma, so a finalize that
 * finds credit to apply gives up its (write-free) attempt and runs whole in a Prisma transaction.
 */
export async function finalizeInvoice(db: Db, options: FinalizeOptions): Promise<InvoiceView> {
  const outcome = await pgTransaction(db, (sql) => finalizeIn(sql, options, { creditAllowed: false }));
  if (outcome.kind === "finalized") return toInvoiceView(outcome.invoice, outcome.timezone);
  return db.$transaction(async (tx) => {
    const result = await withBatchedWrites(tx, (sql) => finalizeIn(sql, options, { creditAllowed: true }));
    if (result.kind !== "finalized") throw new Error("finalizeIn: credit allowed but not applied");
    const credited = result.applyCredit
      ? await autoApplyPatientCredit(tx, { organizationId: options.organizationId, invoiceId: options.invoiceId, actor: options.actor, autoApplyCredit: true })
      : null;
    return toInvoiceView(credited ?? result.invoice, result.timezone);
  });
}

/**
 * The finalize itself. The counter's row lock serializes every finalize of the organization until
 * COMMIT, so the number is taken last: everything is read first (the lock, then one read), and the writes
 * that need the number (the invoice, its journal, the audit event) are sent as one statement. With
 * 32 concurrent finalizes the lock had been the bottleneck (bench/README.md).
 */
async function finalizeIn(sql: Sql, options: FinalizeOptions, { creditAllowed }: { creditAllowed: boolean }): Promise<FinalizeOutcome> {
  const { invoice, timezone, autoApplyCredit, patientCredit } = await lockInvoiceForFinalize(sql, { id: options.invoiceId, organizationId: options.organizationId });
  if (options.resumed && invoice.status !== "draft") return { kind: "finalized", invoice, timezone, applyCredit: false };
  assertStatus(invoice, ["draft"], "finalized");
  if (invoice.lines.length === 0) {
    throw new AppError("VALIDATION_FAILED", "Add at least one line before finalizing.", { fields: { lines: ["Add at least one line."] } });
  }
  const totals = computeDraftTotals(storedContent(invoice));
  if (totals.total !== invoice.total) throw new Error(`invoice ${invoice.id}: stored total ${invoice.total} differs from recomputed ${totals.total}`);
  const applyCredit = autoApplyCredit && totals.total > 0 && patientCredit > 0;
  if (applyCredit && !creditAllowed) return { kind: "credit-applies" };

  const now = options.now ?? new Date();
  const today = todayIn(timezone, now);
  const dueDate = invoice.terms === "custom" ? toIsoDate(invoice.dueDate)! : addDays(today, TERM_DAYS[invoice.terms]);
  await ensureChartOfAccounts(sql, options.organizationId); // usually cached: no round trip

  const number = await nextNumber(sql, { organizationId: options.organizationId, counter: "invoice", prefix: "INV" });
  const changed = await changeInvoiceBalance(sql, invoice, { kind: "finalize", number, dueDate, finalizedAt: now });
  await postJournal(sql, {
    organizationId: options.organizationId,
    currency: invoice.currency,
    kind: "invoice.finalized",
    memo: `Invoice ${number}`,
    source: { type: "invoice", id: invoice.id },
    occurredAt: now,
    lines: [
      { account: "accountsReceivable", amount: totals.total, invoiceId: invoice.id },
      { account: "revenue", amount: -totals.subtotal },
      { account: "discounts", amount: totals.discountTotal },
      { account: "salesTaxPayable", amount: -totals.taxTotal },
    ],
  });
  await recordAuditEvent(sql, {
    organizationId: options.organizationId,
    actor: options.actor,
    action: "invoice.finalized",
    target: { type: "invoice", id: invoice.id },
    after: { number, total: totals.total, dueDate },
  });
  // The locked row plus these changes is the finalized invoice: no read after the write.
  const finalized = { ...invoice, ...changed };
  return { kind: "finalized", invoice: finalized, timezone, applyCredit };
}
