import type { Db } from "@/lib/db/client";
import { pgTransaction, sql, sqlOf, type Int8, type Sql } from "@/lib/db/sql";
import { SERVICE_AMOUNTS_SQL, sharedAcrossLines } from "./service-shares";
import { CHANNEL_SQL } from "./load-ledger-facts";

/** The advisory lock class of rollup refreshes (the second key is the organization's hash). */
const ROLLUP_LOCK_CLASS = 16_0001;

/**
 * The horizon: the oldest transaction still in progress in this database, or the next transaction
 * id when none is. It is pg_snapshot_xmin, except that transactions known to run in other
 * databases of the same server (pg_stat_activity, pg_prepared_xacts) do not hold it back: they
 * cannot post this database's journals. A transaction of unknown database (one that ended while
 * this was read, or one the app's role may not see) is counted, which only ever lowers the horizon.
 * Transaction ids are xid8 (64 bits); pg_stat_activity's are 32-bit, compared modulo 2^32.
 */
const SNAPSHOT_HORIZON_SQL = sql`
  SELECT COALESCE(
    MIN(running.xid) FILTER (WHERE NOT EXISTS (
      SELECT 1 FROM pg_stat_activity a
      WHERE a.backend_xid::text::bigint = running.xid % 4294967296 AND a.datname IS DISTINCT FROM current_database()
    ) AND NOT EXISTS (
      SELECT 1 FROM pg_prepared_xacts p
      WHERE p.transaction::text::bigint = running.xid % 4294967296 AND p.database IS DISTINCT FROM current_database()
    )),
    MIN(snapshot.xmax))
  FROM (SELECT pg_current_snapshot() AS value) current_snapshot
  CROSS JOIN LATERAL (SELECT pg_snapshot_xmax(current_snapshot.value)::text::bigint AS xmax) snapshot
  LEFT JOIN LATERAL (SELECT x::text::bigint AS xid FROM pg_snapshot_xip(current_snapshot.value) x) running ON true`;

export type RollupRefresh = { organizationId: string; rebuilt: boolean; from: number; horizon: number; rowsWritten: number; analyzed: boolean };

/**
 * After a refresh wrote this many rows (inserted or updated) beyond a tenth of what the rollup
 * tables held at their last ANALYZE, they are analyzed at once: the first refresh of a loaded
 * database fills them in one go, and the planner would otherwise take them for nearly empty
 * (autovacuum analyzes later, on its own schedule).
 */
const ANALYZE_MIN_ROWS = 500;

/**
 * Brings analytics' rollups (ledger_daily_totals, service_daily_totals) up to date for one
 * organization, or every organization: adds the journals posted since the last refresh.
 *
 * One transaction per organization, under an advisory lock (two refreshers never overlap on an
 * organization). The horizon H is the oldest transaction in progress (SNAPSHOT_HORIZON_SQL) in a
 * snapshot taken after the lock: every transaction of this database with an id below H has finished
 * (committed or rolled back), so the journals with
 * `xact_id` in [previous horizon, H) are all visible now and no later one can appear below H
 * (journal_entries.xact_id is the posting transaction's id). Those are added to the rollups and
 * the horizon set to H, in one commit; reports add the journals at or above the horizon live
 * (load-ledger-facts.ts). Days are the clinic's in the time zone recorded with the horizon; when
 * the organization's time zone has changed, its rollups are rebuilt from the first journal.
 * Nothing here runs on the paths that post journals.
 */
export async function refreshLedgerRollups(db: Db, options: { organizationId?: string; lockTimeoutMs?: number } = {}): Promise<RollupRefresh[]> {
  const organizations = options.organizationId
    ? [options.organizationId]
    : (await sqlOf(db).query<{ id: string }>(sql`SELECT id::text AS id FROM organizations ORDER BY id`)).map((row) => row.id);
  const results: RollupRefresh[] = [];
  for (const organizationId of organizations) {
    const refresh = await pgTransaction(db, (runner) => refreshOrganization(runner, organizationId), { timeoutMs: options.lockTimeoutMs ?? 60_000 });
    results.push({ ...refresh, analyzed: await analyzeWhenGrown(db, refresh.rowsWritten) });
  }
  return results;
}

/**
 * Summarizes the BRIN index on journal_entries.xact_id over the pages filled since the last call.
 * Reports and refreshes find the journals past a horizon through it; pages it has not summarized
 * are read whole, so without this they would grow with the table wherever autovacuum (and its
 * autosummarize) is off. Runs the migration owner's summarize_journal_xact_index() (summarizing
 * needs the index's owner; the app's role owns nothing). Returns the number of ranges summarized.
 */
export async function summarizeJournalIndex(db: Db): Promise<number> {
  const [row] = await sqlOf(db).query<{ ranges: number }>(sql`SELECT summarize_journal_xact_index() AS ranges`);
  return row?.ranges ?? 0;
}

