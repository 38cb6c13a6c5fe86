import type { Db } from "@/lib/db/client";
import { fromIsoDate, startOfDayIn, todayIn } from "@/lib/invoices/dates";

export type DashboardSummary = {
  currency: string;
  outstanding: { amount: number; count: number };
  overdue: { amount: number; count: number };
  /** Payments received (card and manual, voided ones excluded) since the first of this month (clinic time zone). */
  collectedThisMonth: { amount: number; count: number };
  /** Refunds requested this month that did not fail (pending or succeeded). */
  refundedThisMonth: { amount: number; count: number };
  drafts: number;
};

/** The figures on the dashboard's first row, in the clinic's currency. */
export async function getDashboardSummary(db: Db, options: { organizationId: string }): Promise<DashboardSummary> {
  const organization = await db.organization.findUniqueOrThrow({ where: { id: options.organizationId }, select: { currency: true, timezone: true } });
  const today = todayIn(organization.timezone);
  const monthStart = startOfDayIn(`${today.slice(0, 8)}01`, organization.timezone);
  const base = { organizationId: options.organizationId, currency: organization.currency };
  const [outstanding, overdue, collected, refunded, drafts] = await Promise.all([
    db.invoice.aggregate({ where: { ...base, status: { in: ["open", "partially_paid"] } }, _sum: { amountDue: true }, _count: true }),
    db.invoice.aggregate({
      where: { ...base, status: { in: ["open", "partially_paid"] }, dueDate: { lt: fromIsoDate(today) } },
      _sum: { amountDue: true },
      _count: true,
    }),
    db.payment.aggregate({ where: { ...base, status: "succeeded", succeededAt: { gte: monthStart } }, _sum: { amountReceived: true }, _count: true }),
    db.refund.aggregate({ where: { ...base, status: { in: ["pending", "succeeded"] }, createdAt: { gte: monthStart } }, _sum: { amount: true }, _count: true }),
    db.invoice.count({ where: { organizationId: options.organizationId, status: "draft" } }),
  ]);
  return {
    currency: organization.currency,
    outstanding: { amount: outstanding._sum.amountDue ?? 0, count: outstanding._count },
    overdue: { amount: overdue._sum.amountDue ?? 0, count: overdue._count },
    collectedThisMonth: { amount: collected._sum.amountReceived ?? 0, count: collected._count },
    refundedThisMonth: { amount: refunded._sum.amount ?? 0, count: refunded._count },
    drafts,
  };
}
