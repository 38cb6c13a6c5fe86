import type { Db } from "@/lib/db/client";
import { paymentStatusWords } from "./payment-display-state";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { AppError } from "@/lib/errors";
import { lockInvoice } from "@/lib/invoices/lock-invoice";
import { lockPatientCredit } from "@/lib/patient-credit/credit-balances";
import { reverseJournal } from "@/lib/ledger/post-journal";
import { formatMoney } from "@/lib/money/currency";
import { changeInvoiceBalance } from "@/lib/invoices/change-invoice-balance";
import { ZVoidManualPaymentInput, type TVoidManualPaymentInput } from "./manual-payments.types";
import { getPaymentView, type PaymentView } from "./payment-view";
import { patientManualPayment } from "./payment-owner";
import { lockPaymentRow } from "@/lib/db/locks";

/**
 * Takes back a manual payment recorded by mistake. The payment is never deleted: it becomes
 * `voided` with the reason, every journal it posted is reversed (so the money leaves cash/bank,
 * the invoices owe again, recovered write-offs are written off again, and the excess it left as
 * patient credit is removed), and each invoice gets back exactly what the payment gave it.
 * Card payments are refunded instead (409); a payment voided already is a 409; if the patient
 * already spent the credit the payment created, a 409 says what to undo first.
 */
export async function voidManualPayment(
  db: Db,
  options: { organizationId: string; paymentId: string; actor: AuditActor; input: TVoidManualPaymentInput; now?: Date },
): Promise<PaymentView> {
  const { reason } = ZVoidManualPaymentInput.parse(options.input);
  await db.$transaction(async (tx) => {
    if (!(await lockPaymentRow(tx, { id: options.paymentId, organizationId: options.organizationId })))
      throw new AppError("NOT_FOUND", "That payment does not exist.");
    const payment = patientManualPayment(await tx.payment.findUniqueOrThrow({ where: { id: options.paymentId }, include: { allocations: true } }));
    if (payment.source !== "manual") throw new AppError("CONFLICT", "Card payments cannot be voided. Refund the payment instead.");
    if (payment.status === "voided") throw new AppError("CONFLICT", "This payment was already voided.");
    if (payment.status !== "succeeded")
      throw new AppError("CONFLICT", `This payment is ${paymentStatusWords(payment.status)}; only a recorded payment can be voided.`);
    if (payment.amountRefunded > 0) {
      throw new AppError("CONFLICT", `${formatMoney(payment.amountRefunded, payment.currency)} of this payment was refunded; it can no longer be voided.`);
    }

    // Same lock order as recording: invoices by id, then the patient's credit.
    const invoices = new Map<string, Awaited<ReturnType<typeof lockInvoice>>>();
    for (const id of payment.allocations.map((allocation) => allocation.invoiceId).sort()) {
      invoices.set(id, await lockInvoice(tx, { id, organizationId: options.organizationId }));
    }
    if (payment.creditAmount > 0) {
      const balance = await lockPatientCredit(tx, { organizationId: options.organizationId, patientId: payment.patientId, currency: payment.currency });
      if (balance < payment.creditAmount) {
        const money = (amount: number) => formatMoney(amount, payment.currency);
        throw new AppError(
          "CONFLICT",
          `This payment left ${money(payment.creditAmount)} as patient credit, but the patient's credit is now ${money(balance)}: some of it was already used. ` +
            "Take that credit back off the invoice it paid (or refund the difference) first, then void this payment.",
        );
      }
    }

    const journals = await tx.journalEntry.findMany({
      where: { sourceType: "payment", sourceId: payment.id, reversesId: null, reversedBy: { is: null } },
      include: { lines: { include: { account: { select: { code: true } } } } },
      orderBy: { createdAt: "asc" },
    });
    // What each invoice had written off and got back through this payment (its recovery journal).
    const recovered = new Map<string, number>();
    for (const journal of journals.filter((entry) => entry.kind === "payment.write_off_recovered")) {
      for (const line of journal.lines) {
        if (line.invoiceId && line.account.code === "1100") recovered.set(line.invoiceId, (recovered.get(line.invoiceId) ?? 0) + line.amount);
      }
    }
    // The invoices must still count this payment as paid (a lost chargeback reopened, or a void,
    // may have changed that since); otherwise taking it back would be wrong, so staff decide.
    for (const allocation of payment.allocations) {
      const invoice = invoices.get(allocation.invoiceId)!;
      if (invoice.status === "void" || invoice.amountPaid < allocation.amount) {
        throw new AppError(
          "CONFLICT",
          `${invoice.number ?? "An invoice"} no longer shows ${formatMoney(allocation.amount, payment.currency)} of this payment as paid (it changed after the payment was recorded). Review that invoice's history before voiding this payment.`,
        );
      }
    }
    for (const journal of journals) {
      await reverseJournal(tx, { journalEntryId: journal.id, kind: `${journal.kind}.voided`, memo: `Voided: ${journal.memo}`, occurredAt: options.now });
    }

    const restored = [];
    for (const allocation of payment.allocations) {
      const invoice = invoices.get(allocation.invoiceId)!;
      const writtenOffAgain = recovered.get(allocation.invoiceId) ?? 0;
      const { status } = await changeInvoiceBalance(tx, invoice, { kind: "unpay", amount: allocation.amount, writeOffAgain: writtenOffAgain });
      restored.push({ invoiceId: invoice.id, amount: allocation.amount, writtenOffAgain, status });
    }
    await tx.payment.update({ where: { id: payment.id }, data: { status: "voided", voidedAt: options.now ?? new Date(), voidReason: reason } });
    await recordAuditEvent(tx, {
      organizationId: options.organizationId,
      actor: options.actor,
      action: "payment.voided",
      target: { type: "payment", id: payment.id },
      before: { status: payment.status },
      after: { status: "voided", reason, invoices: restored, creditRemoved: payment.creditAmount },
    });
  });
  return getPaymentView(db, { organizationId: options.organizationId, paymentId: options.paymentId });
}
