import { sql, type SqlFragment } from "@/lib/db/sql";
import type { Db } from "@/lib/db/client";
import type { AnalyticsPeriod } from "../analytics.types";

/** What every report's CSV reads: the organization and the period resolved in its time zone. */
export type ReportCsvOptions = { organizationId: string; period: AnalyticsPeriod; now: Date };
export type ReportCsv = (db: Db, options: ReportCsvOptions) => AsyncGenerator<string>;

/** Rows fetched per query: large enough that 100,000 rows are 100 round trips, small enough to hold. */
export const CSV_PAGE_ROWS = 1_000;

/** `column` within the period's clinic days: from the start of `from` to the start of the day after `to`, in the clinic's time zone. */
export function inPeriod(column: SqlFragment, period: { from: string; to: string; timezone: string }): SqlFragment {
  return sql`${column} >= (${period.from}::date::timestamp AT TIME ZONE ${period.timezone}) AND ${column} < ((${period.to}::date + 1)::timestamp AT TIME ZONE ${period.timezone})`;
}

/** A keyset cursor over (an instant, an id): the last row of a page. */
export type TimeCursor = { at: Date; id: string };
export function encodeCursor(row: { sortAt: Date; id: string }): string {
  return `${row.sortAt.toISOString()}|${row.id}`;
}
export function decodeCursor(cursor: string | undefined): TimeCursor | null {
  if (!cursor) return null;
  const [at, id] = cursor.split("|");
  return { at: new Date(at!), id: id! };
}
/**
 * `(sortColumn, idColumn) > cursor`, or nothing on the first page. The plain `sortColumn >=` beside
 * the row comparison is what an index on the sort column can start from (without it each page
 * would scan from the period's start again).
 */
export function afterCursor(sortColumn: SqlFragment, idColumn: SqlFragment, cursor: string | undefined): SqlFragment {
  const after = decodeCursor(cursor);
  return after
    ? sql`AND ${sortColumn} >= ${after.at}::timestamptz AND (${sortColumn}, ${idColumn}) > (${after.at}::timestamptz, ${after.id}::uuid)`
    : sql.empty;
}
/** A page of rows and the cursor after its last row (null when it was the last page). */
export function pageOf<Row extends { sortAt: Date; id: string }>(rows: Row[], limit: number): { data: Row[]; nextCursor: string | null } {
  return { data: rows, nextCursor: rows.length === limit ? encodeCursor(rows.at(-1)!) : null };
}

/** A rate (0.9512) with four decimals, empty when there is none. */
export function csvRate(value: number | null): string | null {
  return value === null ? null : value.toFixed(4);
}
