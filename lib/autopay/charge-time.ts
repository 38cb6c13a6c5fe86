import { wallClockParts } from "@/lib/dates/format-date";
import { startOfDayIn } from "@/lib/invoices/dates";

/**
 * The instant a charge due on a clinic calendar date goes out: that day at the organization's
 * local charge hour (e.g. 08:00 in America/New_York), whatever the server's zone; on a day the
 * clocks change before that hour, still at that hour on the wall clock.
 */
export function chargeInstant(dueDate: string, options: { timezone: string; chargeHour: number }): Date {
  const candidate = new Date(startOfDayIn(dueDate, options.timezone).getTime() + options.chargeHour * 3_600_000);
  const drift = Number(wallClockParts(candidate, options.timezone).hour) - options.chargeHour;
  return drift === 0 ? candidate : new Date(candidate.getTime() - drift * 3_600_000);
}
