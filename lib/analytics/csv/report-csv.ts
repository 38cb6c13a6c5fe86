import { sql, sqlOf, type SqlFragment } from "@/lib/db/sql";
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

/**
 * One page of a CSV's rows in the order of an instant column (`sortAt`), read by keyset: the rows
 * after the cursor's instant up to the instant of the `limit`-th row, all of them (a page ends
 * with every row of its last instant, so rows sharing an instant are never split across pages),
 * ordered by the instant and then `id`. The first statement only walks an index on the instant
 * (`head`: the base table, no joins, its filter) and stops after `limit` rows, so every page costs
 * the same however far into the file it is; the second reads that instant range with the joins.
 */
export async function keysetPage<Row extends { sortAt: Date }>(
  db: Db,
  options: {
    /** `FROM … WHERE …` of the base table alone (no joins), without ORDER BY. */
    head: SqlFragment;
    /** The full SELECT of a page's rows with `${range}` in its WHERE, without ORDER BY. */
    rows: (range: SqlFragment) => SqlFragment;
    sort: SqlFragment;
    id: SqlFragment;
    cursor: string | undefined;
    limit: number;
  },
): Promise<{ data: Row[]; nextCursor: string | null }> {
  const after = options.cursor ? sql`AND ${options.sort} > ${new Date(options.cursor)}::timestamptz` : sql.empty;
  const [bound] = await sqlOf(db).query<{ upto: Date | null; count: number }>(sql`
    SELECT max(sort_at) AS upto, count(*)::int AS count
    FROM (SELECT ${options.sort} AS sort_at ${options.head} ${after} ORDER BY ${options.sort} LIMIT ${options.limit}::int) head`);
  if (!bound?.upto) return { data: [], nextCursor: null };
  const data = await sqlOf(db).query<Row>(
    sql`${options.rows(sql`${options.sort} <= ${bound.upto}::timestamptz ${after}`)} ORDER BY ${options.sort}, ${options.id}`,
  );
  return { data, nextCursor: bound.count === options.limit ? bound.upto.toISOString() : null };
}

/** A rate (0.9512) with four decimals, empty when there is none. */
export function csvRate(value: number | null): string | null {
  return value === null ? null : value.toFixed(4);
}
