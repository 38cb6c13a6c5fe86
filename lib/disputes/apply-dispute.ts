import type Stripe from "stripe";
import type { Tx } from "@/lib/db/client";
import type { DisputeStatus } from "@/lib/db/generated/enums";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { lockDisputeByStripeId, lockInvoiceRow, lockPaymentByStripeIds } from "@/lib/db/locks";
import { postJournal } from "@/lib/ledger/post-journal";
import { DEFAULT_DISPUTE_FEE, DISPUTE_STATUSES, isClosed, isInquiry, nextDisputeStatus } from "./dispute-status";
import { queueDisputeEmails } from "./queue-dispute-emails";
import { patientPayment } from "@/lib/payments/payment-owner";

const SYSTEM_ACTOR = { userId: null, label: "stripe", ip: null, requestId: null };

export type ApplyDisputeResult = { disputeId: string; status: DisputeStatus; created: boolean } | null;

const idOf = (value: string | { id: string } | null | undefined) => (typeof value === "string" ? value : (value?.id ?? null));

/** Stripe's dispute fee: the withdrawal's balance transaction fee, else the US default ($15 in USD, nothing known otherwise). */
function disputeFee(dispute: Stripe.Dispute): number {
  const withdrawal = dispute.balance_transactions.find((transaction) => transaction.amount < 0);
  if (withdrawal) return withdrawal.fee;
  return dispute.currency.toUpperCase() === DEFAULT_DISPUTE_FEE.currency ? DEFAULT_DISPUTE_FEE.amount : 0;
}

function statusOf(dispute: Stripe.Dispute): DisputeStatus | null {
  return (DISPUTE_STATUSES as readonly string[]).includes(dispute.status) ? (dispute.status as DisputeStatus) : null;
}

/**
 * Brings our dispute row, its payment and invoice flags and the ledger in line with a dispute as
 * Stripe reports it. Runs inside the caller's transaction; any number of calls in any order
 * (created after closed, duplicates, stale snapshots) end in the same state, with each money
 * movement booked once:
 * - a chargeback opening ("dispute.opened"): Dr disputed funds (amount), Dr dispute fees (fee),
 *   Cr Stripe clearing (amount + fee); an inquiry moves no money;
 * - a chargeback won ("dispute.won"): the exact opposite, as Stripe reinstates both;
 * - a chargeback lost: nothing yet, the funds stay in disputed funds until staff reopen the
 *   balance or write it off (resolve-lost-dispute.ts).
 * Admins get one email each when the dispute is first recorded.
 */
