import { addDays, todayIn } from "@/lib/invoices/dates";
import type { DateRange } from "./analytics.types";

/** The tags report statements group by: the period, the previous period, the 90 days up to today (days in A/R), and series buckets. */
export const CURRENT = "current";
export const PREVIOUS = "previous";
export const LAST_90_DAYS = "last90";

/** A series bucket's tag: its first day (the statements make it as 'bucket:' || the bucket's first day, clipped to the period). */
export function bucketTag(bucket: DateRange): string {
  return `bucket:${bucket.from}`;
}

/** The last 90 clinic days up to today. */
export function last90Days(timezone: string, now: Date): DateRange {
  const today = todayIn(timezone, now);
  return { from: addDays(today, -89), to: today };
}
