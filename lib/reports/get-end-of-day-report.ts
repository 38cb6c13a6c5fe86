import type { Db } from "@/lib/db/client";
import { fromIsoDate } from "@/lib/invoices/dates";
import type { ManualPaymentMethod } from "@/lib/payments/manual-payments.types";
import type { DrawerMethod, DrawerTotals, EndOfDayPayment, EndOfDayReport, EndOfDayStaffSection } from "./end-of-day.types";

export function drawerMethodOf(method: ManualPaymentMethod): DrawerMethod {
  return method === "bank_transfer" ? "other" : method;
}

/** Adds up payments per currency (in first-seen order), cash with what was tendered and given back. */
export function drawerTotals(payments: readonly EndOfDayPayment[]): DrawerTotals[] {
  const byCurrency = new Map<string, DrawerTotals>();
  for (const payment of payments) {
    let totals = byCurrency.get(payment.currency);
    if (!totals) {
      totals = {
        currency: payment.currency,
        cash: { count: 0, tendered: 0, change: 0, net: 0 },
        check: { count: 0, amount: 0 },
        cardTerminal: { count: 0, amount: 0 },
        other: { count: 0, amount: 0 },
        total: { count: 0, amount: 0 },
      };
      byCurrency.set(payment.currency, totals);
    }
    const method = drawerMethodOf(payment.method);
    if (method === "cash") {
      totals.cash.count += 1;
      totals.cash.tendered += payment.cashTendered ?? payment.amount;
      totals.cash.change += payment.changeGiven ?? 0;
      totals.cash.net += payment.amount;
    } else {
      const bucket = method === "check" ? totals.check : method === "card_terminal" ? totals.cardTerminal : totals.other;
      bucket.count += 1;
      bucket.amount += payment.amount;
    }
    totals.total.count += 1;
    totals.total.amount += payment.amount;
  }
  return [...byCurrency.values()];
}

/**
 * The front desk's end-of-day count for one clinic calendar day: the manual payments (cash,
 * checks, card terminal, bank transfers) whose date received is that day, per staff member who
 * recorded them and per method, with the cash tendered and the change given back. Voided payments
 * are listed apart and not counted. Card payments through Stripe never pass the desk and are not
 * in it. Scoped to one organization.
 */
export async function getEndOfDayReport(db: Db, options: { organizationId: string; date: string }): Promise<EndOfDayReport> {
  const rows = await db.payment.findMany({
    where: {
      organizationId: options.organizationId,
      source: "manual",
      status: { in: ["succeeded", "voided"] },
      receivedOn: fromIsoDate(options.date),
    },
    include: {
      patient: { select: { firstName: true, lastName: true } },
      allocations: { select: { invoice: { select: { number: true, finalizedAt: true } } } },
    },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  const staffIds = [...new Set(rows.map((row) => row.recordedById).filter((id): id is string => id !== null))];
  const users = staffIds.length > 0 ? await db.user.findMany({ where: { id: { in: staffIds } }, select: { id: true, name: true } }) : [];
  const names = new Map(users.map((user) => [user.id, user.name]));

  const payments: EndOfDayPayment[] = rows.map((row) => ({
    id: row.id,
    method: row.methodType as ManualPaymentMethod,
    currency: row.currency,
    amount: row.amount,
    cashTendered: row.methodType === "cash" ? (row.cashTendered ?? row.amount) : null,
    changeGiven: row.methodType === "cash" ? (row.cashTendered ?? row.amount) - row.amount : null,
    reference: row.reference,
    patientName: row.patient ? `${row.patient.firstName} ${row.patient.lastName}` : null,
    invoiceNumbers: row.allocations
      .map((allocation) => allocation.invoice)
      .sort((a, b) => (a.finalizedAt?.getTime() ?? 0) - (b.finalizedAt?.getTime() ?? 0))
      .map((invoice) => invoice.number)
      .filter((number): number is string => number !== null),
    recordedAt: row.createdAt,
    recordedById: row.recordedById,
    recordedByName: (row.recordedById && names.get(row.recordedById)) || "Integration (API)",
    voidedAt: row.voidedAt,
    voidReason: row.voidReason,
  }));

  const counted = payments.filter((payment) => payment.voidedAt === null);
  const sections = new Map<string, EndOfDayStaffSection>();
  for (const payment of counted) {
    const key = payment.recordedById ?? "";
    let section = sections.get(key);
    if (!section) {
      section = { staffId: payment.recordedById, staffName: payment.recordedByName, payments: [], totals: [] };
      sections.set(key, section);
    }
    section.payments.push(payment);
  }
  const staff = [...sections.values()]
    .map((section) => ({ ...section, totals: drawerTotals(section.payments) }))
    .sort((a, b) => a.staffName.localeCompare(b.staffName));
  return {
    date: options.date,
    staff,
    checks: counted.filter((payment) => payment.method === "check"),
    voided: payments.filter((payment) => payment.voidedAt !== null),
    totals: drawerTotals(counted),
  };
}
