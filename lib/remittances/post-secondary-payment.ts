import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { issueCreditNoteInTransaction } from "@/lib/credit-notes/issue-credit-note";
import type { Tx } from "@/lib/db/client";
import { lockInvoice, lockPatientCredit } from "@/lib/db/locks";
import { AppError } from "@/lib/errors";
import { changeInvoiceBalance } from "@/lib/invoices/change-invoice-balance";
import { DEFAULT_ACCOUNTS } from "@/lib/ledger/accounts";
import { postJournal, reverseJournal } from "@/lib/ledger/post-journal";
import { formatMoney } from "@/lib/money/currency";

/**
 * A secondary (or tertiary) payer's payment, in postClaimPayment's transaction. The claim it pays
 * bills the patient's share the payer before left (it was never charged: claim-receivable.ts), and
 * that share is on the patient's invoices already (the primary claim's share invoices: only the
 * primary's posting bills the patient); so what the secondary settles comes off those invoices:
 *
 * - reduction = the patient's share of the prior claim's posted payments − this payer's patient
 *   responsibility (what the patient still owes after both);
 * - of it, this payer paid CLP04 and the rest is written off under its contract;
 * - a credit note on the share invoices of the claims before it (the prior claim's and, for a
 *   tertiary claim, the primary's; newest first) takes the reduction off what is owed
 *   (`reduce_balance`), or turns what the patient already paid into their credit
 *   (`patient_credit`), reason "Paid by <payer> (secondary insurance) …" (or tertiary), so the
 *   statement says why;
 * - `remittance.secondary_applied`: Dr insurance clearing (paid), Dr contractual adjustments (the
 *   rest) / Cr credit notes (the reduction): the credit note's contra revenue is undone, the money
 *   came from the payer.
 * Refused (held, nothing written) when the secondary's patient share is above the primary's, when it
 * paid more than the reduction, or when the share invoices cannot take the reduction.
 */
