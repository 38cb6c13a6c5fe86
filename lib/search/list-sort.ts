import { z } from "zod";

export type SortDirection = "asc" | "desc";
export type ListSort<Column extends string> = { column: Column; direction: SortDirection };

/**
 * The `sort` and `dir` search parameters of a list: a known column and direction, or the list's
 * default (an unknown or missing value never fails the page). `columns` gives each column's
 * direction on the first click (newest and largest first for dates and amounts, A→Z for names).
 */
export function zListSort<Column extends string>(columns: Record<Column, SortDirection>, fallback: ListSort<Column>) {
  const names = Object.keys(columns) as [Column, ...Column[]];
  return z
    .object({
      sort: z.enum(names).optional().catch(undefined),
      dir: z.enum(["asc", "desc"]).optional().catch(undefined),
    })
    .transform(({ sort, dir }): ListSort<Column> => (sort ? { column: sort, direction: dir ?? columns[sort] } : fallback));
}

type KeyValue = string | number | Date | null;

/**
 * One sort column of a list, in the shape of that list's Prisma `where` and `orderBy`. A nullable
 * column (`isNull` given) sorts its empty values last in both directions.
 */
export type SortKey<Row, Where, OrderBy> = {
  orderBy: (direction: SortDirection) => OrderBy;
  value: (row: Row) => KeyValue;
  compare: (operator: "lt" | "gt", value: Exclude<KeyValue, null>) => Where;
  equals: (value: Exclude<KeyValue, null>) => Where;
  isNull?: Where;
};

type WhereWithId<Where> = Where & { OR?: Where[]; AND?: Where[]; id?: { lt?: string; gt?: string } };

/** `orderBy` for a sort: the column(s), then the id in the same direction, so equal values keep one order. */
export function sortOrderBy<Row, Where, OrderBy>(keys: SortKey<Row, Where, OrderBy>[], direction: SortDirection): (OrderBy | { id: SortDirection })[] {
  return [...keys.map((key) => key.orderBy(direction)), { id: direction }];
}

/**
 * The rows that come after `cursorRow` in the order of `sortOrderBy(keys, direction)` (keyset
 * pagination): compares the sort values and the id, never an offset, so a page stays correct
 * while rows are added and costs the same on page 1 and page 1,000.
 */
export function keysetWhere<Row extends { id: string }, Where, OrderBy>(keys: SortKey<Row, Where, OrderBy>[], direction: SortDirection, cursorRow: Row): Where {
  const operator = direction === "desc" ? "lt" : "gt";
  const after = (index: number): WhereWithId<Where> => {
    if (index === keys.length) return { id: { [operator]: cursorRow.id } } as WhereWithId<Where>;
    const key = keys[index]!;
    const value = key.value(cursorRow);
    const rest = after(index + 1);
    if (value === null) return { AND: [key.isNull!, rest] } as WhereWithId<Where>;
    const beyond = [key.compare(operator, value), ...(key.isNull ? [key.isNull] : [])];
    return { OR: [...beyond, { AND: [key.equals(value), rest] }] } as WhereWithId<Where>;
  };
  return after(0);
}
