import type { Db, Tx } from "@/lib/db/client";
import { sql, sqlOf, type Int8 } from "@/lib/db/sql";
import { todayIn } from "@/lib/invoices/dates";
import { AGING_BUCKETS, type AgingBucketKey, type AgingReport } from "./analytics.types";
import { AGING_BUCKET_AGES, isOver90 } from "./aging-buckets";
import { ratio } from "./ledger-figures";

/** The open invoices' bucket for an age, as SQL: agingBucket's edges, from the same table. */
const BUCKET_SQL = sql`CASE ${sql.join(
  AGING_BUCKETS.flatMap((key) => {
    const { max } = AGING_BUCKET_AGES[key];
    return max === null ? [] : [sql`WHEN age <= ${max}::int THEN ${key}::text`];
  }),
  " ",
)} ELSE ${"120+" satisfies AgingBucketKey}::text END`;

/**
 * What patients still owe, by how long ago it was invoiced: open and partially paid invoices'
 * amount due, by days from the invoice date (the clinic's date it was finalized) to the clinic's
 * today. The total equals the accounts-receivable account's balance (every other invoice status
 * owes nothing in the ledger).
 */
export async function getAgingReport(db: Db | Tx, options: { organizationId: string; now?: Date }): Promise<AgingReport> {
  const organization = await sqlOf(db).query<{ timezone: string; currency: string }>(
    sql`SELECT timezone, currency FROM organizations WHERE id = ${options.organizationId}::uuid`,
  );
  if (!organization[0]) throw new Error(`getAgingReport: no organization ${options.organizationId}`);
  return loadAging(db, { organizationId: options.organizationId, ...organization[0], now: options.now ?? new Date() });
}

export async function loadAging(db: Db | Tx, options: { organizationId: string; timezone: string; currency: string; now: Date }): Promise<AgingReport> {
  const asOf = todayIn(options.timezone, options.now);
  const rows = await sqlOf(db).query<{ bucket: AgingBucketKey; count: number; amount: Int8 }>(sql`
    SELECT ${BUCKET_SQL} AS bucket, COUNT(*)::int AS count, SUM(amount_due)::bigint AS amount
    FROM (
      SELECT ${asOf}::date - (finalized_at AT TIME ZONE ${options.timezone})::date AS age, amount_due
      FROM invoices
      WHERE organization_id = ${options.organizationId}::uuid AND status IN ('open', 'partially_paid') AND currency = ${options.currency}
    ) open_invoices
    GROUP BY 1`);
  const buckets = AGING_BUCKETS.map((key) => {
    const row = rows.find((candidate) => candidate.bucket === key);
    return { key, count: row?.count ?? 0, amount: Number(row?.amount ?? 0) };
  });
  const total = buckets.reduce((sum, bucket) => ({ count: sum.count + bucket.count, amount: sum.amount + bucket.amount }), { count: 0, amount: 0 });
  const over90Amount = buckets.filter((bucket) => isOver90(bucket.key)).reduce((sum, bucket) => sum + bucket.amount, 0);
  return { asOf, currency: options.currency, buckets, total, over90Amount, over90Percent: ratio(over90Amount, total.amount) };
}
