import type { Db } from "@/lib/db/client";
import type Stripe from "stripe";
import { cancelUnneededAttemptsAfterCommit } from "./cancel-unneeded-payment-attempts";
import type { PaymentMethodType } from "@/lib/db/generated/enums";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { AppError, type FieldErrors } from "@/lib/errors";
import { fromIsoDate, todayIn } from "@/lib/invoices/dates";
import { describeInvoiceState, lockInvoice } from "@/lib/invoices/lock-invoice";
import { nextReceiptNumber } from "./receipt-number";
import type { AccountKey } from "@/lib/ledger/accounts";
import { postJournal } from "@/lib/ledger/post-journal";
import { formatMoney } from "@/lib/money/currency";
import { getPatientOrThrow } from "@/lib/patients/get-patient-or-throw";
import { payableBalance } from "@/lib/invoices/change-invoice-balance";
import { applyPaymentToInvoice, type PayableInvoice } from "./apply-to-invoice";
import { MANUAL_METHOD_LABELS, ZRecordManualPaymentInput, type ManualPaymentMethod, type TRecordManualPaymentInput } from "./manual-payments.types";
import { getPaymentView, type PaymentView } from "./payment-view";
import { queueStoredPaymentReceipt } from "./queue-receipt-email";

/** Where the money sits once received: the till, the bank, or the card terminal's settlement. */
export const MANUAL_DEBIT_ACCOUNT: Record<ManualPaymentMethod, AccountKey> = {
  cash: "cash",
  check: "cash",
  card_terminal: "cardTerminalClearing",
  bank_transfer: "bank",
};

type LockedInvoice = PayableInvoice & { patientId: string; finalizedAt: Date | null; dueDate: Date | null };

function invalid(fields: FieldErrors, message = "Some fields are invalid."): AppError {
  return new AppError("VALIDATION_FAILED", message, { fields });
}

/** Oldest first: by when it was issued, then its due date, then its number. */
function oldestFirst(a: LockedInvoice, b: LockedInvoice): number {
  const time = (date: Date | null) => date?.getTime() ?? Number.MAX_SAFE_INTEGER;
  return time(a.finalizedAt) - time(b.finalizedAt) || time(a.dueDate) - time(b.dueDate) || (a.number ?? "").localeCompare(b.number ?? "");
}

function assertPayable(invoice: LockedInvoice, field: string): void {
  if (invoice.status === "draft" || invoice.status === "void") {
    throw new AppError("CONFLICT", `${describeInvoiceState(invoice)}, so it cannot take a payment.`, {
      fields: { [field]: [`${describeInvoiceState(invoice)}.`] },
    });
  }
  if (payableBalance(invoice) === 0) {
    throw new AppError("CONFLICT", `${invoice.number} is already paid; choose another invoice or keep the money as patient credit.`, {
      fields: { [field]: [`${invoice.number} is already paid.`] },
    });
  }
}

/**
 * Records money received at the front desk (cash, check, external card terminal, bank transfer)
 * and applies it to one or more of the patient's invoices, all in one transaction (a prepayment,
 * `prepayment: true`, applies it to none: the whole amount becomes the patient's credit, which
 * their share of a visit is later settled against, and the payment has no invoice):
 *
 * - the invoices are locked in id order (no deadlock between two desks), re-read, and never
 *   paid beyond what they owe (written-off invoices take back what was written off);
 * - one Payment (source manual, succeeded), one PaymentAllocation per invoice; for cash, the cash
 *   handed over (`cash_tendered`, at least the amount: the rest was given back as change);
 * - journal "payment.manual": debit cash (cash, check) / bank (bank transfer) / card terminal
 *   clearing for the amount, credit accounts receivable per invoice, credit patient credit for
 *   any excess (only with `keepExcessAsCredit`); write-off recoveries post their own journal;
 * - an audit event, and the receipt email when asked for and the patient has an email address.
 *
 * `receivedOn` is the clinic's calendar date: "today" and "the future" are the clinic's (its time
 * zone), not UTC's.
 *
 * Bad input is a 422 with field messages, wrong invoice states a 409, unknown ids a 404; nothing
 * is written on any error.
 */
