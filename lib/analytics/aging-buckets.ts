import { addDays } from "@/lib/invoices/dates";
import { AGING_BUCKETS, type AgingBucketKey, type DateRange } from "./analytics.types";

/** The invoice list's `age=` values: each aging bucket, and "91+" (A/R over 90 days). */
export const AGE_FILTERS = [...AGING_BUCKETS, "91+"] as const;
export type AgeFilter = (typeof AGE_FILTERS)[number];

/** Each bucket's ages in whole days past the invoice date (its finalization day on the clinic's calendar); `max` null for the last. */
export const AGING_BUCKET_AGES: Record<AgeFilter, { min: number; max: number | null; label: string }> = {
  "0-30": { min: 0, max: 30, label: "0–30 days" },
  "31-60": { min: 31, max: 60, label: "31–60 days" },
  "61-90": { min: 61, max: 90, label: "61–90 days" },
  "91-120": { min: 91, max: 120, label: "91–120 days" },
  "120+": { min: 121, max: null, label: "Over 120 days" },
  "91+": { min: 91, max: null, label: "Over 90 days" },
};

/**
 * The invoice dates (clinic calendar days, both inclusive) whose invoices fall in an aging bucket
 * on `asOf`: an invoice finalized on `asOf − 45` is 45 days old, in 31–60. `from` is open for the
 * oldest bucket. The invoice list's `age=` filter and the aging report count the same invoices.
 */
export function agingBucketDays(bucket: AgeFilter, asOf: string): Partial<DateRange> & { to: string } {
  const ages = AGING_BUCKET_AGES[bucket];
  return { ...(ages.max === null ? {} : { from: addDays(asOf, -ages.max) }), to: addDays(asOf, -ages.min) };
}

/** The bucket of an age in days past the invoice date (an invoice dated in the future counts as 0–30). */
export function agingBucket(days: number): AgingBucketKey {
  return AGING_BUCKETS.find((key) => (AGING_BUCKET_AGES[key].max ?? Infinity) >= days) ?? "120+";
}

/** Whether a bucket's invoices are all more than 90 days old (A/R over 90 days). */
export function isOver90(bucket: AgingBucketKey): boolean {
  return AGING_BUCKET_AGES[bucket].min > 90;
}
