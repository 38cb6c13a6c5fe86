/** Formatters by time zone: building an Intl.DateTimeFormat costs far more than using one. */
const dayFormatters = new Map<string, Intl.DateTimeFormat>();

/** Today's date (YYYY-MM-DD) in the organization's time zone. */
export function todayIn(timeZone: string, now = new Date()): string {
  let formatter = dayFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    dayFormatters.set(timeZone, formatter);
  }
  return formatter.format(now);
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
    const parts = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    }).formatToParts(instant);
    const value = (type: string) => Number(parts.find((part) => part.type === type)?.value);
    const asUtc = Date.UTC(value("year"), value("month") - 1, value("day"), value("hour"), value("minute"), value("second"));
    return asUtc - instant.getTime();
  };
  const first = new Date(utcMidnight.getTime() - offsetAt(utcMidnight));
  return new Date(utcMidnight.getTime() - offsetAt(first));
}
