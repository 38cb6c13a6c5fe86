import type { Tx } from "@/lib/db/client";
import type { InvoiceStatus } from "@/lib/db/generated/enums";
import { sql, sqlOf, type Sql } from "@/lib/db/sql";
import { AppError } from "@/lib/errors";
import { fromIsoDate } from "./dates";
import { describeInvoiceState } from "./lock-invoice";

/**
 * The one owner of an invoice's money fields (amount paid, credited, written off, due) and its
 * status. Every change of them goes through `changeInvoiceBalance` with a typed change; the rules
 * are the table below, and nothing else in the code writes those columns (invoice-balance.test.ts
 * scans the tree, and a CHECK constraint keeps amount_due = total − paid − credited − written off).
 */

/** An invoice's money state, as read from its locked row. */
export type InvoiceBalance = {
  id: string;
  number: string | null;
  status: InvoiceStatus;
  total: number;
  amountPaid: number;
  amountCredited: number;
  amountWrittenOff: number;
  amountDue: number;
};

/** What happened to the invoice's money. Amounts are positive minor units. */
export type BalanceChange =
  /** A draft is issued: its total becomes due (a zero total is paid at once). */
  | { kind: "finalize"; number: string; dueDate: string; finalizedAt: Date }
  /** A payment (card, manual, patient credit) goes toward the invoice; on a written-off invoice it first recovers the write-off. */
  | { kind: "pay"; amount: number }
  /** Money paid is owed again (a refund that reopens the balance, a lost chargeback, a voided manual payment); `writeOffAgain` of it is written off again instead (it had recovered a write-off). */
  | { kind: "unpay"; amount: number; writeOffAgain?: number }
  /** A credit note reduces what is owed. */
  | { kind: "credit"; amount: number }
  /** A credit note that reduced what is owed is voided on its own (a secondary payer reversed the payment it stood for): it is owed again. */
  | { kind: "uncredit"; amount: number }
  /** What is owed is written off as bad debt. */
  | { kind: "write_off"; reason: string; at: Date }
  /** A write-off is undone: what was written off is owed again. */
  | { kind: "reverse_write_off" }
  /** The invoice is cancelled: nothing is owed and its balance-reducing credit notes go with it. */
  | { kind: "void"; reason: string; at: Date };

export type BalanceChangeKind = BalanceChange["kind"];

/** Which statuses each change may start from: the table of rules. Anything else is refused. */
export const ALLOWED_FROM: Record<BalanceChangeKind, readonly InvoiceStatus[]> = {
  finalize: ["draft"],
  pay: ["open", "partially_paid", "uncollectible"],
  unpay: ["paid", "partially_paid", "uncollectible"],
  credit: ["open", "partially_paid"],
  uncredit: ["open", "partially_paid", "paid"],
  write_off: ["open", "partially_paid"],
  reverse_write_off: ["uncollectible"],
  void: ["open"],
};

const ACTION_WORDS: Record<BalanceChangeKind, string> = {
  finalize: "finalized",
  pay: "paid",
  unpay: "owed again",
  credit: "credited",
  uncredit: "owed again",
  write_off: "written off",
  reverse_write_off: "reopened",
  void: "voided",
};

type MoneyFields = Pick<InvoiceBalance, "status" | "amountPaid" | "amountCredited" | "amountWrittenOff" | "amountDue">;

/**
 * The status a finalized invoice's amounts give: written off while a write-off still stands (or
 * it was written off and something is owed again), paid when nothing is due, partly paid when
 * something was paid, open otherwise.
 */
export function settledStatus(fields: Omit<MoneyFields, "status">, writtenOffBefore: boolean): InvoiceStatus {
  if (fields.amountWrittenOff > 0) return "uncollectible";
  if (writtenOffBefore && fields.amountDue > 0) return "uncollectible";
  if (fields.amountDue === 0) return "paid";
  return fields.amountPaid > 0 ? "partially_paid" : "open";
}

