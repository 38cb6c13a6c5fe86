import { listAttemptViews } from "@/lib/autopay/list-attempt-views";
import type { Db, Tx } from "@/lib/db/client";
import type { MembershipStatus } from "@/lib/db/generated/enums";
import { AppError } from "@/lib/errors";
import { todayIn, toIsoDate } from "@/lib/invoices/dates";
import { getChargeableCard } from "@/lib/payments/get-chargeable-card";
import { nextPeriodOf, unusedShare } from "./membership-schedule";
import { LIVE_MEMBERSHIP_STATUSES, type MembershipSummary, type MembershipView } from "./memberships.types";

const INCLUDE = {
  patient: { select: { firstName: true, lastName: true } },
  membershipPlan: { select: { name: true, amount: true, currency: true, interval: true } },
  organization: { select: { timezone: true } },
  periods: { orderBy: { sequence: "desc" as const }, take: 1 },
} as const;

type MembershipRow = {
  id: string;
  organizationId: string;
  patientId: string;
  membershipPlanId: string;
  status: MembershipStatus;
  startDate: Date;
  resumedOn: Date | null;
  savedPaymentMethodId: string | null;
  cancelAtPeriodEnd: boolean;
  cancelRequestedBy: "patient_online" | "staff_on_behalf" | null;
  canceledAt: Date | null;
  patient: { firstName: string; lastName: string };
  membershipPlan: { name: string; amount: number; currency: string; interval: "monthly" | "yearly" };
  periods: { sequence: number; periodStart: Date; periodEnd: Date }[];
};

/** The next period's start a membership will be invoiced for, or null when nothing more will be (paused, ending, ended). */
export function nextChargeDateOf(
  membership: Omit<MembershipRow, "patient" | "periods" | "membershipPlan"> & {
    membershipPlan: { interval: "monthly" | "yearly" };
    periods: { sequence: number }[];
  },
): string | null {
  if (membership.status !== "active" && membership.status !== "past_due") return null;
  if (membership.cancelAtPeriodEnd) return null;
  const next = nextPeriodOf(
    { startDate: toIsoDate(membership.startDate)!, interval: membership.membershipPlan.interval, resumedOn: toIsoDate(membership.resumedOn) },
    membership.periods[0]?.sequence ?? 0,
  );
  return next.start;
}

async function toSummary(db: Db | Tx, membership: MembershipRow): Promise<MembershipSummary> {
  const current = membership.periods[0] ?? null;
  const card = await getChargeableCard(db, {
    organizationId: membership.organizationId,
    patientId: membership.patientId,
    savedPaymentMethodId: membership.savedPaymentMethodId,
  });
  return {
    id: membership.id,
    patientId: membership.patientId,
    patientName: `${membership.patient.firstName} ${membership.patient.lastName}`,
    membershipPlanId: membership.membershipPlanId,
    planName: membership.membershipPlan.name,
    amount: membership.membershipPlan.amount,
    currency: membership.membershipPlan.currency,
    interval: membership.membershipPlan.interval,
    status: membership.status,
    startDate: toIsoDate(membership.startDate)!,
    currentPeriodStart: toIsoDate(current?.periodStart ?? null),
    currentPeriodEnd: toIsoDate(current?.periodEnd ?? null),
    nextChargeDate: nextChargeDateOf(membership),
    cancelAtPeriodEnd: membership.cancelAtPeriodEnd,
    cancelRequestedBy: membership.cancelRequestedBy,
    canceledAt: membership.canceledAt?.toISOString() ?? null,
    card: card ? { id: card.id, brand: card.brand, last4: card.last4, expMonth: card.expMonth, expYear: card.expYear } : null,
  };
}

/**
 * What "cancel now" may give back for a period: what its invoice received by card and has not
 * refunded (never more than the period's price).
 */
export async function refundablePeriodAmount(db: Db | Tx, period: { invoiceId: string; amount: number }): Promise<number> {
  const payments = await db.payment.findMany({
    where: { invoiceId: period.invoiceId, status: "succeeded", stripePaymentIntentId: { not: null } },
    select: { appliedAmount: true, amountRefunded: true, creditAmount: true },
  });
  const net = payments.reduce((sum, payment) => sum + Math.max(payment.appliedAmount + payment.creditAmount - payment.amountRefunded, 0), 0);
  return Math.min(net, period.amount);
}

