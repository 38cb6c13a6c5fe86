import { formatMoney } from "@/lib/money/currency";
import { declineMessage } from "./decline-reasons";
import { stripeEventLabel } from "./stripe-event-label";

/**
 * What happened to a payment, in order. Each entry keeps the time it happened (never a row's
 * updated_at, which any later change moves). Staff read `title` and `detail`; `technical`
 * (Stripe event type and id, ledger accounts with Dr/Cr) is for admins, behind a disclosure.
 */
export type PaymentTimelineEntry = {
  /** Stable and unique within the timeline (the last tie-breaker). */
  id: string;
  at: Date;
  /** Causal step (TIMELINE_RANK): breaks ties between entries of the same second. */
  rank: number;
  title: string;
  detail?: string;
  tone?: "default" | "success" | "danger";
  technical?: { eventType?: string; eventId?: string; lines?: { account: string; amount: number }[] };
};

/**
 * The order of causes and effects when times tie: an attempt is created, may need authentication,
 * may be declined, then processes, is authorized or succeeds; the app books it; later it may be
 * refunded (requested, then done or failed), disputed, canceled or voided.
 */
export const TIMELINE_RANK = {
  created: 0,
  action: 10,
  declined: 20,
  processing: 30,
  authorized: 40,
  succeeded: 50,
  booked: 60,
  fee: 61,
  canceled: 70,
  refundRequested: 80,
  refundDone: 90,
  refundFailed: 95,
  dispute: 100,
  voided: 110,
  other: 200,
} as const;

const EVENT_RANKS: Record<string, number> = {
  "payment_intent.created": TIMELINE_RANK.created,
  "payment_intent.requires_action": TIMELINE_RANK.action,
  "payment_intent.payment_failed": TIMELINE_RANK.declined,
  "payment_intent.processing": TIMELINE_RANK.processing,
  "payment_intent.amount_capturable_updated": TIMELINE_RANK.authorized,
  "payment_intent.succeeded": TIMELINE_RANK.succeeded,
  "charge.succeeded": TIMELINE_RANK.succeeded,
  "payment_intent.canceled": TIMELINE_RANK.canceled,
  "charge.refunded": TIMELINE_RANK.refundDone,
  "charge.refund.updated": TIMELINE_RANK.refundDone,
  "refund.created": TIMELINE_RANK.refundRequested,
  "refund.updated": TIMELINE_RANK.refundDone,
  "refund.failed": TIMELINE_RANK.refundFailed,
};

const JOURNAL_RANKS: Record<string, number> = {
  "payment.succeeded": TIMELINE_RANK.booked,
  "payment.recorded": TIMELINE_RANK.booked,
  "payment.fee": TIMELINE_RANK.fee,
  "payment.voided": TIMELINE_RANK.voided,
};

/**
 * Oldest first. Stripe dates its events to the second, so times are compared to the second; within
 * one second the causal rank decides, then the exact time, then the id (a stable order for equal
 * everything).
 */
