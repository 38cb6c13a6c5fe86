import { z } from "zod";
import { addDays, todayIn } from "@/lib/invoices/dates";
import { GRANULARITIES, PERIOD_PRESETS, type AnalyticsPeriod, type DateRange, type Granularity, type PeriodPreset } from "./analytics.types";

/** The longest period a report covers (inclusive days): five years and their leap days. */
export const MAX_PERIOD_DAYS = 5 * 366;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const zCalendarDate = z
  .string()
  .regex(ISO_DATE, "Use a date like 2026-01-31")
  .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value), "Not a real date");

/**
 * A report's query (`?preset=&from=&to=&granularity=`), the same on the page and in the API. With
 * `from` and `to` the period is custom; with neither, the preset (this month by default). Errors
 * name the field: a `to` before `from`, a period over five years, an unknown granularity or preset.
 */
export const ZAnalyticsQuery = z
  .object({
    preset: z.enum(PERIOD_PRESETS, { error: `Choose one of ${PERIOD_PRESETS.join(", ")}` }).optional(),
    from: zCalendarDate.optional(),
    to: zCalendarDate.optional(),
    granularity: z.enum(GRANULARITIES, { error: `Choose one of ${GRANULARITIES.join(", ")}` }).optional(),
  })
  .superRefine((query, context) => {
    if ((query.from === undefined) !== (query.to === undefined)) {
      context.addIssue({ code: "custom", path: [query.from === undefined ? "from" : "to"], message: "Give both from and to, or neither" });
      return;
    }
    if (query.preset === "custom" && query.from === undefined)
      context.addIssue({ code: "custom", path: ["from"], message: "A custom period needs from and to" });
    if (query.from === undefined || query.to === undefined) return;
    if (query.to < query.from) context.addIssue({ code: "custom", path: ["to"], message: "Must be on or after from" });
    else if (daysBetween(query.from, query.to) + 1 > MAX_PERIOD_DAYS)
      context.addIssue({ code: "custom", path: ["to"], message: "A period can cover at most five years" });
  });
export type TAnalyticsQuery = z.infer<typeof ZAnalyticsQuery>;

/** Whole days from `from` to `to` (calendar dates). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

function firstOfMonth(isoDate: string, monthsBack = 0): string {
  const date = new Date(`${isoDate.slice(0, 7)}-01T00:00:00Z`);
  date.setUTCMonth(date.getUTCMonth() - monthsBack);
  return date.toISOString().slice(0, 10);
}

/** The dates a preset covers on the clinic's `today`. Periods end today at the latest. */
export function presetRange(preset: Exclude<PeriodPreset, "custom">, today: string): DateRange {
  switch (preset) {
    case "this_month":
      return { from: firstOfMonth(today), to: today };
    case "last_month":
      return { from: firstOfMonth(today, 1), to: addDays(firstOfMonth(today), -1) };
    case "last_30_days":
      return { from: addDays(today, -29), to: today };
    case "last_90_days":
      return { from: addDays(today, -89), to: today };
    case "year_to_date":
      return { from: `${today.slice(0, 4)}-01-01`, to: today };
    case "last_year": {
      const year = Number(today.slice(0, 4)) - 1;
      return { from: `${year}-01-01`, to: `${year}-12-31` };
    }
  }
}

/** The granularity a period reads best in when none was asked for: days up to two months, weeks up to six, then months. */
export function defaultGranularity(range: DateRange): Granularity {
  const days = daysBetween(range.from, range.to) + 1;
  return days <= 62 ? "day" : days <= 186 ? "week" : "month";
}

/** A parsed query resolved to dates in the clinic's time zone, with the previous period of the same length. */
export function resolveAnalyticsPeriod(query: TAnalyticsQuery, organization: { timezone: string; currency: string }, now = new Date()): AnalyticsPeriod {
  const today = todayIn(organization.timezone, now);
  const range: DateRange =
    query.from !== undefined && query.to !== undefined
      ? { from: query.from, to: query.to }
      : presetRange(query.preset === undefined || query.preset === "custom" ? "this_month" : query.preset, today);
  const length = daysBetween(range.from, range.to) + 1;
  return {
    ...range,
    granularity: query.granularity ?? defaultGranularity(range),
    previous: { from: addDays(range.from, -length), to: addDays(range.from, -1) },
    timezone: organization.timezone,
    currency: organization.currency,
  };
}

/** The first day of the bucket a date falls in: itself, its week's Monday, or its month's 1st. */
export function bucketStart(isoDate: string, granularity: Granularity): string {
  if (granularity === "day") return isoDate;
  if (granularity === "month") return firstOfMonth(isoDate);
  const weekday = new Date(`${isoDate}T00:00:00Z`).getUTCDay(); // 0 Sunday … 6 Saturday
  return addDays(isoDate, -((weekday + 6) % 7));
}

/** The buckets of a period in order, each clipped to the period (the first week may start mid-week). */
export function periodBuckets(range: DateRange, granularity: Granularity): DateRange[] {
  const buckets: DateRange[] = [];
  let start = range.from;
  while (start <= range.to) {
    const next =
      granularity === "day"
        ? addDays(start, 1)
        : granularity === "week"
          ? addDays(bucketStart(start, "week"), 7)
          : firstOfMonth(addDays(firstOfMonth(start), 32));
    const end = addDays(next, -1) < range.to ? addDays(next, -1) : range.to;
    buckets.push({ from: start, to: end });
    start = next;
  }
  return buckets;
}
