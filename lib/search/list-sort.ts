import { z } from "zod";

export type SortDirection = "asc" | "desc";
export type ListSort<Column extends string> = { column: Column; direction: SortDirection };

/** The column names of a list's `{ column: first-click direction }` map, as a zod enum's values. */
function columnNames<Column extends string>(directions: Record<Column, SortDirection>) {
  return Object.keys(directions) as [Column, ...Column[]];
}

/**
 * The sort and page fields of a list's input schema (spread into its `z.object`): one of the
 * columns of `directions` (`defaultColumn` when none is given), the direction (newest / largest
 * first by default), the cursor (the last id of the previous page) and the page size.
 */
export function zListPageFields<Column extends string>(directions: Record<Column, SortDirection>, defaultColumn: NoInfer<Column>) {
  return {
    sort: z.enum(columnNames(directions)).default(defaultColumn),
    direction: z.enum(["asc", "desc"]).default("desc"),
    cursor: z.string().uuid().optional(),
    limit: z.number().int().min(1).max(100).default(25),
  };
}

/**
 * The `sort` and `dir` search parameters of a list: a known column and direction, or the list's
 * default (an unknown or missing value never fails the page). `columns` gives each column's
 * direction on the first click (newest and largest first for dates and amounts, A→Z for names).
 */
export function zListSort<Column extends string>(columns: Record<Column, SortDirection>, fallback: ListSort<Column>) {
  return z
    .object({
      sort: z.enum(columnNames(columns)).optional().catch(undefined),
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

/** The fields of `Row` that a list can sort by on their own: a plain column of the row, its `where` and its `orderBy`. */
export type SortColumnField<Row, Where, OrderBy> = {
  [Field in keyof Row & keyof Where & keyof OrderBy & string]: Row[Field] extends KeyValue ? Field : never;
}[keyof Row & keyof Where & keyof OrderBy & string];

/**
 * The sort key of one plain column, e.g. `columnKey<Payment, Prisma.PaymentWhereInput,
 * Prisma.PaymentOrderByWithRelationInput>("createdAt")`. `nullsLast`: a nullable column whose
 * empty values come last in both directions. Keys over relations are written out by hand.
 */
export function columnKey<Row, Where, OrderBy>(
  field: SortColumnField<Row, Where, OrderBy>,
  options: { nullsLast?: boolean } = {},
): SortKey<Row, Where, OrderBy> {
  return {
    orderBy: (direction) => ({ [field]: options.nullsLast ? { sort: direction, nulls: "last" } : direction }) as OrderBy,
    value: (row) => row[field] as KeyValue,
    compare: (operator, value) => ({ [field]: { [operator]: value } }) as Where,
    equals: (value) => ({ [field]: value }) as Where,
    ...(options.nullsLast ? { isNull: { [field]: null } as Where } : {}),
  };
}

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

/** The page out of the `limit + 1` rows fetched, and the next page's cursor (its last id; null on the last page). */
export function keysetPage<Row extends { id: string }>(rows: Row[], limit: number): { page: Row[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  return { page, nextCursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null };
}
