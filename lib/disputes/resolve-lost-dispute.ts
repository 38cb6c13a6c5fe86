import type { Db } from "@/lib/db/client";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { AppError } from "@/lib/errors";
import { lockInvoice } from "@/lib/invoices/lock-invoice";
import { changeInvoiceBalance } from "@/lib/invoices/change-invoice-balance";
import { lockPatientCredit } from "@/lib/patient-credit/credit-balances";
import { postJournal } from "@/lib/ledger/post-journal";
import { ZResolveLostDisputeInput, type TResolveLostDisputeInput } from "./disputes.types";
import { lockDisputeOrThrow } from "./get-dispute-or-throw";
import { patientPayment } from "@/lib/payments/payment-owner";

/**
 * Decides, once, what a lost chargeback means for the books (the money stays in disputed funds
 * until then):
 * - `reopened` ("dispute.reopened"): the patient owes it again. Dr accounts receivable (the
 *   invoice) / Cr disputed funds; the invoice's amountPaid goes down and amountDue up by the same
 *   amount, and it is open or partly paid again. Only what this payment still contributes to the
 *   invoice can be reopened; the rest of the chargeback (money that had become patient credit) is
 *   taken back from the patient's credit while it lasts (Dr patient credit), and only what is
 *   gone is a loss (Dr chargeback losses).
 * - `written_off` ("dispute.written_off"): the clinic absorbs it. Dr chargeback losses / Cr
 *   disputed funds.
 * A second decision is a 409. Void invoices cannot be reopened (write the loss off instead).
 */
export async function resolveLostDispute(
  db: Db,
  options: { organizationId: string; disputeId: string; actor: AuditActor; input: TResolveLostDisputeInput },
): Promise<{ disputeId: string; resolution: "reopened" | "written_off"; reopenedAmount: number }> {
  const { resolution } = ZResolveLostDisputeInput.parse(options.input);
  return db.$transaction(async (tx) => {
    // Invoice before dispute, the order the dispute webhooks lock in, so the two never deadlock.
    const found = await tx.dispute.findFirst({ where: { id: options.disputeId, organizationId: options.organizationId }, select: { invoiceId: true } });
    if (!found) throw new AppError("NOT_FOUND", "That dispute does not exist.");
    // A disputed prepayment paid no invoice: "reopened" then takes back its unused credit only.
    const invoice = found.invoiceId ? await lockInvoice(tx, { id: found.invoiceId, organizationId: options.organizationId }) : null;
    const dispute = await lockDisputeOrThrow(tx, { id: options.disputeId, organizationId: options.organizationId });
    if (dispute.status !== "lost") {
      throw new AppError("CONFLICT", "Only a lost chargeback can be reopened or written off; this dispute is not lost.");
    }
    if (dispute.resolution) {
      throw new AppError("CONFLICT", `This lost chargeback was already ${dispute.resolution === "reopened" ? "reopened on the invoice" : "written off"}.`);
    }
    const label = invoice ? (invoice.number ?? "invoice") : "a prepayment";
    let reopenedAmount = 0;
    if (resolution === "reopened") {
      if (invoice && (invoice.status === "void" || invoice.status === "draft")) {
        throw new AppError("CONFLICT", `${label} is ${invoice.status}; it cannot owe the amount again. Write the loss off instead.`);
      }
      // Only what THIS payment still contributes to the invoice can be owed again: what it applied,
      // less what refunds already put back on the balance (other payments' shares stay paid).
      const payment = patientPayment(
        await tx.payment.findUniqueOrThrow({
          where: { id: dispute.paymentId },
          select: { id: true, invoiceId: true, appliedAmount: true, creditAmount: true, patientId: true },
        }),
      );
      const reopenedByRefunds = await tx.refund.aggregate({
        where: { paymentId: dispute.paymentId, mode: "reopen_balance", status: { in: ["pending", "succeeded"] } },
        _sum: { amount: true, fromCredit: true },
      });
      const contribution = payment.appliedAmount - ((reopenedByRefunds._sum.amount ?? 0) - (reopenedByRefunds._sum.fromCredit ?? 0));
      reopenedAmount = invoice ? Math.max(0, Math.min(dispute.amount, contribution, invoice.amountPaid)) : 0;
      // The part of the charged-back money that had become patient credit is taken back from the
      // patient's credit while it is still there; only what is gone is the clinic's loss.
      const rest = dispute.amount - reopenedAmount;
      const creditBalance =
        rest > 0 && payment.creditAmount > 0
          ? await lockPatientCredit(tx, { organizationId: options.organizationId, patientId: payment.patientId, currency: dispute.currency })
          : 0;
      const creditTaken = Math.min(rest, payment.creditAmount, creditBalance);
      await postJournal(tx, {
        organizationId: options.organizationId,
        currency: dispute.currency,
        kind: "dispute.reopened",
        memo: `Lost chargeback reopened on ${label}`,
        source: { type: "dispute", id: dispute.id },
        lines: [
          ...(invoice ? [{ account: "accountsReceivable" as const, amount: reopenedAmount, invoiceId: invoice.id }] : []),
          { account: "patientCredit", amount: creditTaken, patientId: payment.patientId },
          { account: "chargebackLosses", amount: rest - creditTaken },
          { account: "disputedFunds", amount: -dispute.amount },
        ],
      });
      if (invoice && reopenedAmount > 0) await changeInvoiceBalance(tx, invoice, { kind: "unpay", amount: reopenedAmount });
    } else {
      await postJournal(tx, {
        organizationId: options.organizationId,
        currency: dispute.currency,
        kind: "dispute.written_off",
        memo: `Lost chargeback written off on ${label}`,
        source: { type: "dispute", id: dispute.id },
        lines: [
          { account: "chargebackLosses", amount: dispute.amount },
          { account: "disputedFunds", amount: -dispute.amount },
        ],
      });
    }
    await tx.dispute.update({ where: { id: dispute.id }, data: { resolution, resolvedAt: new Date() } });
    await recordAuditEvent(tx, {
      organizationId: options.organizationId,
      actor: options.actor,
      action: resolution === "reopened" ? "dispute.reopened" : "dispute.written_off",
      target: { type: "dispute", id: dispute.id },
      before: { resolution: null, invoiceStatus: invoice?.status ?? null, amountDue: invoice?.amountDue ?? null },
      after: { resolution, amount: dispute.amount, reopenedAmount },
    });
    return { disputeId: dispute.id, resolution, reopenedAmount };
  });
}
