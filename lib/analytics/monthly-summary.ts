import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { zodFieldErrors } from "@/lib/http/error-response";
import { addDays, todayIn } from "@/lib/invoices/dates";
import type { AgingReport, CollectionsReport, PaymentsReport, ServicesReport, SummaryReport } from "./analytics.types";
import { getAnalyticsReport } from "./get-analytics-report";

/** `?month=YYYY-MM` of the monthly summary. */
export const ZSummaryMonth = z.object({
  month: z
    .string({ error: "Choose a month like 2026-11" })
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: "Use a month like 2026-11", abort: true })
    .refine((month) => month >= "2000-01", "Choose a month from 2000 on"),
});

/** A calendar month; `monthToDate` when it is the clinic's current month (then `to` is today). */
export type SummaryMonth = { key: string; label: string; from: string; to: string; monthToDate: boolean };

/** A calendar month's first and last day, clipped to `today` (the month so far). */
function monthRange(key: string, today: string): SummaryMonth {
  const from = `${key}-01`;
  const next = new Date(`${from}T00:00:00Z`);
  next.setUTCMonth(next.getUTCMonth() + 1);
  const last = addDays(next.toISOString().slice(0, 10), -1);
  const label = new Intl.DateTimeFormat("en-US", { month: "long", year: "numeric", timeZone: "UTC" }).format(new Date(`${from}T00:00:00Z`));
  return { key, label, from, to: last < today ? last : today, monthToDate: last >= today };
}

function previousMonthKey(key: string): string {
  const date = new Date(`${key}-01T00:00:00Z`);
  date.setUTCMonth(date.getUTCMonth() - 1);
  return date.toISOString().slice(0, 7);
}

export type MonthFigures = { summary: SummaryReport; collections: CollectionsReport; payments: PaymentsReport; services: ServicesReport };

export type MonthlySummary = {
  currency: string;
  timezone: string;
  /** The month asked for (up to today when it is the current month). */
  month: SummaryMonth;
  /** The calendar month before it, whole. */
  previousMonth: SummaryMonth;
  current: MonthFigures;
  previous: MonthFigures;
  /** Receivables are a picture of now (the AR account's balance today), whatever the month. */
  aging: AgingReport;
  asOf: string;
};

/** Parses `?month=` (422 naming `month`, also for a month that has not started yet on the clinic's calendar). */
export function parseSummaryMonth(params: URLSearchParams, timezone: string, now = new Date()): string {
  const parsed = ZSummaryMonth.safeParse({ month: params.get("month") ?? undefined });
  if (!parsed.success) throw new AppError("VALIDATION_FAILED", "Choose a month like 2026-11.", { fields: zodFieldErrors(parsed.error) });
  if (parsed.data.month > todayIn(timezone, now).slice(0, 7))
    throw new AppError("VALIDATION_FAILED", "That month has not started yet.", { fields: { month: ["That month has not started yet"] } });
  return parsed.data.month;
}

/**
 * A month's figures for the clinic owner's one-page summary, with the whole previous calendar month
 * beside them: the same loaders as the analytics page (getAnalyticsReport with the month as a custom
 * period), so the PDF and the page set to that month show the same numbers.
 */
export async function loadMonthlySummary(db: Db, options: { organizationId: string; month: string; now?: Date }): Promise<MonthlySummary> {
  const now = options.now ?? new Date();
  const organization = await db.organization.findUniqueOrThrow({ where: { id: options.organizationId }, select: { timezone: true, currency: true } });
  const today = todayIn(organization.timezone, now);
  const month = monthRange(options.month, today);
  const previousMonth = monthRange(previousMonthKey(options.month), today);
  const figures = async (range: SummaryMonth): Promise<MonthFigures> => {
    const load = <R extends "summary" | "collections" | "payments" | "services">(report: R) =>
      getAnalyticsReport(db, { organizationId: options.organizationId, report, query: { from: range.from, to: range.to, granularity: "month" }, now });
    const [summary, collections, payments, services] = await Promise.all([load("summary"), load("collections"), load("payments"), load("services")]);
    return { summary, collections, payments, services };
  };
  const [current, previous, aging] = await Promise.all([
    figures(month),
    figures(previousMonth),
    getAnalyticsReport(db, { organizationId: options.organizationId, report: "aging", query: {}, now }),
  ]);
  return {
    currency: organization.currency,
    timezone: organization.timezone,
    month,
    previousMonth,
    current,
    previous,
    aging,
    asOf: today,
  };
}
