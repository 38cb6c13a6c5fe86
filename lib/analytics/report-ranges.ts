import { addDays, todayIn } from "@/lib/invoices/dates";
import { periodBuckets } from "./analytics-period";
import type { AnalyticsPeriod, Compared, DateRange } from "./analytics.types";

export type TaggedRange = DateRange & { tag: string };

export const CURRENT = "current";
export const PREVIOUS = "previous";
/** The 90 days up to today (days in A/R). */
export const LAST_90_DAYS = "last90";

/** A series bucket's tag. */
export function bucketTag(bucket: DateRange): string {
  return `bucket:${bucket.from}`;
}

/** The period, the previous period and the period's buckets, tagged. */
export function periodRanges(period: AnalyticsPeriod): TaggedRange[] {
  return [
    { tag: CURRENT, from: period.from, to: period.to },
    { tag: PREVIOUS, ...period.previous },
    ...periodBuckets(period, period.granularity).map((bucket) => ({ tag: bucketTag(bucket), ...bucket })),
  ];
}

/** The last 90 clinic days up to today. */
export function last90Days(timezone: string, now: Date): TaggedRange {
  const today = todayIn(timezone, now);
  return { tag: LAST_90_DAYS, from: addDays(today, -89), to: today };
}

export function compared<T>(read: (tag: string) => T, pick: (value: T) => number): Compared {
  return { current: pick(read(CURRENT)), previous: pick(read(PREVIOUS)) };
}