export async function postSecondaryPayment(
  tx: Tx,
  options: {
    organizationId: string;
    claimId: string;
    priorClaimId: string;
    number: string;
    currency: string;
    payment: { id: string; paidAmount: number; remittance: { payerName: string; traceNumber: string } };
    patient: number;
    actor: AuditActor;
    now: Date;
  },
): Promise<{ reduction: number; written: number; creditNotes: string[] }> {
  const { organizationId, payment, currency, number, actor, now } = options;
  const money = (cents: number) => formatMoney(cents, currency);
  const prior = await tx.remittanceClaim.findMany({
    where: { organizationId, claimId: options.priorClaimId, status: "posted", statusCode: { not: "22" } },
    select: { patientShareInvoiceId: true, adjustments: { where: { groupCode: "PR" }, select: { amount: true } } },
  });
  const leftByPrior = prior.reduce((sum, row) => sum + row.adjustments.reduce((total, adjustment) => total + adjustment.amount, 0), 0);
  const chain = await claimsBefore(tx, { organizationId, claimId: options.claimId });
  const order = ORDER[chain.length as 1 | 2] ?? "next";
  const reduction = leftByPrior - options.patient;
  if (reduction < 0) {
    throw new AppError(
      "CONFLICT",
      `${number}: the ${order} payer says the patient owes ${money(options.patient)}, more than the ${money(leftByPrior)} the payer before left them; check it with the payer.`,
    );
  }
  if (payment.paidAmount > reduction) {
    throw new AppError(
      "CONFLICT",
      `${number}: the ${order} payer paid ${money(payment.paidAmount)}, more than the ${money(reduction)} it takes off the patient's share; check it with the payer.`,
    );
  }
  if (reduction === 0) return { reduction: 0, written: 0, creditNotes: [] };

  // The share is billed on the primary's posting; a tertiary payment reduces the same invoices.
  const shares = await tx.remittanceClaim.findMany({
    where: { organizationId, claimId: { in: chain }, status: "posted", statusCode: { not: "22" }, patientShareInvoiceId: { not: null } },
    select: { patientShareInvoiceId: true },
  });
  const invoiceIds = [...new Set(shares.map((row) => row.patientShareInvoiceId).filter((id): id is string => id !== null))];
  const invoices = await tx.invoice.findMany({ where: { id: { in: invoiceIds }, organizationId }, orderBy: { createdAt: "desc" }, select: { id: true } });
  const written = reduction - payment.paidAmount;
  const reason = `Paid by ${payment.remittance.payerName} (${order} insurance) for claim ${number}: ${money(payment.paidAmount)}${written > 0 ? `, and ${money(written)} it allows you not to pay` : ""} (payment ${payment.remittance.traceNumber}).`;
  let left = reduction;
  const creditNotes: string[] = [];
  for (const { id } of invoices) {
    if (left === 0) break;
    const invoice = await lockInvoice(tx, { id, organizationId });
    const owed = invoice.status === "open" || invoice.status === "partially_paid" ? invoice.amountDue : 0;
    const fromBalance = Math.min(left, owed);
    if (fromBalance > 0) {
      const note = await issueCreditNoteInTransaction(tx, {
        invoice,
        amount: fromBalance,
        reason,
        disposition: "reduce_balance",
        actor,
        now,
        remittanceClaimId: payment.id,
      });
      creditNotes.push(note.number);
      left -= fromBalance;
    }
    if (left === 0) break;
    const fresh = await lockInvoice(tx, { id, organizationId });
    if (fresh.status === "paid" || fresh.status === "partially_paid") {
      const given = await tx.creditNote.aggregate({
        where: { invoiceId: id, status: "issued", disposition: { in: ["patient_credit", "refund"] } },
        _sum: { amount: true },
      });
      const fromPaid = Math.min(left, fresh.amountPaid - (given._sum.amount ?? 0));
      if (fromPaid > 0) {
        const note = await issueCreditNoteInTransaction(tx, {
          invoice: fresh,
          amount: fromPaid,
          reason,
          disposition: "patient_credit",
          actor,
          now,
          remittanceClaimId: payment.id,
        });
        creditNotes.push(note.number);
        left -= fromPaid;
      }
    }
  }
  if (left > 0) {
    throw new AppError(
      "CONFLICT",
      `${number}: the ${order} payer takes ${money(reduction)} off the patient's share, but the primary's share invoices can take only ${money(reduction - left)} (voided or credited already); nothing was posted.`,
    );
  }
  await postJournal(tx, {
    organizationId,
    currency,
    kind: "remittance.secondary_applied",
    memo: `${number} paid by ${payment.remittance.payerName} as ${order} (payment ${payment.remittance.traceNumber}): ${creditNotes.join(", ")}`,
    source: { type: "remittance_claim", id: payment.id },
    occurredAt: now,
    lines: [
      { account: "insuranceClearing", amount: payment.paidAmount },
      { account: "contractualAdjustments", amount: written },
      { account: "creditNotes", amount: -reduction },
    ],
  });
  return { reduction, written, creditNotes };
}

const ORDER = { 1: "secondary", 2: "tertiary" } as const;

/**
 * The claims before this one, nearest first (a secondary claim's primary; a tertiary claim's
 * secondary, then its primary): followed through `prior_claim_id`, within the clinic.
 */
async function claimsBefore(tx: Tx, options: { organizationId: string; claimId: string }): Promise<string[]> {
  const chain: string[] = [];
  let current: string | null = options.claimId;
  while (current !== null) {
    const claim: { priorClaimId: string | null } | null = await tx.claim.findFirst({
      where: { id: current, organizationId: options.organizationId },
      select: { priorClaimId: true },
    });
    current = claim?.priorClaimId ?? null;
    if (current !== null) {
      if (chain.includes(current)) break;
      chain.push(current);
    }
  }
  return chain;
}

/**
 * A secondary (or tertiary) payer's reversal (CLP02 22) of its posted payment `originalId`, in
 * postClaimPayment's transaction: everything postSecondaryPayment did, undone.
 *
 * - The credit notes that payment issued on the primary's share invoices are voided
 *   (`credit_note.voided`, the exact opposite of their `credit_note.issued`): a `reduce_balance` one
 *   makes the invoice owe its amount again, a `patient_credit` one takes that credit back from the
 *   patient.
 * - `remittance.secondary_applied` is reversed (`remittance.secondary_reversed`): the payer's money
 *   and the contractual part leave again, the credit notes' contra revenue comes back.
 *
 * Locks the share invoices (ascending id), then the patient's credit (lib/db/locks.ts). Refused (the
 * reversal held, nothing written) when the patient spent credit a note gave them, when a share
 * invoice was voided or written off since, or when the payment's credit notes cannot all be found
 * (posted before they were linked to it). Returns what was taken back off the patient's share.
 */
