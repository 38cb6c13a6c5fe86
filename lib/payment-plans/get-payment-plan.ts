import { listAttemptViews } from "@/lib/autopay/list-attempt-views";
import type { Db, Tx } from "@/lib/db/client";
import type { PaymentPlanStatus } from "@/lib/db/generated/enums";
import { AppError } from "@/lib/errors";
import { toIsoDate } from "@/lib/invoices/dates";
import type { PaymentPlanSummary, PaymentPlanView } from "./payment-plans.types";

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/** What a plan's invoices still owe now, by plan. */
async function remainingByPlan(db: Db | Tx, planIds: string[]): Promise<Map<string, number>> {
  const links = await db.paymentPlanInvoice.findMany({
    where: { planId: { in: planIds } },
    select: { planId: true, invoice: { select: { amountDue: true, status: true } } },
  });
  const remaining = new Map<string, number>();
  for (const link of links) {
    const owed = link.invoice.status === "open" || link.invoice.status === "partially_paid" ? link.invoice.amountDue : 0;
    remaining.set(link.planId, (remaining.get(link.planId) ?? 0) + owed);
  }
  return remaining;
}

type PlanRow = {
  id: string;
  patientId: string;
  status: PaymentPlanStatus;
  currency: string;
  totalAmount: number;
  downPaymentAmount: number;
  installmentCount: number;
  frequency: "weekly" | "biweekly" | "monthly";
  startDate: Date;
  createdAt: Date;
};

function summary(plan: PlanRow, remaining: number): PaymentPlanSummary {
  return {
    id: plan.id,
    patientId: plan.patientId,
    status: plan.status,
    currency: plan.currency,
    totalAmount: plan.totalAmount,
    downPaymentAmount: plan.downPaymentAmount,
    installmentCount: plan.installmentCount,
    frequency: plan.frequency,
    startDate: toIsoDate(plan.startDate)!,
    remainingAmount: remaining,
    createdAt: plan.createdAt.toISOString(),
  };
}

/** One plan of the organization with its invoices, schedule and every charge attempt; 404 for another organization's. */
export async function getPaymentPlanOrThrow(db: Db | Tx, options: { organizationId: string; planId: string }): Promise<PaymentPlanView> {
  const plan = await db.paymentPlan.findFirst({
    where: { id: options.planId, organizationId: options.organizationId },
    include: {
      card: { select: { id: true, brand: true, last4: true, expMonth: true, expYear: true } },
      invoices: { include: { invoice: { select: { number: true, amountDue: true, status: true } } } },
      installments: { orderBy: { sequence: "asc" } },
    },
  });
  if (!plan) throw new AppError("NOT_FOUND", "That payment plan does not exist.");
  const attempts = await listAttemptViews(db, {
    organizationId: options.organizationId,
    subjectType: "plan_installment",
    subjectIds: plan.installments.map((row) => row.id),
  });
  const remaining = (await remainingByPlan(db, [plan.id])).get(plan.id) ?? 0;
  return {
    ...summary(plan, remaining),
    reminderDaysBefore: plan.reminderDaysBefore,
    card: plan.card,
    invoices: plan.invoices.map((link) => ({
      id: link.invoiceId,
      number: link.invoice.number,
      amountAtStart: link.amountAtStart,
      amountDue: link.invoice.status === "open" || link.invoice.status === "partially_paid" ? link.invoice.amountDue : 0,
    })),
    installments: plan.installments.map((row) => ({
      id: row.id,
      sequence: row.sequence,
      dueDate: toIsoDate(row.dueDate)!,
      scheduledAmount: row.scheduledAmount,
      paidAmount: row.paidAmount,
      status: row.status,
      attempts: attempts.get(row.id) ?? [],
    })),
    pausedAt: iso(plan.pausedAt),
    canceledAt: iso(plan.canceledAt),
    completedAt: iso(plan.completedAt),
    defaultedAt: iso(plan.defaultedAt),
  };
}

/** The organization's plans, newest first, optionally of one patient or in one state; keyset pages by id. */
export async function listPaymentPlans(
  db: Db | Tx,
  options: { organizationId: string; patientId?: string; status?: PaymentPlanStatus; cursor?: string; limit: number },
): Promise<{ data: PaymentPlanSummary[]; nextCursor: string | null }> {
  const rows = await db.paymentPlan.findMany({
    where: {
      organizationId: options.organizationId,
      ...(options.patientId ? { patientId: options.patientId } : {}),
      ...(options.status ? { status: options.status } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: options.limit + 1,
    ...(options.cursor ? { cursor: { id: options.cursor }, skip: 1 } : {}),
  });
  const page = rows.slice(0, options.limit);
  const remaining = await remainingByPlan(
    db,
    page.map((plan) => plan.id),
  );
  return { data: page.map((plan) => summary(plan, remaining.get(plan.id) ?? 0)), nextCursor: rows.length > options.limit ? page[page.length - 1]!.id : null };
}

/** The plans an invoice is (or was) on, newest first: their id and state, for the invoice page. */
export async function listInvoicePaymentPlans(db: Db | Tx, options: { organizationId: string; invoiceId: string }) {
  const links = await db.paymentPlanInvoice.findMany({
    where: { organizationId: options.organizationId, invoiceId: options.invoiceId },
    select: { plan: { select: { id: true, status: true, createdAt: true } } },
  });
  return links.map((link) => link.plan).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
}
