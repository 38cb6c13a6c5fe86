import type { Db, Tx } from "@/lib/db/client";
import { sql, sqlOf, type Int8 } from "@/lib/db/sql";
import { DEFAULT_ACCOUNTS, type AccountKey } from "@/lib/ledger/accounts";
import type { DateRange } from "./analytics.types";
import type { LedgerFact } from "./ledger-facts-types";

const ACCOUNT_BY_CODE = new Map<string, AccountKey>(Object.entries(DEFAULT_ACCOUNTS).map(([key, account]) => [account.code, key as AccountKey]));

/** The tag of the receivable (the AR account's balance now, all time) among the facts. */
export const RECEIVABLE_TAG = "receivable";

/**
 * A payment journal's channel, from the payment it is about (journals of other kinds: ''). Card
 * and bank debits by where they started; front-desk payments by their method (a check is booked
 * to cash, but its channel is check).
 */
export const CHANNEL_SQL = sql`CASE
  WHEN p.id IS NULL THEN ''
  WHEN p.source = 'pay_page' AND p.method_type = 'card' THEN 'pay_page_card'
  WHEN p.source = 'pay_page' THEN 'pay_page_bank'
  WHEN p.source = 'saved_card' THEN 'saved_card'
  ELSE p.method_type::text END`;

/**
 * The organization's journal lines in its currency, grouped by tag (each of `ranges`, clinic
 * calendar days by the journal's occurred_at in `timezone`), kind, account and channel; plus the
 * AR account's balance now under the tag "receivable". One statement, one snapshot.
 */
export async function loadLedgerFacts(
  db: Db | Tx,
  options: { organizationId: string; currency: string; timezone: string; ranges: (DateRange & { tag: string })[] },
): Promise<LedgerFact[]> {
  const { organizationId, currency, timezone, ranges } = options;
  const from = ranges.reduce((min, range) => (range.from < min ? range.from : min), ranges[0]?.from ?? "9999-12-31");
  const to = ranges.reduce((max, range) => (range.to > max ? range.to : max), ranges[0]?.to ?? "0001-01-01");
  const rows = await sqlOf(db).query<{ tag: string; kind: string; code: string; channel: string; amount: Int8; journals: number }>(sql`
    WITH ranges AS (
      SELECT * FROM unnest(${ranges.map((range) => range.tag)}::text[], ${ranges.map((range) => range.from)}::date[], ${ranges.map((range) => range.to)}::date[])
        AS r(tag, day_from, day_to)
    ),
    days AS (
      SELECT (e.occurred_at AT TIME ZONE ${timezone})::date AS day, e.kind, a.code, ${CHANNEL_SQL} AS channel,
             SUM(l.amount)::bigint AS amount, COUNT(DISTINCT e.id)::int AS journals
      FROM journal_entries e
      JOIN journal_lines l ON l.journal_entry_id = e.id
      JOIN ledger_accounts a ON a.id = l.account_id
      LEFT JOIN payments p ON e.source_type = 'payment' AND p.id = e.source_id AND e.kind IN ('payment.succeeded', 'payment.manual', 'payment.manual.voided')
      WHERE e.organization_id = ${organizationId}::uuid AND e.currency = ${currency}
        AND e.occurred_at >= (${from}::date::timestamp AT TIME ZONE ${timezone})
        AND e.occurred_at < ((${to}::date + 1)::timestamp AT TIME ZONE ${timezone})
      GROUP BY 1, 2, 3, 4
    )
    SELECT r.tag, d.kind, d.code, d.channel, SUM(d.amount)::bigint AS amount, SUM(d.journals)::int AS journals
    FROM days d JOIN ranges r ON d.day BETWEEN r.day_from AND r.day_to
    GROUP BY r.tag, d.kind, d.code, d.channel
    UNION ALL
    SELECT ${RECEIVABLE_TAG}, '', a.code, '', COALESCE(SUM(l.amount), 0)::bigint, 0
    FROM ledger_accounts a
    LEFT JOIN journal_lines l ON l.account_id = a.id
      AND EXISTS (SELECT 1 FROM journal_entries e WHERE e.id = l.journal_entry_id AND e.currency = ${currency})
    WHERE a.organization_id = ${organizationId}::uuid AND a.code = ${DEFAULT_ACCOUNTS.accountsReceivable.code}
    GROUP BY a.code`);
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