export async function reverseSecondaryPayment(
  tx: Tx,
  options: { organizationId: string; originalId: string; number: string; currency: string; memo: string; actor: AuditActor; now: Date },
): Promise<{ reduction: number; written: number; creditNotes: string[] }> {
  const { organizationId, number, currency, actor, now } = options;
  const money = (cents: number) => formatMoney(cents, currency);
  const journal = await tx.journalEntry.findFirst({
    where: { organizationId, sourceType: "remittance_claim", sourceId: options.originalId, kind: "remittance.secondary_applied", reversedBy: null },
    select: { id: true, lines: { select: { amount: true, account: { select: { code: true } } } } },
  });
  const linesOn = (code: string) => (journal?.lines ?? []).filter((line) => line.account.code === code).reduce((sum, line) => sum + line.amount, 0);
  const reduction = -linesOn(DEFAULT_ACCOUNTS.creditNotes.code);
  const written = linesOn(DEFAULT_ACCOUNTS.contractualAdjustments.code);
  const notes = await tx.creditNote.findMany({
    where: { organizationId, remittanceClaimId: options.originalId, status: "issued" },
    orderBy: [{ invoiceId: "asc" }, { createdAt: "asc" }],
    select: { id: true, number: true, amount: true, disposition: true, invoiceId: true, patientId: true, currency: true },
  });
  const noted = notes.reduce((sum, note) => sum + note.amount, 0);
  if (noted !== reduction) {
    throw new AppError(
      "CONFLICT",
      `${number}: the secondary payment took ${money(reduction)} off the patient's share, but Carebill finds ${money(noted)} of credit notes for it (posted before they were linked to their payment, or voided since); reverse it by hand.`,
    );
  }
  const invoices = new Map<string, Awaited<ReturnType<typeof lockInvoice>>>();
  for (const invoiceId of [...new Set(notes.map((note) => note.invoiceId))].sort())
    invoices.set(invoiceId, await lockInvoice(tx, { id: invoiceId, organizationId }));
  const givenAsCredit = notes.filter((note) => note.disposition !== "reduce_balance");
  const creditBack = givenAsCredit.reduce((sum, note) => sum + note.amount, 0);
  if (creditBack > 0) {
    const balance = await lockPatientCredit(tx, { organizationId, patientId: givenAsCredit[0]!.patientId, currency: givenAsCredit[0]!.currency });
    if (balance < creditBack) {
      throw new AppError(
        "CONFLICT",
        `${number}: the secondary payment gave the patient ${money(creditBack)} of credit (${givenAsCredit.map((note) => note.number).join(", ")}), and only ${money(balance)} of it is left; take the credit they used back off the invoice it paid (the invoice's Patient credit → Take back), then post this reversal again.`,
      );
    }
  }
  for (const note of notes) {
    const invoice = invoices.get(note.invoiceId)!;
    if (note.disposition === "reduce_balance" && !["open", "partially_paid", "paid"].includes(invoice.status)) {
      throw new AppError(
        "CONFLICT",
        `${number}: ${note.number} took ${money(note.amount)} off ${invoice.number}, which ${invoice.status === "void" ? "was voided" : "was written off"} since; nothing of this reversal was posted.`,
      );
    }
    const issued = await tx.journalEntry.findFirst({
      where: { organizationId, sourceType: "credit_note", sourceId: note.id, kind: "credit_note.issued", reversedBy: null },
      select: { id: true },
    });
    if (issued)
      await reverseJournal(tx, { journalEntryId: issued.id, kind: "credit_note.voided", memo: `Void ${note.number}: ${options.memo}`, occurredAt: now });
    if (note.disposition === "reduce_balance") {
      invoices.set(note.invoiceId, { ...invoice, ...(await changeInvoiceBalance(tx, invoice, { kind: "uncredit", amount: note.amount })) });
    }
    await tx.creditNote.update({ where: { id: note.id }, data: { status: "void", voidedAt: now } });
    await recordAuditEvent(tx, {
      organizationId,
      actor,
      action: "credit_note.voided",
      target: { type: "credit_note", id: note.id },
      before: { status: "issued" },
      after: { status: "void", reason: options.memo, invoiceId: note.invoiceId, amount: note.amount, disposition: note.disposition },
    });
  }
  if (journal) await reverseJournal(tx, { journalEntryId: journal.id, kind: "remittance.secondary_reversed", memo: options.memo, occurredAt: now });
  return { reduction, written, creditNotes: notes.map((note) => note.number) };
}
