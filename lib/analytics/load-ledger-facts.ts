import type { Db, Tx } from "@/lib/db/client";
import { sql, sqlOf, type Int8 } from "@/lib/db/sql";
import { DEFAULT_ACCOUNTS, type AccountKey } from "@/lib/ledger/accounts";
import type { AnalyticsPeriod, DateRange } from "./analytics.types";
import type { LedgerFact } from "./ledger-facts-types";
import { ledgerFigureFilter, ledgerFigurePairs, type LedgerFigure } from "./ledger-figures";
import { CURRENT, LAST_90_DAYS, PREVIOUS } from "./report-ranges";

const ACCOUNT_BY_CODE = new Map<string, AccountKey>(Object.entries(DEFAULT_ACCOUNTS).map(([key, account]) => [account.code, key as AccountKey]));
const AR = DEFAULT_ACCOUNTS.accountsReceivable.code;

/** The tag of the receivable (the AR account's balance now, all time) among the facts. */
export const RECEIVABLE_TAG = "receivable";
const HORIZON_TAG = "horizon";
/** A refresh that commits between reading the horizon and the report's statement makes it run again; this many times at most. */
const MAX_TRIES = 10;

/**
 * A payment journal's channel, from the payment it is about (journals of other kinds: ''). Card
 * and bank debits by where they started; front-desk payments by their method (a check is booked
 * to cash, but its channel is check). Expects the payment joined as `p`.
 */
export const CHANNEL_SQL = sql`CASE
  WHEN p.id IS NULL THEN ''
  WHEN p.source = 'pay_page' AND p.method_type = 'card' THEN 'pay_page_card'
  WHEN p.source = 'pay_page' THEN 'pay_page_bank'
  WHEN p.source = 'desk_card' THEN 'desk_card'
  WHEN p.source = 'saved_card' THEN 'saved_card'
  WHEN p.source = 'autopay' THEN 'autopay'
  ELSE p.method_type::text END`;

/** The journals' horizon of the organization's rollups in this time zone (0: no rollups, every journal is read live). */
export async function readRollupHorizon(db: Db | Tx, options: { organizationId: string; timezone: string }): Promise<number> {
  const [state] = await sqlOf(db).query<{ horizon: Int8 }>(
    sql`SELECT horizon::text AS horizon FROM ledger_rollup_state WHERE organization_id = ${options.organizationId}::uuid AND timezone = ${options.timezone}`,
  );
  return state ? Number(state.horizon) : 0;
}

/** The statement's check that the horizon it was given is still the rollups' (in the same snapshot as the rest). */
export function horizonCheckSql(options: { organizationId: string; timezone: string }) {
  return sql`COALESCE((SELECT horizon FROM ledger_rollup_state WHERE organization_id = ${options.organizationId}::uuid AND timezone = ${options.timezone}), 0)::text`;
}

/**
 * Runs `attempt` with the rollups' horizon until the statement saw that same horizon (a refresh
 * committed in between makes it read the new one and run again).
 */
export async function withRollupHorizon<T>(
  db: Db | Tx,
  options: { organizationId: string; timezone: string },
  attempt: (horizon: number) => Promise<{ result: T; horizonSeen: number }>,
): Promise<T> {
  let horizon = await readRollupHorizon(db, options);
  for (let tries = 1; ; tries++) {
    const { result, horizonSeen } = await attempt(horizon);
    if (horizonSeen === horizon) return result;
    if (tries >= MAX_TRIES) throw new Error(`analytics: the rollups' horizon kept moving (${tries} tries)`);
    horizon = horizonSeen;
  }
}

/**
 * The organization's journal lines in its currency, summed by kind, account and channel for the
 * period (tag "current"), the previous period ("previous"), each series bucket ("bucket:<first
 * day>", when `series`) and `last90` ("last90"), by clinic day of the journal's occurred_at in
 * the period's time zone; plus the AR account's balance now ("receivable"). With `figures`, only
 * the kinds and accounts those figures read (ledgerTotals of these figures is the same; other
 * kinds and accounts are left out); without, every kind and account.
 *
 * One statement, one snapshot: the rollups' days (all journals below the horizon, summed by
 * refresh-ledger-rollups.ts) plus the journals at or above the horizon read live, so the figures
 * are exact at that instant, including a journal posted a second ago. Without rollups for this
 * time zone (none yet, or the clinic changed its time zone since) every journal is read live.
 *
 * One pass over the days: the period totals are conditional sums on the day (a handful of ranges)
 * and the series groups by the bucket's first day computed from the day (date_trunc on the date:
 * weeks start on Monday, months on the 1st), clipped to the period's first day, as periodBuckets.
 */