/** One membership of the organization with its periods (newest first) and each period's charge attempts; 404 for another organization's. */
export async function getMembershipOrThrow(db: Db | Tx, options: { organizationId: string; membershipId: string; now?: Date }): Promise<MembershipView> {
  const membership = await db.patientMembership.findFirst({
    where: { id: options.membershipId, organizationId: options.organizationId },
    include: INCLUDE,
  });
  if (!membership) throw new AppError("NOT_FOUND", "That membership does not exist.");
  const periods = await db.membershipPeriod.findMany({
    where: { membershipId: membership.id },
    include: { invoice: { select: { number: true } } },
    orderBy: { sequence: "desc" },
  });
  const attempts = await listAttemptViews(db, {
    organizationId: options.organizationId,
    subjectType: "membership_period",
    subjectIds: periods.map((period) => period.id),
  });
  const current = periods[0];
  const isLive = (LIVE_MEMBERSHIP_STATUSES as readonly string[]).includes(membership.status);
  const refundableAmount = current && isLive && current.status === "paid" ? await refundablePeriodAmount(db, current) : 0;
  const today = todayIn(membership.organization.timezone, options.now ?? new Date());
  const suggestedRefund = current
    ? Math.min(refundableAmount, unusedShare(current.amount, { start: toIsoDate(current.periodStart)!, end: toIsoDate(current.periodEnd)! }, today))
    : 0;
  return {
    ...(await toSummary(db, membership)),
    periods: periods.map((period) => ({
      id: period.id,
      sequence: period.sequence,
      periodStart: toIsoDate(period.periodStart)!,
      periodEnd: toIsoDate(period.periodEnd)!,
      amount: period.amount,
      status: period.status,
      invoiceId: period.invoiceId,
      invoiceNumber: period.invoice.number,
      paidAt: period.paidAt?.toISOString() ?? null,
      attempts: attempts.get(period.id) ?? [],
    })),
    refundableAmount,
    suggestedRefund,
  };
}

/** The organization's memberships, newest first, optionally of one patient or in one state; keyset pages by id. */
export async function listMemberships(
  db: Db | Tx,
  options: { organizationId: string; patientId?: string; status?: MembershipStatus; cursor?: string; limit?: number },
): Promise<{ data: MembershipSummary[]; nextCursor: string | null }> {
  const limit = options.limit ?? 50;
  if (options.cursor) {
    const anchor = await db.patientMembership.findFirst({ where: { id: options.cursor, organizationId: options.organizationId }, select: { id: true } });
    if (!anchor) throw new AppError("VALIDATION_FAILED", "That cursor is not valid.", { fields: { cursor: ["Use the nextCursor of a previous page."] } });
  }
  const rows = await db.patientMembership.findMany({
    where: {
      organizationId: options.organizationId,
      ...(options.patientId ? { patientId: options.patientId } : {}),
      ...(options.status ? { status: options.status } : {}),
    },
    include: INCLUDE,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    ...(options.cursor ? { cursor: { id: options.cursor }, skip: 1 } : {}),
  });
  const page = rows.slice(0, limit);
  const data: MembershipSummary[] = [];
  for (const row of page) data.push(await toSummary(db, row));
  return { data, nextCursor: rows.length > limit ? page[page.length - 1]!.id : null };
}

/** The patient's live memberships (active, past due, paused), oldest first: the card-link page lists them. */
export async function listPatientLiveMemberships(db: Db | Tx, options: { organizationId: string; patientId: string }): Promise<MembershipSummary[]> {
  const rows = await db.patientMembership.findMany({
    where: { organizationId: options.organizationId, patientId: options.patientId, status: { in: [...LIVE_MEMBERSHIP_STATUSES] } },
    include: INCLUDE,
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  const data: MembershipSummary[] = [];
  for (const row of rows) data.push(await toSummary(db, row));
  return data;
}

/** The membership period an invoice bills, if it is one (the invoice page names the membership and period); null otherwise. */
export async function findInvoiceMembershipPeriod(
  db: Db | Tx,
  options: { organizationId: string; invoiceId: string },
): Promise<{ membershipId: string; planName: string; sequence: number; periodStart: string; periodEnd: string } | null> {
  const period = await db.membershipPeriod.findFirst({
    where: { invoiceId: options.invoiceId, organizationId: options.organizationId },
    select: { membershipId: true, sequence: true, periodStart: true, periodEnd: true, membership: { select: { membershipPlan: { select: { name: true } } } } },
  });
  if (!period) return null;
  return {
    membershipId: period.membershipId,
    planName: period.membership.membershipPlan.name,
    sequence: period.sequence,
    periodStart: toIsoDate(period.periodStart)!,
    periodEnd: toIsoDate(period.periodEnd)!,
  };
}
