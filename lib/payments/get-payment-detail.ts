import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { paymentDisplayState, refundTotals } from "./payment-display-state";
import { buildPaymentTimeline } from "./payment-timeline";

export type { PaymentTimelineEntry } from "./payment-timeline";

/**
 * One payment with its display state and its timeline: the attempt itself, the Stripe events
 * applied to it, the journals it posted and its refunds, each at its own time, in order
 * (buildPaymentTimeline). 404 for other organizations' payments.
 */
export async function getPaymentDetail(db: Db, options: { organizationId: string; paymentId: string }) {
  const payment = await db.payment.findFirst({
    where: { id: options.paymentId, organizationId: options.organizationId },
    include: {
      invoice: { select: { id: true, number: true, status: true, amountDue: true } },
      patient: { select: { id: true, firstName: true, lastName: true } },
    },
  });
  if (!payment) throw new AppError("NOT_FOUND", "That payment does not exist.");
  const [events, journals, refunds] = await Promise.all([
    payment.stripePaymentIntentId
      ? db.stripeEvent.findMany({
          where: { objectId: { in: [payment.stripePaymentIntentId, ...(payment.stripeChargeId ? [payment.stripeChargeId] : [])] } },
          orderBy: { stripeCreatedAt: "asc" },
        })
      : Promise.resolve([]),
    db.journalEntry.findMany({
      where: { sourceType: "payment", sourceId: payment.id },
      include: { lines: { include: { account: { select: { code: true, name: true } } } } },
      orderBy: { createdAt: "asc" },
    }),
    db.refund.findMany({ where: { paymentId: payment.id }, orderBy: { createdAt: "asc" } }),
  ]);
  const timeline = buildPaymentTimeline({
    payment,
    events,
    journals: journals.map((journal) => ({
      id: journal.id,
      kind: journal.kind,
      memo: journal.memo,
      createdAt: journal.createdAt,
      lines: journal.lines.map((line) => ({ account: `${line.account.code} ${line.account.name}`, amount: line.amount })),
    })),
    refunds,
  });
  const display = paymentDisplayState({ ...payment, ...refundTotals(refunds) });
  return { payment, display, timeline };
}