/**
 * What a payment can still go toward on this invoice: its amount due while open or partly paid,
 * and for a written-off (uncollectible) invoice also what was written off, which a later payment
 * recovers. Nothing for drafts, void or paid invoices. The limit of a `pay` change.
 */
export function payableBalance(invoice: Pick<InvoiceBalance, "status" | "amountDue" | "amountWrittenOff">): number {
  if (invoice.status === "open" || invoice.status === "partially_paid") return invoice.amountDue;
  if (invoice.status === "uncollectible") return invoice.amountDue + invoice.amountWrittenOff;
  return 0;
}

function refuse(invoice: InvoiceBalance, change: BalanceChange, why?: string): never {
  throw new AppError("CONFLICT", why ?? `${describeInvoiceState(invoice)}, so it cannot be ${ACTION_WORDS[change.kind]}.`);
}

function positive(invoice: InvoiceBalance, change: BalanceChange, amount: number): void {
  if (!Number.isSafeInteger(amount) || amount <= 0)
    throw new Error(`changeInvoiceBalance(${change.kind}) on ${invoice.id}: amount ${amount} must be a positive integer`);
}

/**
 * The invoice's money fields after `change`, by the rules table; throws a 409 AppError for an
 * impossible change (paying a void invoice, crediting more than is owed, a negative balance).
 * `recovered` is what a payment took back from a write-off (the caller posts its journal).
 */
export function nextBalance(invoice: InvoiceBalance, change: BalanceChange): MoneyFields & { recovered: number } {
  if (!ALLOWED_FROM[change.kind].includes(invoice.status)) refuse(invoice, change);
  const { amountPaid, amountCredited, amountWrittenOff, amountDue } = invoice;
  const wasWrittenOff = invoice.status === "uncollectible";
  let next: Omit<MoneyFields, "status">;
  let status: InvoiceStatus | undefined;
  let recovered = 0;
  switch (change.kind) {
    case "finalize":
      next = { amountPaid: 0, amountCredited: 0, amountWrittenOff: 0, amountDue: invoice.total };
      status = invoice.total === 0 ? "paid" : "open";
      break;
    case "pay": {
      positive(invoice, change, change.amount);
      const payable = payableBalance(invoice);
      if (change.amount > payable)
        refuse(invoice, change, `${describeInvoiceState(invoice)} and can take at most ${payable} (minor units), not ${change.amount}.`);
      recovered = wasWrittenOff ? Math.min(change.amount, amountWrittenOff) : 0;
      next = {
        amountPaid: amountPaid + change.amount,
        amountCredited,
        amountWrittenOff: amountWrittenOff - recovered,
        amountDue: amountDue - (change.amount - recovered),
      };
      break;
    }
    case "unpay": {
      positive(invoice, change, change.amount);
      const writeOffAgain = change.writeOffAgain ?? 0;
      if (writeOffAgain < 0 || writeOffAgain > change.amount)
        throw new Error(`changeInvoiceBalance(unpay) on ${invoice.id}: writeOffAgain ${writeOffAgain} outside 0..${change.amount}`);
      if (change.amount > amountPaid)
        refuse(invoice, change, `${describeInvoiceState(invoice)}, and only ${amountPaid} (minor units) of it was paid, not ${change.amount}.`);
      next = {
        amountPaid: amountPaid - change.amount,
        amountCredited,
        amountWrittenOff: amountWrittenOff + writeOffAgain,
        amountDue: amountDue + change.amount - writeOffAgain,
      };
      break;
    }
    case "credit":
      positive(invoice, change, change.amount);
      if (change.amount > amountDue)
        refuse(invoice, change, `${describeInvoiceState(invoice)}, and ${amountDue} (minor units) is owed, less than ${change.amount}.`);
      next = { amountPaid, amountCredited: amountCredited + change.amount, amountWrittenOff, amountDue: amountDue - change.amount };
      break;
    case "uncredit":
      positive(invoice, change, change.amount);
      if (change.amount > amountCredited)
        refuse(invoice, change, `${describeInvoiceState(invoice)}, and only ${amountCredited} (minor units) of it was credited, not ${change.amount}.`);
      next = { amountPaid, amountCredited: amountCredited - change.amount, amountWrittenOff, amountDue: amountDue + change.amount };
      break;
    case "write_off":
      if (amountDue <= 0) refuse(invoice, change, `${describeInvoiceState(invoice)} and nothing is owed, so nothing can be written off.`);
      next = { amountPaid, amountCredited, amountWrittenOff: amountWrittenOff + amountDue, amountDue: 0 };
      status = "uncollectible";
      break;
    case "reverse_write_off":
      if (amountWrittenOff <= 0) refuse(invoice, change, `${describeInvoiceState(invoice)} but has nothing written off to reopen.`);
      next = { amountPaid, amountCredited, amountWrittenOff: 0, amountDue: amountDue + amountWrittenOff };
      status = settledStatus(next, false);
      break;
    case "void":
      if (amountPaid > 0) refuse(invoice, change, `${describeInvoiceState(invoice)} and has payments; refund them before voiding.`);
      next = { amountPaid: 0, amountCredited: 0, amountWrittenOff, amountDue: 0 };
      status = "void";
      break;
  }
  if (next.amountPaid < 0 || next.amountCredited < 0 || next.amountWrittenOff < 0 || next.amountDue < 0) {
    throw new Error(`changeInvoiceBalance(${change.kind}) on ${invoice.id} would make a negative amount: ${JSON.stringify(next)}`);
  }
  if (status !== "void" && next.amountDue !== invoice.total - next.amountPaid - next.amountCredited - next.amountWrittenOff) {
    throw new Error(
      `changeInvoiceBalance(${change.kind}) on ${invoice.id} would break amount due = total − paid − credited − written off: ${JSON.stringify(next)}`,
    );
  }
  return { ...next, status: status ?? settledStatus(next, wasWrittenOff), recovered };
}