export async function loadLedgerFacts(
  db: Db | Tx,
  options: {
    organizationId: string;
    period: AnalyticsPeriod;
    series: boolean;
    last90?: DateRange;
    figures?: readonly LedgerFigure[];
    /** The series buckets only for these figures (their rules' kind and account pairs); default: `figures`. */
    seriesFigures?: readonly LedgerFigure[];
    /** false: the series buckets without channels (channel '', for reports that chart no channel); default true. */
    seriesChannels?: boolean;
  },
): Promise<LedgerFact[]> {
  const { organizationId, period } = options;
  const { timezone, currency } = period;
  const last90 = options.last90 ?? null;
  const from = [period.from, period.previous.from, last90?.from ?? period.from].sort()[0]!;
  const to = [period.to, period.previous.to, last90?.to ?? period.to].sort().reverse()[0]!;
  const filter = options.figures ? ledgerFigureFilter(options.figures) : null;
  const kinds = filter?.kinds ?? null;
  const codes = filter?.accounts.map((account) => DEFAULT_ACCOUNTS[account].code) ?? null;
  const seriesPairs = options.seriesFigures ? ledgerFigurePairs(options.seriesFigures) : null;
  const seriesKinds = seriesPairs?.map((pair) => pair.kind) ?? null;
  const seriesCodes = seriesPairs?.map((pair) => DEFAULT_ACCOUNTS[pair.account].code) ?? null;
  const seriesChannels = options.seriesChannels ?? true;
  const bucketSql = period.granularity === "day" ? sql`d.day` : sql`GREATEST(date_trunc(${period.granularity}, d.day::timestamp)::date, ${period.from}::date)`;
  const rows = await withRollupHorizon(db, { organizationId, timezone }, async (horizon) => {
    const rows = await sqlOf(db).query<{ tag: string; kind: string; code: string; channel: string; amount: Int8; journals: number }>(sql`
      WITH days AS (
        SELECT t.day, t.kind, t.account_code AS code, t.channel, t.amount, t.journals
        FROM ledger_daily_totals t
        WHERE t.organization_id = ${organizationId}::uuid AND t.currency = ${currency} AND t.day >= ${from}::date AND t.day <= ${to}::date
          AND (${kinds}::text[] IS NULL OR t.kind = ANY(${kinds}::text[])) AND (${codes}::text[] IS NULL OR t.account_code = ANY(${codes}::text[]))
          AND EXISTS (SELECT 1 FROM ledger_rollup_state s WHERE s.organization_id = ${organizationId}::uuid AND s.timezone = ${timezone} AND s.horizon = ${horizon}::bigint)
        UNION ALL
        SELECT (e.occurred_at AT TIME ZONE ${timezone})::date, e.kind, a.code, ${CHANNEL_SQL}, SUM(l.amount)::bigint, COUNT(DISTINCT e.id)::int
        FROM journal_entries e
        JOIN journal_lines l ON l.journal_entry_id = e.id
        JOIN ledger_accounts a ON a.id = l.account_id
        LEFT JOIN payments p ON e.source_type = 'payment' AND p.id = e.source_id AND e.kind IN ('payment.succeeded', 'payment.manual', 'payment.manual.voided')
        WHERE e.organization_id = ${organizationId}::uuid AND e.xact_id >= ${horizon}::bigint AND e.currency = ${currency}
          AND e.occurred_at >= (${from}::date::timestamp AT TIME ZONE ${timezone})
          AND e.occurred_at < ((${to}::date + 1)::timestamp AT TIME ZONE ${timezone})
          AND (${kinds}::text[] IS NULL OR e.kind = ANY(${kinds}::text[])) AND (${codes}::text[] IS NULL OR a.code = ANY(${codes}::text[]))
        GROUP BY 1, 2, 3, 4
      ),
      totals AS (
        SELECT d.kind, d.code, d.channel,
               SUM(d.amount) FILTER (WHERE d.day BETWEEN ${period.from}::date AND ${period.to}::date) AS current_amount,
               SUM(d.journals) FILTER (WHERE d.day BETWEEN ${period.from}::date AND ${period.to}::date) AS current_journals,
               SUM(d.amount) FILTER (WHERE d.day BETWEEN ${period.previous.from}::date AND ${period.previous.to}::date) AS previous_amount,
               SUM(d.journals) FILTER (WHERE d.day BETWEEN ${period.previous.from}::date AND ${period.previous.to}::date) AS previous_journals,
               SUM(d.amount) FILTER (WHERE d.day BETWEEN ${last90?.from ?? null}::date AND ${last90?.to ?? null}::date) AS last90_amount,
               SUM(d.journals) FILTER (WHERE d.day BETWEEN ${last90?.from ?? null}::date AND ${last90?.to ?? null}::date) AS last90_journals
        FROM days d
        GROUP BY d.kind, d.code, d.channel
      )
      SELECT v.tag, t.kind, t.code, t.channel, v.amount::bigint AS amount, v.journals::int AS journals
      FROM totals t
      CROSS JOIN LATERAL (VALUES
        (${CURRENT}, t.current_amount, t.current_journals),
        (${PREVIOUS}, t.previous_amount, t.previous_journals),
        (${LAST_90_DAYS}, t.last90_amount, t.last90_journals)
      ) AS v(tag, amount, journals)
      WHERE v.amount IS NOT NULL
      UNION ALL
      SELECT 'bucket:' || b.bucket::text, b.kind, b.code, b.channel, SUM(b.amount)::bigint, SUM(b.journals)::int
      FROM (SELECT ${bucketSql} AS bucket, d.kind, d.code, CASE WHEN ${seriesChannels}::boolean THEN d.channel ELSE '' END AS channel, d.amount, d.journals
            FROM days d
            WHERE ${options.series}::boolean AND d.day BETWEEN ${period.from}::date AND ${period.to}::date
              AND (${seriesKinds}::text[] IS NULL
                   OR (d.kind, d.code) IN (SELECT pair.kind, pair.code FROM unnest(${seriesKinds}::text[], ${seriesCodes}::text[]) AS pair(kind, code)))) b
      GROUP BY b.bucket, b.kind, b.code, b.channel
      UNION ALL
      SELECT ${RECEIVABLE_TAG}, '', ${AR}, '',
             (COALESCE((SELECT SUM(t.amount) FROM ledger_daily_totals t
                        WHERE t.organization_id = ${organizationId}::uuid AND t.account_code = ${AR} AND t.currency = ${currency}
                          AND EXISTS (SELECT 1 FROM ledger_rollup_state s WHERE s.organization_id = ${organizationId}::uuid AND s.timezone = ${timezone} AND s.horizon = ${horizon}::bigint)), 0)
              + COALESCE((SELECT SUM(l.amount) FROM journal_entries e
                          JOIN journal_lines l ON l.journal_entry_id = e.id
                          JOIN ledger_accounts a ON a.id = l.account_id AND a.code = ${AR}
                          WHERE e.organization_id = ${organizationId}::uuid AND e.xact_id >= ${horizon}::bigint AND e.currency = ${currency}), 0))::bigint,
             0
      UNION ALL
      SELECT ${HORIZON_TAG}, '', '', '', ${horizonCheckSql({ organizationId, timezone })}::bigint, 0`);
    const seen = rows.find((row) => row.tag === HORIZON_TAG);
    return { result: rows.filter((row) => row.tag !== HORIZON_TAG), horizonSeen: Number(seen?.amount ?? 0) };
  });
  return rows.map((row) => ({
    tag: row.tag,
    kind: row.kind,
    account: ACCOUNT_BY_CODE.get(row.code) ?? null,
    channel: row.channel,
    amount: Number(row.amount),
    journals: row.journals,
  }));
}

/** The AR account's balance among loaded facts. */
export function receivableOf(facts: readonly LedgerFact[]): number {
  return facts.filter((fact) => fact.tag === RECEIVABLE_TAG).reduce((sum, fact) => sum + fact.amount, 0);
}
