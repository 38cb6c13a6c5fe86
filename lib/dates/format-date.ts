/**
 * The one way dates and times are written for people (staff pages, pay pages, emails, PDFs):
 * in the organization's time zone and a locale's format. The REST API keeps ISO 8601.
 *
 * Two kinds of value:
 * - a calendar date (a due date, a service date, a date of birth, a manual payment's day): a day on
 *   the clinic's calendar, stored as YYYY-MM-DD (a `date` column, read as UTC midnight). It is
 *   written as it is, never moved by a time zone (formatCalendarDate).
 * - an instant (a `timestamptz`: when a payment succeeded, an audit event, a sign-in): written as
 *   the clinic's wall-clock day or time (formatDay, formatDateTime), with the zone named where two
 *   readers could take it for different moments (`zoneName: true`).
 */

/** Whose clock: the organization's IANA time zone and the locale its people read. */
export type ClinicClock = { timeZone: string; locale?: string };

export const DEFAULT_LOCALE = "en-US";

/** Date styles: "Dec 4, 2026" (medium), "December 4, 2026" (long), "Friday, December 4, 2026" (full). */
export type DateStyle = "medium" | "long" | "full";

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * A shared Intl.DateTimeFormat: building one costs far more than using one, so there is one per
 * locale and options (zone and style). For machine-read text too (CSV, calendar-day arithmetic).
 */
export function cachedDateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, options);
    formatters.set(key, format);
  }
  return format;
}

/** An instant's wall-clock reading in a time zone, each part as two digits (four for the year), hours 00–23. */
export function wallClockParts(instant: Date, timeZone: string): Record<"year" | "month" | "day" | "hour" | "minute" | "second", string> {
  const parts = cachedDateTimeFormat("en-CA", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((candidate) => candidate.type === type)?.value ?? "";
  return { year: part("year"), month: part("month"), day: part("day"), hour: part("hour"), minute: part("minute"), second: part("second") };
}

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function toInstant(value: Date | string): Date {
  return typeof value === "string" ? new Date(value) : value;
}

/**
 * A calendar date for people: "Dec 4, 2026" for "2026-12-04" (or a `date` column's Date, UTC
 * midnight). No time zone moves it: the 4th is the 4th wherever it is read.
 */
export function formatCalendarDate(value: Date | string, options: { locale?: string; style?: DateStyle } = {}): string {
  let instant: Date;
  if (typeof value === "string") {
    const match = CALENDAR_DATE.exec(value);
    instant = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : new Date(value);
  } else {
    instant = value;
  }
  return cachedDateTimeFormat(options.locale ?? DEFAULT_LOCALE, { dateStyle: options.style ?? "medium", timeZone: "UTC" }).format(instant);
}

/** The clinic's calendar day of an instant: "Dec 4, 2026" for 2026-12-05T04:30Z in New York. */
export function formatDay(value: Date | string, clock: ClinicClock, options: { style?: DateStyle } = {}): string {
  return cachedDateTimeFormat(clock.locale ?? DEFAULT_LOCALE, { dateStyle: options.style ?? "medium", timeZone: clock.timeZone }).format(toInstant(value));
}

/**
 * An instant on the clinic's clock: "Dec 4, 2026, 10:56 AM", or with `zoneName` "Dec 4, 2026,
 * 10:56 AM EST" (the zone's short name as the locale writes it, e.g. "GMT+1" where it has none).
 * `seconds` adds them ("10:56:45 AM"), `style: "full"` writes the weekday and month in full.
 */
export function formatDateTime(value: Date | string, clock: ClinicClock, options: { zoneName?: boolean; seconds?: boolean; style?: DateStyle } = {}): string {
  const style = options.style ?? "medium";
  const dateOptions: Intl.DateTimeFormatOptions =
    style === "full"
      ? { weekday: "long", year: "numeric", month: "long", day: "numeric" }
      : { year: "numeric", month: style === "long" ? "long" : "short", day: "numeric" };
  return cachedDateTimeFormat(clock.locale ?? DEFAULT_LOCALE, {
    ...dateOptions,
    hour: "numeric",
    minute: "2-digit",
    ...(options.seconds ? { second: "2-digit" } : {}),
    ...(options.zoneName ? { timeZoneName: "short" } : {}),
    timeZone: clock.timeZone,
  }).format(toInstant(value));
}

/** Only the time of an instant on the clinic's clock: "10:56 AM" (with `zoneName`, "10:56 AM EST"). */
export function formatTime(value: Date | string, clock: ClinicClock, options: { zoneName?: boolean } = {}): string {
  return cachedDateTimeFormat(clock.locale ?? DEFAULT_LOCALE, {
    hour: "numeric",
    minute: "2-digit",
    ...(options.zoneName ? { timeZoneName: "short" } : {}),
    timeZone: clock.timeZone,
  }).format(toInstant(value));
}

/** The exact instant, for a title/tooltip or a <time dateTime>: "2026-12-04T15:56:45.000Z". */
export function isoInstant(value: Date | string): string {
  return toInstant(value).toISOString();
}

/** A reusable formatter for lists: `dateTimeFormatter(clock).format(payment.createdAt)` (formatDateTime). */
export function dateTimeFormatter(clock: ClinicClock, options: { zoneName?: boolean; seconds?: boolean; style?: DateStyle } = {}) {
  return { format: (value: Date | string) => formatDateTime(value, clock, options) };
}

/** A reusable formatter of the clinic's day of instants (formatDay). */
export function dayFormatter(clock: ClinicClock, options: { style?: DateStyle } = {}) {
  return { format: (value: Date | string) => formatDay(value, clock, options) };
}

/** A filter's range of calendar days: "Dec 1, 2026 – Dec 5, 2026", "from Dec 1, 2026", "to Dec 5, 2026". */
export function formatDayRange(from: string | undefined, to: string | undefined): string {
  if (from && to) return from === to ? formatCalendarDate(from) : `${formatCalendarDate(from)} – ${formatCalendarDate(to)}`;
  return from ? `from ${formatCalendarDate(from)}` : `to ${formatCalendarDate(to!)}`;
}
