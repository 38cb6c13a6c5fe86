import type { Db } from "@/lib/db/client";
import { pgTransaction, sql, sqlOf, type Sql, type SqlFragment } from "@/lib/db/sql";
import { claimFactsSql, dailyContributionsSql, daysToPayContributionsSql } from "./claim-report-facts";

/** The advisory lock class of claim rollup refreshes (the second key is the organization's hash); the ledger's is 16_0001. */
const CLAIM_ROLLUP_LOCK_CLASS = 16_0002;
/** A rebuild that wrote at least this many facts ANALYZEs the rollup tables after its commit (the planner would take them for nearly empty). */
const ANALYZE_MIN_FACTS = 500;
/** Dirty claims folded in per transaction; a refresh runs as many transactions as it needs, up to MAX_BATCHES. */
const BATCH = 5_000;
const MAX_BATCHES = 200;

export type ClaimRollupRefresh = { organizationId: string; rebuilt: boolean; claims: number };

/**
 * Brings the insurance rollups (claim_report_facts, claim_daily_totals, claim_days_to_pay and its
 * monthly sums) up to date
 * for one organization, or every organization: folds in the claims marked dirty since the last
 * refresh (the triggers of migration 20261213100000 mark a claim in the transaction that changes
 * what it contributes). Reports stay exact without it (they add the dirty claims live); it keeps
 * that live part small.
 *
 * Per organization, under an advisory lock, one transaction per batch of dirty claims: the dirty
 * rows nobody holds are taken (FOR UPDATE SKIP LOCKED) and deleted, then, in later statements that
 * see every transaction that marked them, the claims' facts are computed afresh, and the rollup rows
 * of every payer and day they were or are in are summed again from the facts. A transaction still
 * changing a claim holds its dirty row, so the refresh leaves it for the next run, and a change made
 * after the refresh took a row marks it again once the refresh commits. With no rollups yet, or the
 * clinic's time zone changed since they were built, they are rebuilt from every claim.
 */
export async function refreshClaimRollups(db: Db, options: { organizationId?: string; lockTimeoutMs?: number } = {}): Promise<ClaimRollupRefresh[]> {
  const organizations = options.organizationId
    ? [options.organizationId]
    : (await sqlOf(db).query<{ id: string }>(sql`SELECT id::text AS id FROM organizations ORDER BY id`)).map((row) => row.id);
  const results: ClaimRollupRefresh[] = [];
  for (const organizationId of organizations) {
    const result: ClaimRollupRefresh = { organizationId, rebuilt: false, claims: 0 };
    for (let batch = 0; batch < MAX_BATCHES; batch++) {
      const step = await pgTransaction(db, (runner) => refreshBatch(runner, organizationId), { timeoutMs: options.lockTimeoutMs ?? 60_000 });
      result.rebuilt ||= step.rebuilt;
      result.claims += step.claims;
      if (step.rebuilt && step.claims >= ANALYZE_MIN_FACTS) {
        await sqlOf(db).execute(sql`ANALYZE claim_report_facts, claim_daily_totals, claim_days_to_pay, claim_days_to_pay_monthly`);
      }
      if (step.rebuilt || step.claims < BATCH) break;
    }
    results.push(result);
  }
  return results;
}

/** The dirty rows of the organization no transaction holds, deleted; at most `limit` (null: all). */
function takeDirtySql(organizationId: string, limit: number | null): SqlFragment {
  return sql`
    DELETE FROM claim_rollup_dirty d
    WHERE d.organization_id = ${organizationId}::uuid AND d.claim_id IN (
      SELECT claim_id FROM claim_rollup_dirty
      WHERE organization_id = ${organizationId}::uuid
      ORDER BY claim_id
      LIMIT ${limit}::int
      FOR UPDATE SKIP LOCKED)
    RETURNING d.claim_id::text AS "claimId"`;
}

