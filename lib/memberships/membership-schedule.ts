import { installmentDueDate } from "@/lib/payment-plans/plan-schedule";

export type MembershipInterval = "monthly" | "yearly";

/**
 * The start of period `sequence` (1 = the start date). Periods keep the start date's day as their
 * anchor: a day a month lacks falls on its last day (Jan 31 → Feb 28 → Mar 31), a yearly Feb 29
 * on Feb 28, and the next period returns to the anchor, never drifting.
 */
export function periodStartOf(startDate: string, interval: MembershipInterval, sequence: number): string {
  return installmentDueDate(startDate, "monthly", (sequence - 1) * (interval === "yearly" ? 12 : 1));
}

/** Period `sequence` as [start, end): end is the next period's start. */
export function periodOf(startDate: string, interval: MembershipInterval, sequence: number): { sequence: number; start: string; end: string } {
  return { sequence, start: periodStartOf(startDate, interval, sequence), end: periodStartOf(startDate, interval, sequence + 1) };
}

/**
 * The next period to invoice after the last invoiced one (`lastSequence`, 0 for none): the one after
 * it, except that periods starting before `resumedOn` (they started while the membership was paused)
 * are skipped, so billing resumes at the first period start on or after the resume date.
 */
export function nextPeriodOf(
  membership: { startDate: string; interval: MembershipInterval; resumedOn: string | null },
  lastSequence: number,
): { sequence: number; start: string; end: string } {
  let sequence = lastSequence + 1;
  while (membership.resumedOn && periodStartOf(membership.startDate, membership.interval, sequence) < membership.resumedOn) sequence++;
  return periodOf(membership.startDate, membership.interval, sequence);
}

/** The unused share of a period by days on `today` (the clinic's date), rounded down: what staff are offered to refund when canceling now. */
export function unusedShare(amount: number, period: { start: string; end: string }, today: string): number {
  const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;
  const total = day(period.end) - day(period.start);
  const left = Math.min(Math.max(day(period.end) - day(today), 0), total);
  return total > 0 ? Math.floor((amount * left) / total) : 0;
}
