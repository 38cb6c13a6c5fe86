import { toDecimalString } from "@/lib/money/currency";
import { wallClockParts } from "@/lib/dates/format-date";
import { todayIn } from "@/lib/invoices/dates";

/*
 * CSV as RFC 4180 writes it (comma-separated, CRLF line ends, fields with a comma, quote or line
 * break in double quotes, quotes doubled), safe to open in a spreadsheet: a text cell starting
 * with = + - @ tab or CR is prefixed with ' so it is never read as a formula (CSV injection).
 * Amounts (`csvAmount`) and numbers are written as they are: "-40.00" stays a number.
 */

/** An amount as a plain decimal string ("150.00", "-40.00"), written without a formula guard. */
export type CsvAmount = { readonly decimal: string };
export type CsvValue = string | number | CsvAmount | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** Minor units as the decimal string accountants' tools read ("1234.50" for 123450 USD). */
export function csvAmount(amount: number, currency: string): CsvAmount {
  return { decimal: toDecimalString(amount, currency) };
}

/** One field. */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return String(value);
  if (typeof value === "object") return value.decimal;
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record, CRLF-terminated. */
export function csvRow(values: readonly CsvValue[]): string {
  return `${values.map(csvCell).join(",")}\r\n`;
}

/** "2026-12-04 10:56" in the clinic's time zone: sortable, and what the clinic's staff read. */
export function csvDateTime(moment: Date, timeZone: string): string {
  const clock = wallClockParts(moment, timeZone);
  return `${clock.year}-${clock.month}-${clock.day} ${clock.hour}:${clock.minute}`;
}

const BATCH = 100;

/**
 * A list exported as CSV: the header, then every row of every page, fetched `batch` (100) at a time
 * by `page(cursor)` (the list's own keyset pagination), so memory stays constant however long the list.
 */
export async function* csvFromPages<Row>(options: {
  header: readonly string[];
  page: (cursor: string | undefined, limit: number) => Promise<{ data: Row[]; nextCursor: string | null }>;
  row: (row: Row) => readonly CsvValue[];
  batch?: number;
}): AsyncGenerator<string> {
  yield csvRow(options.header);
  let cursor: string | undefined;
  do {
    const page = await options.page(cursor, options.batch ?? BATCH);
    if (page.data.length) yield page.data.map((row) => csvRow(options.row(row))).join("");
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}

/** A text generator as a web stream for a route handler; it pulls the next batch only when the client reads. */
export function textStream(source: AsyncGenerator<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    async pull(controller) {
      const { value, done } = await source.next();
      if (done) controller.close();
      else controller.enqueue(encoder.encode(value));
    },
    async cancel() {
      await source.return(undefined);
    },
  });
}

/** The headers of a CSV download named `<name>-<the clinic's date>.csv`. */
export function csvHeaders(name: string, timeZone: string): HeadersInit {
  return {
    "Content-Type": "text/csv; charset=utf-8",
    "Content-Disposition": `attachment; filename="${name}-${todayIn(timeZone)}.csv"`,
    "Cache-Control": "no-store",
  };
}