async function refreshBatch(runner: Sql, organizationId: string): Promise<{ rebuilt: boolean; claims: number }> {
  await runner.query(sql`SELECT pg_advisory_xact_lock(${CLAIM_ROLLUP_LOCK_CLASS}::int, hashtext(${organizationId}))`);
  const [state] = await runner.query<{ timezone: string; stateTimezone: string | null }>(sql`
    SELECT o.timezone, s.timezone AS "stateTimezone"
    FROM organizations o LEFT JOIN claim_rollup_state s ON s.organization_id = o.id
    WHERE o.id = ${organizationId}::uuid`);
  if (!state) throw new Error(`refreshClaimRollups: no organization ${organizationId}`);
  const { timezone } = state;
  const org = sql`organization_id = ${organizationId}::uuid`;

  if (state.stateTimezone !== timezone) {
    await runner.query(takeDirtySql(organizationId, null));
    await runner.write(sql`DELETE FROM claim_report_facts WHERE ${org}`);
    await runner.write(sql`DELETE FROM claim_daily_totals WHERE ${org}`);
    await runner.write(sql`DELETE FROM claim_days_to_pay WHERE ${org}`);
    await runner.write(sql`DELETE FROM claim_days_to_pay_monthly WHERE ${org}`);
    const claims = await runner.execute(sql`
      INSERT INTO claim_report_facts (claim_id, organization_id, payer_id, cohort_day, charge, first_denied, ar_day, open_balance, paid_day, days_to_pay)
      ${claimFactsSql({ timezone, where: sql`c.organization_id = ${organizationId}::uuid` })}`);
    await sumTotals(runner, organizationId, null);
    await writeState(runner, organizationId, timezone);
    return { rebuilt: true, claims };
  }

  const taken = await runner.query<{ claimId: string }>(takeDirtySql(organizationId, BATCH));
  if (taken.length > 0) {
    const ids = taken.map((row) => row.claimId);
    const keysOf = (rows: SqlFragment) => sql`
      WITH changed AS (${rows})
      SELECT COALESCE(array_agg(DISTINCT k.payer_id::text || ' ' || k.day::text) FILTER (WHERE k.kind = 'daily'), '{}') AS daily,
             COALESCE(array_agg(DISTINCT k.payer_id::text || ' ' || k.day::text) FILTER (WHERE k.kind = 'paid'), '{}') AS paid
      FROM changed
      CROSS JOIN LATERAL (VALUES ('daily', changed.payer_id, changed.cohort_day), ('daily', changed.payer_id, changed.ar_day), ('paid', changed.payer_id, changed.paid_day)) AS k(kind, payer_id, day)
      WHERE k.day IS NOT NULL`;
    const [before] = await runner.query<{ daily: string[]; paid: string[] }>(
      keysOf(sql`DELETE FROM claim_report_facts WHERE ${org} AND claim_id = ANY(${ids}::uuid[]) RETURNING payer_id, cohort_day, ar_day, paid_day`),
    );
    const [after] = await runner.query<{ daily: string[]; paid: string[] }>(
      keysOf(sql`
        INSERT INTO claim_report_facts (claim_id, organization_id, payer_id, cohort_day, charge, first_denied, ar_day, open_balance, paid_day, days_to_pay)
        ${claimFactsSql({ timezone, where: sql`c.organization_id = ${organizationId}::uuid AND c.id = ANY(${ids}::uuid[])` })}
        RETURNING payer_id, cohort_day, ar_day, paid_day`),
    );
    await sumTotals(runner, organizationId, {
      daily: [...new Set([...(before?.daily ?? []), ...(after?.daily ?? [])])],
      paid: [...new Set([...(before?.paid ?? []), ...(after?.paid ?? [])])],
    });
  }
  await writeState(runner, organizationId, timezone);
  return { rebuilt: false, claims: taken.length };
}

/** `(payer, day)` is one of `keys` ("<payer id> <day>"); every key when `keys` is null. */
function isKey(keys: string[] | null, payer: SqlFragment, day: SqlFragment): SqlFragment {
  if (keys === null) return sql`true`;
  return sql`(${payer}, ${day}) IN (SELECT split_part(key, ' ', 1)::uuid, split_part(key, ' ', 2)::date FROM unnest(${keys}::text[]) AS key)`;
}

