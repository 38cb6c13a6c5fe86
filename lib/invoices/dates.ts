import { cachedDateTimeFormat, wallClockParts } from "@/lib/dates/format-date";

/** Today's date (YYYY-MM-DD) in the organization's time zone. */
export function todayIn(timeZone: string, now = new Date()): string {
  return cachedDateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

export function addDays(isoDate: string, days: number): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

export function toIsoDate(date: Date | null): string | null {
  return date ? date.toISOString().slice(0, 10) : null;
}

export function fromIsoDate(value: string): Date {
  return new Date(`${value}T00:00:00Z`);
}

/** The instant a calendar day (YYYY-MM-DD) starts in a time zone, e.g. midnight in New York as UTC. */
export function startOfDayIn(isoDate: string, timeZone: string): Date {
  const utcMidnight = fromIsoDate(isoDate);
  // The zone's offset at that moment (and again at the corrected instant, for DST changes that day).
  const offsetAt = (instant: Date) => {
    const clock = wallClockParts(instant, timeZone);
    const asUtc = Date.UTC(Number(clock.year), Number(clock.month) - 1, Number(clock.day), Number(clock.hour), Number(clock.minute), Number(clock.second));
    return asUtc - instant.getTime();
  };
  const first = new Date(utcMidnight.getTime() - offsetAt(utcMidnight));
  return new Date(utcMidnight.getTime() - offsetAt(first));
}

/** The instants of the clinic's calendar days `from` to `to` (either may be left open): from the start of `from` to the start of the day after `to`, in its time zone. */
export function clinicDaysRange(range: { from?: string; to?: string }, timeZone: string): { gte?: Date; lt?: Date } {
  return {
    ...(range.from ? { gte: startOfDayIn(range.from, timeZone) } : {}),
    ...(range.to ? { lt: startOfDayIn(addDays(range.to, 1), timeZone) } : {}),
  };
}