export async function applyDispute(tx: Tx, dispute: Stripe.Dispute): Promise<ApplyDisputeResult> {
  const incoming = statusOf(dispute);
  if (!incoming) return null;
  const chargeId = idOf(dispute.charge);
  const paymentIntentId = idOf(dispute.payment_intent);
  // Locks in the order of lib/db/locks.ts: payment, invoice, dispute.
  const paymentId = await lockPaymentByStripeIds(tx, { chargeId, paymentIntentId });
  if (!paymentId) return null;
  // A prepayment paid no invoice: its dispute has none either.
  const payment = patientPayment(await tx.payment.findUniqueOrThrow({ where: { id: paymentId } }));
  const invoice = payment.invoiceId ? await lockInvoiceForDispute(tx, { id: payment.invoiceId, organizationId: payment.organizationId }) : null;

  // Exactly one row per Stripe dispute: a concurrent delivery waits on the unique index, then finds the row.
  const inserted = await tx.dispute.createMany({
    data: {
      organizationId: payment.organizationId,
      paymentId: payment.id,
      invoiceId: payment.invoiceId,
      stripeDisputeId: dispute.id,
      currency: payment.currency,
      amount: dispute.amount,
      feeAmount: 0,
      reason: dispute.reason.slice(0, 60),
      status: incoming,
      evidenceDueBy: dispute.evidence_details?.due_by ? new Date(dispute.evidence_details.due_by * 1000) : null,
    },
    skipDuplicates: true,
  });
  const created = inserted.count === 1;
  await lockDisputeByStripeId(tx, dispute.id);
  const row = await tx.dispute.findUniqueOrThrow({ where: { stripeDisputeId: dispute.id } });

  // A freshly inserted row starts as an unbooked inquiry, so the same rules book a new chargeback.
  const previous: DisputeStatus = created ? "warning_needs_response" : row.status;
  const status = created ? incoming : nextDisputeStatus(row.status, incoming);
  const label = invoice ? (invoice.number ?? "invoice") : "a prepayment";
  let feeAmount = row.feeAmount;

  if (isInquiry(previous) && !isInquiry(status)) {
    feeAmount = disputeFee(dispute);
    await postJournal(tx, {
      organizationId: payment.organizationId,
      currency: row.currency,
      kind: "dispute.opened",
      memo: `Chargeback on ${label}`,
      source: { type: "dispute", id: row.id },
      lines: [
        { account: "disputedFunds", amount: row.amount },
        { account: "disputeFees", amount: feeAmount },
        { account: "stripeClearing", amount: -(row.amount + feeAmount) },
      ],
    });
  }
  if (status === "won" && previous !== "won") {
    await postJournal(tx, {
      organizationId: payment.organizationId,
      currency: row.currency,
      kind: "dispute.won",
      memo: `Chargeback won on ${label}`,
      source: { type: "dispute", id: row.id },
      lines: [
        { account: "stripeClearing", amount: row.amount + feeAmount },
        { account: "disputedFunds", amount: -row.amount },
        { account: "disputeFees", amount: -feeAmount },
      ],
    });
  }

  const closedNow = isClosed(status) && (created || !isClosed(row.status));
  if (status !== row.status || feeAmount !== row.feeAmount || created) {
    await tx.dispute.update({
      where: { id: row.id },
      data: {
        status,
        feeAmount,
        evidenceDueBy: dispute.evidence_details?.due_by ? new Date(dispute.evidence_details.due_by * 1000) : row.evidenceDueBy,
        ...(closedNow ? { closedAt: new Date() } : {}),
      },
    });
  }
  const openOnPayment = await tx.dispute.count({ where: { paymentId: payment.id, status: { notIn: ["won", "lost", "warning_closed"] } } });
  await tx.payment.update({ where: { id: payment.id }, data: { disputed: openOnPayment > 0 } });
  if (invoice) {
    const openOnInvoice = await tx.dispute.count({ where: { invoiceId: invoice.id, status: { notIn: ["won", "lost", "warning_closed"] } } });
    await tx.invoice.update({ where: { id: invoice.id }, data: { disputed: openOnInvoice > 0 } });
  }

  if (created) {
    await queueDisputeEmails(tx, {
      organizationId: payment.organizationId,
      invoiceId: payment.invoiceId,
      invoiceNumber: invoice ? invoice.number : null,
      paymentId: payment.id,
      amount: row.amount,
      currency: row.currency,
      reason: row.reason,
      status: incoming,
      evidenceDueBy: row.evidenceDueBy,
    });
    await recordAuditEvent(tx, {
      organizationId: payment.organizationId,
      actor: SYSTEM_ACTOR,
      action: "dispute.opened",
      target: { type: "dispute", id: row.id },
      after: { paymentId: payment.id, invoiceId: payment.invoiceId, amount: row.amount, fee: feeAmount, reason: row.reason, status },
    });
  }
  if (closedNow) {
    await recordAuditEvent(tx, {
      organizationId: payment.organizationId,
      actor: SYSTEM_ACTOR,
      action: "dispute.closed",
      target: { type: "dispute", id: row.id },
      before: { status: previous },
      after: { status },
    });
  }
  return { disputeId: row.id, status, created };
}

/** The disputed payment's invoice, locked (lib/db/locks.ts: payment, invoice, dispute). */
async function lockInvoiceForDispute(tx: Tx, options: { id: string; organizationId: string }) {
  await lockInvoiceRow(tx, options);
  return tx.invoice.findUniqueOrThrow({ where: { id: options.id }, select: { id: true, number: true } });
}