export function orderTimeline(entries: readonly PaymentTimelineEntry[]): PaymentTimelineEntry[] {
  const second = (entry: PaymentTimelineEntry) => Math.floor(entry.at.getTime() / 1000);
  return [...entries].sort((a, b) => second(a) - second(b) || a.rank - b.rank || a.at.getTime() - b.at.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export type TimelineSources = {
  payment: {
    id: string;
    source: string;
    status: string;
    currency: string;
    createdAt: Date;
    failureCode: string | null;
    failureMessage: string | null;
    failedAt: Date | null;
    canceledAt: Date | null;
    voidedAt: Date | null;
    voidReason: string | null;
  };
  events: { id: string; type: string; stripeCreatedAt: Date }[];
  journals: { id: string; kind: string; memo: string; createdAt: Date; lines: { account: string; amount: number }[] }[];
  refunds: { id: string; amount: number; status: string; createdAt: Date; succeededAt: Date | null; failedAt: Date | null; failureReason: string | null }[];
};

const STARTED: Record<string, string> = {
  pay_page: "Patient started paying on the pay page",
  desk_card: "Staff took the card at the front desk",
  saved_card: "Staff charged the saved card",
  manual: "Recorded at the front desk",
};

/** Where Stripe's own label reads oddly beside the app's entries (the refund has its own entries). */
const STAFF_EVENT_TITLES: Record<string, string> = {
  "payment_intent.payment_failed": "Card declined",
  "charge.refunded": "Stripe confirmed the refund",
  "charge.refund.updated": "Stripe updated the refund",
};

/** Staff words for a Stripe event on this payment. */
function eventTitle(type: string): string {
  if (STAFF_EVENT_TITLES[type]) return STAFF_EVENT_TITLES[type];
  return stripeEventLabel(type)
    .replace(/^Stripe: /, "")
    .replace(/^\w/, (letter) => letter.toUpperCase());
}

/** Every entry of a payment's timeline, in order (orderTimeline). */
export function buildPaymentTimeline(sources: TimelineSources): PaymentTimelineEntry[] {
  const { payment } = sources;
  const money = (amount: number) => formatMoney(amount, payment.currency);
  const entries: PaymentTimelineEntry[] = [
    { id: `created:${payment.id}`, at: payment.createdAt, rank: TIMELINE_RANK.created, title: STARTED[payment.source] ?? "Payment started" },
  ];

  // Declines: one per payment_failed event; the latest carries the reason we know (the payment keeps the last one).
  const declines = sources.events.filter((event) => event.type === "payment_intent.payment_failed");
  const latestDecline = declines.reduce<(typeof declines)[number] | null>(
    (latest, event) => (!latest || event.stripeCreatedAt >= latest.stripeCreatedAt ? event : latest),
    null,
  );
  for (const event of sources.events) {
    const declined = event.type === "payment_intent.payment_failed";
    entries.push({
      id: `event:${event.id}`,
      at: event.stripeCreatedAt,
      rank: EVENT_RANKS[event.type] ?? TIMELINE_RANK.other,
      title: declined && event === latestDecline ? declineMessage(payment.failureCode) : eventTitle(event.type),
      ...(declined ? { tone: "danger" as const } : event.type === "payment_intent.succeeded" ? { tone: "success" as const } : {}),
      technical: { eventType: event.type, eventId: event.id },
    });
  }
  // A decline known without its event (the event not received yet): at the time it was recorded.
  if (declines.length === 0 && payment.failedAt && (payment.failureCode || payment.failureMessage)) {
    entries.push({
      id: `declined:${payment.id}`,
      at: payment.failedAt,
      rank: TIMELINE_RANK.declined,
      title: declineMessage(payment.failureCode),
      tone: "danger",
    });
  }
  if (payment.canceledAt && !sources.events.some((event) => event.type === "payment_intent.canceled")) {
    entries.push({
      id: `canceled:${payment.id}`,
      at: payment.canceledAt,
      rank: TIMELINE_RANK.canceled,
      title: "Canceled",
      ...(payment.failureMessage && !payment.failureCode ? { detail: payment.failureMessage } : {}),
    });
  }
  for (const journal of sources.journals) {
    entries.push({
      id: `journal:${journal.id}`,
      at: journal.createdAt,
      rank: JOURNAL_RANKS[journal.kind] ?? TIMELINE_RANK.booked,
      title: `Booked in the ledger: ${journal.memo}`,
      technical: { lines: journal.lines },
    });
  }
  for (const refund of sources.refunds) {
    entries.push({
      id: `refund:${refund.id}:requested`,
      at: refund.createdAt,
      rank: TIMELINE_RANK.refundRequested,
      title: `Refund of ${money(refund.amount)} requested`,
    });
    if (refund.succeededAt) {
      entries.push({
        id: `refund:${refund.id}:succeeded`,
        at: refund.succeededAt,
        rank: TIMELINE_RANK.refundDone,
        title: `Refund of ${money(refund.amount)} completed`,
        tone: "success",
      });
    }
    if (refund.failedAt) {
      entries.push({
        id: `refund:${refund.id}:failed`,
        at: refund.failedAt,
        rank: TIMELINE_RANK.refundFailed,
        title: `Refund of ${money(refund.amount)} failed`,
        tone: "danger",
        ...(refund.failureReason ? { detail: refund.failureReason } : {}),
      });
    }
  }
  if (payment.voidedAt) {
    entries.push({
      id: `voided:${payment.id}`,
      at: payment.voidedAt,
      rank: TIMELINE_RANK.voided,
      title: "Voided",
      ...(payment.voidReason ? { detail: payment.voidReason } : {}),
    });
  }
  return orderTimeline(entries);
}
