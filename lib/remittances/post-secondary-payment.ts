import type { AuditActor } from "@/lib/audit/record-audit-event";
import { issueCreditNoteInTransaction } from "@/lib/credit-notes/issue-credit-note";
import type { Tx } from "@/lib/db/client";
import { lockInvoice } from "@/lib/db/locks";
import { AppError } from "@/lib/errors";
import { postJournal } from "@/lib/ledger/post-journal";
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
      const note = await issueCreditNoteInTransaction(tx, { invoice, amount: fromBalance, reason, disposition: "reduce_balance", actor, now });
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
        const note = await issueCreditNoteInTransaction(tx, { invoice: fresh, amount: fromPaid, reason, disposition: "patient_credit", actor, now });
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
