import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { stripeEventLabel } from "./stripe-event-label";

export type PaymentTimelineEntry = {
  at: Date;
  kind: "attempt" | "stripe_event" | "journal";
  title: string;
  detail?: string;
  /** For journals: each account with its amount (debit positive), minor units. */
  lines?: { account: string; amount: number }[];
};

/**
 * One payment with its timeline: the attempt itself, the Stripe events applied to it, and the
 * journals it posted, oldest first. 404 for other organizations' payments.
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
  const [events, journals] = await Promise.all([
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
  ]);
  const timeline: PaymentTimelineEntry[] = [
    { at: payment.createdAt, kind: "attempt", title: `Attempt started (${payment.source.replace("_", " ")})` },
    ...events.map((event) => ({
      at: event.stripeCreatedAt,
      kind: "stripe_event" as const,
      title: stripeEventLabel(event.type),
      detail: `${event.type} · ${event.id}`,
    })),
    ...journals.map((journal) => ({
      at: journal.createdAt,
      kind: "journal" as const,
      title: journal.memo,
      lines: journal.lines.map((line) => ({ account: `${line.account.code} ${line.account.name}`, amount: line.amount })),
    })),
  ];
  if (payment.failureMessage) timeline.push({ at: payment.updatedAt, kind: "attempt", title: "Declined", detail: payment.failureMessage });
  // Stripe dates its events to the second: within one second the attempt comes first, then
  // Stripe's events, then what the app booked from them.
  const order = { attempt: 0, stripe_event: 1, journal: 2 } as const;
  const second = (entry: PaymentTimelineEntry) => Math.floor(entry.at.getTime() / 1000);
  timeline.sort((a, b) => second(a) - second(b) || order[a.kind] - order[b.kind] || a.at.getTime() - b.at.getTime());
  return { payment, timeline };
}