export async function recordManualPayment(
  db: Db,
  options: { organizationId: string; actor: AuditActor; input: TRecordManualPaymentInput; now?: Date; stripe?: Stripe },
): Promise<PaymentView> {
  const input = ZRecordManualPaymentInput.parse(options.input);
  const organization = await db.organization.findUniqueOrThrow({ where: { id: options.organizationId }, select: { timezone: true, currency: true } });
  const today = todayIn(organization.timezone, options.now);
  const receivedOn = input.receivedOn ?? today;
  const receivedDate = fromIsoDate(receivedOn); // a real date: ZCalendarDate checked it
  if (receivedOn > today) throw invalid({ receivedOn: ["The date received cannot be in the future."] });
  if (receivedOn < "2000-01-01") throw invalid({ receivedOn: ["Check the year of the date received."] });

  const { paymentId, invoiceIds } = await db.$transaction(async (tx) => {
    const patient = await getPatientOrThrow(tx, { id: input.patientId, organizationId: options.organizationId });
    const mode = input.allocations ? "explicit" : input.invoiceId ? "single" : "oldest_first";
    // The money there is to apply: the amount, or for cash without one, all the cash handed over.
    const received = input.amount ?? input.cashTendered!;
    const requested = input.allocations ?? (input.invoiceId ? [{ invoiceId: input.invoiceId, amount: received }] : null);
    const field = (index: number) => (mode === "explicit" ? `allocations.${index}.invoiceId` : "invoiceId");

    let candidateIds: string[];
    if (input.prepayment) {
      candidateIds = [];
    } else if (requested) {
      candidateIds = requested.map((allocation) => allocation.invoiceId);
    } else {
      const open = await tx.invoice.findMany({
        where: {
          organizationId: options.organizationId,
          patientId: patient.id,
          status: { in: ["open", "partially_paid"] },
          currency: input.currency ?? organization.currency,
        },
        select: { id: true },
      });
      candidateIds = open.map((invoice) => invoice.id);
    }

    // One order for every caller, so two payments over the same invoices queue instead of deadlocking.
    const locked = new Map<string, LockedInvoice>();
    for (const id of [...candidateIds].sort()) locked.set(id, await lockInvoice(tx, { id, organizationId: options.organizationId }));

    let plan: { invoice: LockedInvoice; amount: number }[];
    let currency: string;
    if (requested) {
      const invoices = requested.map((allocation) => locked.get(allocation.invoiceId)!);
      const fields: FieldErrors = {};
      invoices.forEach((invoice, index) => {
        if (invoice.patientId !== patient.id) fields[field(index)] = [`${invoice.number ?? "That invoice"} belongs to another patient.`];
      });
      if (Object.keys(fields).length > 0) throw invalid(fields, "Every invoice must be the patient's own.");
      invoices.forEach((invoice, index) => assertPayable(invoice, field(index)));
      currency = invoices[0]!.currency;
      invoices.forEach((invoice, index) => {
        if (invoice.currency !== currency) fields[field(index)] = [`${invoice.number} is in ${invoice.currency}; a payment is in one currency (${currency}).`];
      });
      if (input.currency && input.currency !== currency) fields.currency = [`The invoice is in ${currency}.`];
      if (Object.keys(fields).length > 0) throw invalid(fields);
      if (mode === "single") {
        const invoice = invoices[0]!;
        plan = [{ invoice, amount: Math.min(received, payableBalance(invoice)) }];
      } else {
        plan = invoices.map((invoice, index) => ({ invoice, amount: requested[index]!.amount }));
        plan.forEach(({ invoice, amount }, index) => {
          const balance = payableBalance(invoice);
          if (amount > balance)
            fields[`allocations.${index}.amount`] = [`${invoice.number} has ${formatMoney(balance, currency)} left to pay; apply at most that.`];
        });
        const allocated = plan.reduce((sum, entry) => sum + entry.amount, 0);
        if (allocated > received)
          fields.allocations = [
            `The invoice amounts add up to ${formatMoney(allocated, currency)}, more than the ${formatMoney(received, currency)} received.`,
          ];
        if (Object.keys(fields).length > 0) throw invalid(fields);
      }
    } else if (input.prepayment) {
      // Nothing is paid now: the whole amount waits as the patient's credit for their share of a visit.
      currency = input.currency ?? organization.currency;
      plan = [];
    } else {
      currency = input.currency ?? organization.currency;
      // Re-read under the locks: another desk may have paid some of them meanwhile.
      const payable = [...locked.values()]
        .filter((invoice) => (invoice.status === "open" || invoice.status === "partially_paid") && invoice.amountDue > 0)
        .sort(oldestFirst);
      let left = received;
      plan = [];
      for (const invoice of payable) {
        if (left === 0) break;
        const amount = Math.min(left, invoice.amountDue);
        plan.push({ invoice, amount });
        left -= amount;
      }
      if (plan.length === 0) {
        throw invalid(
          { invoiceId: [`The patient has no open invoices in ${currency}. Choose an invoice, or bill the visit first.`] },
          "There is nothing to apply the payment to.",
        );
      }
    }

    const applied = plan.reduce((sum, entry) => sum + entry.amount, 0);
    // Cash given without an amount pays what is owed (at most the cash); the rest goes back as change.
    const amount = input.amount ?? applied;
    const cashTendered = input.method === "cash" ? (input.cashTendered ?? amount) : null;
    const excess = amount - applied;
    if (excess > 0 && !input.keepExcessAsCredit && !input.prepayment) {
      throw invalid(
        {
          amount: [
            `${formatMoney(amount, currency)} is ${formatMoney(excess, currency)} more than the patient owes on the chosen invoices (${formatMoney(applied, currency)}). Lower the amount, ${input.method === "cash" ? "give the rest back as change, " : ""}or keep the excess as patient credit.`,
          ],
        },
        "The payment is more than the patient owes on the chosen invoices.",
      );
    }

    const payment = await tx.payment.create({
      data: {
        organizationId: options.organizationId,
        invoiceId: plan[0]?.invoice.id ?? null,
        patientId: patient.id,
        prepayment: input.prepayment,
        source: "manual",
        methodType: input.method satisfies PaymentMethodType,
        status: "succeeded",
        currency,
        amount,
        amountReceived: amount,
        appliedAmount: applied,
        creditAmount: excess,
        reference: input.reference || null,
        receivedOn: receivedDate,
        recordedById: options.actor.userId,
        succeededAt: options.now ?? new Date(),
        cashTendered,
      },
      select: { id: true },
    });
    const outcomes = [];
    for (const entry of plan) {
      const outcome = await applyPaymentToInvoice(tx, { invoice: entry.invoice, amount: entry.amount, paymentId: payment.id });
      outcomes.push({ invoiceId: entry.invoice.id, amount: entry.amount, recovered: outcome.recovered, status: outcome.status });
    }
    const numbers = plan.map((entry) => entry.invoice.number).join(", ");
    await postJournal(tx, {
      organizationId: options.organizationId,
      currency,
      kind: "payment.manual",
      memo: input.prepayment
        ? `${MANUAL_METHOD_LABELS[input.method]} prepayment received ${receivedOn}, kept as patient credit`
        : `${MANUAL_METHOD_LABELS[input.method]} payment received ${receivedOn} for ${numbers}${excess > 0 ? " (excess kept as patient credit)" : ""}`,
      source: { type: "payment", id: payment.id },
      // When it was recorded (`now`, the time the payment's succeededAt shows), as analytics dates it.
      occurredAt: options.now,
      lines: [
        { account: MANUAL_DEBIT_ACCOUNT[input.method], amount },
        ...plan.map((entry) => ({ account: "accountsReceivable" as const, amount: -entry.amount, invoiceId: entry.invoice.id })),
        { account: "patientCredit", amount: -excess, patientId: patient.id },
      ],
    });
    // The receipt's number from the organization's counter: the last lock this transaction takes.
    await tx.payment.update({ where: { id: payment.id }, data: { receiptNumber: await nextReceiptNumber(tx, options.organizationId) } });
    const emailed = input.emailReceipt ? await queueStoredPaymentReceipt(tx, { organizationId: options.organizationId, paymentId: payment.id }) : false;
    await recordAuditEvent(tx, {
      organizationId: options.organizationId,
      actor: options.actor,
      action: "payment.manual_recorded",
      target: { type: "payment", id: payment.id },
      after: {
        method: input.method,
        ...(input.prepayment ? { prepayment: true } : {}),
        amount,
        currency,
        receivedOn,
        applied,
        credit: excess,
        ...(cashTendered !== null ? { cashTendered, changeGiven: cashTendered - amount } : {}),
        allocations: outcomes,
        receiptEmailed: emailed,
      },
    });
    return { paymentId: payment.id, invoiceIds: plan.map((entry) => entry.invoice.id) };
  });
  // Committed: a card attempt now asking for more than these invoices owe is canceled at Stripe.
  await cancelUnneededAttemptsAfterCommit(db, { organizationId: options.organizationId, invoiceIds, stripe: options.stripe });
  return getPaymentView(db, { organizationId: options.organizationId, paymentId });
}
