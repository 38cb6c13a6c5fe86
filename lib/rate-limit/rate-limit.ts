import type { Db, Tx } from "@/lib/db/client";
import { sql, sqlOf } from "@/lib/db/sql";

export type RateLimitState = { count: number; retryAfterSeconds: number };

/**
 * Counts one hit on `key` in a fixed window of `windowSeconds` and returns the count inside the
 * current window. One atomic statement, so concurrent hits from any number of app instances
 * are all counted.
 */
export async function hitRateLimit(db: Db | Tx, options: { key: string; windowSeconds: number }): Promise<RateLimitState> {
  const rows = await sqlOf(db).query<{ count: number; retry_after: number }>(sql`
    INSERT INTO rate_limit_buckets (key, window_start, count)
    VALUES (${options.key}, now(), 1)
    ON CONFLICT (key) DO UPDATE SET
      count = CASE WHEN rate_limit_buckets.window_start <= now() - make_interval(secs => ${options.windowSeconds})
                   THEN 1 ELSE rate_limit_buckets.count + 1 END,
      window_start = CASE WHEN rate_limit_buckets.window_start <= now() - make_interval(secs => ${options.windowSeconds})
                   THEN now() ELSE rate_limit_buckets.window_start END
    RETURNING count,
      CEIL(EXTRACT(EPOCH FROM (window_start + make_interval(secs => ${options.windowSeconds}) - now())))::int AS retry_after`);
  const row = rows[0];
  if (!row) throw new Error("rate limit upsert returned no row");
  return { count: row.count, retryAfterSeconds: Math.max(1, row.retry_after) };
}

export async function clearRateLimit(db: Db | Tx, key: string): Promise<void> {
  await db.rateLimitBucket.deleteMany({ where: { key } });
}