/** ANALYZE the rollup tables when a refresh wrote many rows compared with their last statistics (after its commit, outside its lock). */
async function analyzeWhenGrown(db: Db, rowsWritten: number): Promise<boolean> {
  if (rowsWritten < ANALYZE_MIN_ROWS) return false;
  const [stats] = await sqlOf(db).query<{ tuples: number }>(
    sql`SELECT COALESCE(SUM(GREATEST(reltuples, 0)), 0)::float8 AS tuples FROM pg_class WHERE oid IN ('ledger_daily_totals'::regclass, 'service_daily_totals'::regclass)`,
  );
  if (rowsWritten < 0.1 * (stats?.tuples ?? 0)) return false;
  await sqlOf(db).execute(sql`ANALYZE ledger_daily_totals, service_daily_totals`);
  return true;
}

async function refreshOrganization(runner: Sql, organizationId: string): Promise<Omit<RollupRefresh, "analyzed">> {
  await runner.query(sql`SELECT pg_advisory_xact_lock(${ROLLUP_LOCK_CLASS}::int, hashtext(${organizationId}))`);
  const [state] = await runner.query<{ timezone: string; stateTimezone: string | null; horizon: Int8 | null; snapshotHorizon: Int8 }>(sql`
    SELECT o.timezone, s.timezone AS "stateTimezone", s.horizon::text AS horizon, (${SNAPSHOT_HORIZON_SQL})::text AS "snapshotHorizon"
    FROM organizations o LEFT JOIN ledger_rollup_state s ON s.organization_id = o.id
    WHERE o.id = ${organizationId}::uuid`);
  if (!state) throw new Error(`refreshLedgerRollups: no organization ${organizationId}`);
  const { timezone } = state;
  const rebuilt = state.stateTimezone !== null && state.stateTimezone !== timezone;
  if (rebuilt) {
    await runner.write(sql`DELETE FROM ledger_daily_totals WHERE organization_id = ${organizationId}::uuid`);
    await runner.write(sql`DELETE FROM service_daily_totals WHERE organization_id = ${organizationId}::uuid`);
  }
  const from = rebuilt || state.horizon === null ? 0 : Number(state.horizon);
  const horizon = Math.max(from, Number(state.snapshotHorizon));
  let rowsWritten = 0;
  if (horizon > from) {
    const batch = sql`e.organization_id = ${organizationId}::uuid AND e.xact_id >= ${from}::bigint AND e.xact_id < ${horizon}::bigint`;
    rowsWritten += await runner.execute(sql`
      INSERT INTO ledger_daily_totals AS t (organization_id, day, currency, kind, account_code, channel, amount, journals)
      SELECT e.organization_id, (e.occurred_at AT TIME ZONE ${timezone})::date, e.currency, e.kind, a.code, ${CHANNEL_SQL},
             SUM(l.amount)::bigint, COUNT(DISTINCT e.id)::int
      FROM journal_entries e
      JOIN journal_lines l ON l.journal_entry_id = e.id
      JOIN ledger_accounts a ON a.id = l.account_id
      LEFT JOIN payments p ON e.source_type = 'payment' AND p.id = e.source_id AND e.kind IN ('payment.succeeded', 'payment.manual', 'payment.manual.voided')
      WHERE ${batch}
      GROUP BY 1, 2, 3, 4, 5, 6
      ON CONFLICT (organization_id, day, currency, kind, account_code, channel)
      DO UPDATE SET amount = t.amount + EXCLUDED.amount, journals = t.journals + EXCLUDED.journals`);
    const amounts = sql`
      SELECT journal_id, kind, (occurred_at AT TIME ZONE ${timezone})::date AS day, currency, invoice_id, figure, SUM(amount)::bigint AS amount
      FROM (${SERVICE_AMOUNTS_SQL} AND ${batch}
        GROUP BY e.id, e.kind, e.occurred_at, e.currency, COALESCE(l.invoice_id, cn.invoice_id)) per_journal
      GROUP BY journal_id, kind, occurred_at, currency, invoice_id, figure`;
    rowsWritten += await runner.execute(sql`
      INSERT INTO service_daily_totals AS t (organization_id, day, currency, service_code, description, net_charges, collections, lines)
      SELECT ${organizationId}::uuid, day, currency, service_code, description,
             COALESCE(SUM(share) FILTER (WHERE figure = 'charge'), 0)::bigint, COALESCE(SUM(share) FILTER (WHERE figure = 'collection'), 0)::bigint,
             SUM(line_count)::int
      FROM (${sharedAcrossLines(amounts)}) shares
      GROUP BY day, currency, service_code, description
      ON CONFLICT (organization_id, day, currency, service_code, description)
      DO UPDATE SET net_charges = t.net_charges + EXCLUDED.net_charges, collections = t.collections + EXCLUDED.collections, lines = t.lines + EXCLUDED.lines`);
  }
  await runner.write(sql`
    INSERT INTO ledger_rollup_state (organization_id, timezone, horizon, refreshed_at)
    VALUES (${organizationId}::uuid, ${timezone}, ${horizon}::bigint, now())
    ON CONFLICT (organization_id) DO UPDATE SET timezone = EXCLUDED.timezone, horizon = EXCLUDED.horizon, refreshed_at = EXCLUDED.refreshed_at`);
  return { organizationId, rebuilt, from, horizon, rowsWritten };
}