/** What changed on the row: the money fields, the status, and the change's own columns. */
export type ChangedInvoice = MoneyFields & {
  recovered: number;
  updatedAt: Date;
  number?: string;
  dueDate?: Date;
  finalizedAt?: Date;
  voidedAt?: Date;
  voidReason?: string;
  uncollectibleAt?: Date | null;
  uncollectibleReason?: string | null;
};

/**
 * Applies `change` to an invoice the caller has locked (lockInvoice / lockInvoiceRow in this
 * transaction) and read after locking: one UPDATE of its money fields and status (and, for
 * finalize, write-off and void, the columns that go with them). Returns what changed, to merge
 * into the caller's copy of the row.
 */
export async function changeInvoiceBalance(tx: Tx | Sql, invoice: InvoiceBalance, change: BalanceChange): Promise<ChangedInvoice> {
  const next = nextBalance(invoice, change);
  const updatedAt = new Date();
  const extra: Omit<ChangedInvoice, keyof MoneyFields | "recovered" | "updatedAt"> = {};
  let dueDate: string | undefined;
  if (change.kind === "finalize") {
    Object.assign(extra, { number: change.number, dueDate: fromIsoDate(change.dueDate), finalizedAt: change.finalizedAt });
    dueDate = change.dueDate;
  } else if (change.kind === "write_off") {
    Object.assign(extra, { uncollectibleAt: change.at, uncollectibleReason: change.reason });
  } else if (change.kind === "reverse_write_off") {
    Object.assign(extra, { uncollectibleAt: null, uncollectibleReason: null });
  } else if (change.kind === "void") {
    Object.assign(extra, { voidedAt: change.at, voidReason: change.reason });
  }
  const { recovered: _recovered, ...money } = next;
  const columns = { ...money, ...extra, dueDate, updatedAt };
  await sqlOf(tx).write(sql`UPDATE invoices SET ${sql.assignments(columns)} WHERE id = ${invoice.id}::uuid`, { joins: ["invoices"] });
  return { ...next, ...extra, updatedAt };
}