/**
 * Sums claim_daily_totals, claim_days_to_pay and claim_days_to_pay_monthly again from the organization's facts: for the
 * (payer, day) keys given, or for every key (null). A key whose sum is nothing has no row.
 */
async function sumTotals(runner: Sql, organizationId: string, keys: { daily: string[]; paid: string[] } | null): Promise<void> {
  const org = sql`organization_id = ${organizationId}::uuid`;
  const daily = keys?.daily ?? null;
  const paid = keys?.paid ?? null;
  if (daily === null || daily.length > 0) {
    const facts = sql`(
      SELECT * FROM claim_report_facts WHERE ${org} AND ${isKey(daily, sql`payer_id`, sql`cohort_day`)}
      UNION
      SELECT * FROM claim_report_facts WHERE ${org} AND ${isKey(daily, sql`payer_id`, sql`ar_day`)})`;
    await runner.write(sql`DELETE FROM claim_daily_totals WHERE ${org} AND ${isKey(daily, sql`payer_id`, sql`day`)}`);
    await runner.write(sql`
      INSERT INTO claim_daily_totals (organization_id, payer_id, day, submitted, submitted_charge, denied, denied_charge, open_claims, open_balance)
      SELECT ${organizationId}::uuid, payer_id, day, SUM(submitted)::int, SUM(submitted_charge)::bigint, SUM(denied)::int, SUM(denied_charge)::bigint,
             SUM(open_claims)::int, SUM(open_balance)::bigint
      FROM (${dailyContributionsSql(facts)}) contributions
      WHERE ${isKey(daily, sql`payer_id`, sql`day`)}
      GROUP BY payer_id, day`);
  }
  if (paid === null || paid.length > 0) {
    const facts = sql`(SELECT * FROM claim_report_facts WHERE ${org} AND ${isKey(paid, sql`payer_id`, sql`paid_day`)})`;
    await runner.write(sql`DELETE FROM claim_days_to_pay WHERE ${org} AND ${isKey(paid, sql`payer_id`, sql`day`)}`);
    await runner.write(sql`
      INSERT INTO claim_days_to_pay (organization_id, payer_id, day, days_to_pay, claims)
      SELECT ${organizationId}::uuid, payer_id, day, days_to_pay, SUM(claims)::int
      FROM (${daysToPayContributionsSql(facts)}) contributions
      GROUP BY payer_id, day, days_to_pay`);
    // The months of those days, summed again from the days just written.
    const months = paid === null ? null : [...new Set(paid.map((key) => `${key.slice(0, key.length - 2)}01`))];
    const monthOf = sql`date_trunc('month', day)::date`;
    await runner.write(sql`DELETE FROM claim_days_to_pay_monthly WHERE ${org} AND ${isKey(months, sql`payer_id`, sql`month`)}`);
    const monthRows =
      months === null
        ? sql`claim_days_to_pay d WHERE d.organization_id = ${organizationId}::uuid`
        : sql`unnest(${months}::text[]) AS key
          JOIN claim_days_to_pay d ON d.organization_id = ${organizationId}::uuid AND d.payer_id = split_part(key, ' ', 1)::uuid
            AND d.day >= split_part(key, ' ', 2)::date AND d.day < (split_part(key, ' ', 2)::date + interval '1 month')::date`;
    await runner.write(sql`
      INSERT INTO claim_days_to_pay_monthly (organization_id, payer_id, month, days_to_pay, claims)
      SELECT ${organizationId}::uuid, d.payer_id, ${monthOf}, d.days_to_pay, SUM(d.claims)::int
      FROM ${monthRows}
      GROUP BY d.payer_id, ${monthOf}, d.days_to_pay`);
  }
}

async function writeState(runner: Sql, organizationId: string, timezone: string): Promise<void> {
  await runner.write(sql`
    INSERT INTO claim_rollup_state (organization_id, timezone, refreshed_at) VALUES (${organizationId}::uuid, ${timezone}, now())
    ON CONFLICT (organization_id) DO UPDATE SET timezone = EXCLUDED.timezone, refreshed_at = EXCLUDED.refreshed_at`);
}
