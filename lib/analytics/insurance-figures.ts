import type { Db, Tx } from "@/lib/db/client";
import { sql, sqlOf, type Int8, type SqlFragment } from "@/lib/db/sql";
import { addDays, todayIn } from "@/lib/invoices/dates";
import { AGING_BUCKET_AGES, isOver90 } from "./aging-buckets";
import { AGING_BUCKETS, type AgingBucketKey, type AnalyticsPeriod, type CountAmount, type DateRange, type InsuranceReport } from "./analytics.types";
import { ledgerTotals, ratio } from "./ledger-figures";
import { loadLedgerFacts } from "./load-ledger-facts";
import { claimFactsSql, dailyContributionsSql, daysToPayContributionsSql, NOT_SUBMITTED, OPEN_CLAIM_STATUSES } from "./claim-report-facts";
import { CURRENT, PREVIOUS } from "./report-ranges";

export { OPEN_CLAIM_STATUSES } from "./claim-report-facts";

/** Where the claims' figures are read: the rollups plus the claims changed since (the default), or the claims themselves. */
export type InsuranceFiguresSource = "rollups" | "claims";

/** A claim's aging bucket for its age in days since submission, as SQL: agingBucket's edges, as the invoice aging. */
const BUCKET_SQL = sql`CASE ${sql.join(
  AGING_BUCKETS.flatMap((key) => {
    const { max } = AGING_BUCKET_AGES[key];
    return max === null ? [] : [sql`WHEN age <= ${max}::int THEN ${key}::text`];
  }),
  " ",
)} ELSE ${"120+" satisfies AgingBucketKey}::text END`;

/** `column` on one of the clinic's days `range` covers (from the start of `from` to the start of the day after `to`, in `timezone`). */
function onDays(column: SqlFragment, range: DateRange, timezone: string): SqlFragment {
  return sql`(${column} >= (${range.from}::date::timestamp AT TIME ZONE ${timezone}) AND ${column} < ((${range.to}::date + 1)::timestamp AT TIME ZONE ${timezone}))`;
}

const emptyBuckets = () => AGING_BUCKETS.map((key) => ({ key, count: 0, amount: 0 }));
const add = (sum: CountAmount, row: CountAmount): CountAmount => ({ count: sum.count + row.count, amount: sum.amount + row.amount });
const rounded = (value: number | string | null) => (value === null ? null : Math.round(Number(value) * 10) / 10);

/**
 * The insurance figures of a period (docs/remittances.md "Insurance in analytics"): receivable by
 * payer and age now, days to pay and the denial rate per payer, and from the ledger (its daily
 * rollups, as the other reports) what payers and patients paid, the contractual adjustments and
 * the net collection rate. The claims' figures come from the insurance rollups (claim_daily_totals,
 * claim_days_to_pay) plus the claims changed since they were refreshed, read live in the same
 * statement (refresh-claim-rollups.ts), so they are exact at that instant; without rollups in the
 * period's time zone (none yet, or the clinic's time zone changed since), or with `source: "claims"`,
 * from the claims, claim payments and claim events directly (the definitions' reference).
 */
export async function getInsuranceReport(
  db: Db | Tx,
  options: { organizationId: string; period: AnalyticsPeriod; now: Date; source?: InsuranceFiguresSource },
): Promise<InsuranceReport> {
  const { organizationId, period } = options;
  const source = options.source ?? "rollups";
  // One statement after another: `db` may be a transaction's single connection.
  const hasClaims = await hasSubmittedClaims(db, organizationId);
  const receivables = await loadInsuranceReceivables(db, { organizationId, timezone: period.timezone, asOf: todayIn(period.timezone, options.now), source });
  const daysToPay = await loadDaysToPay(db, { organizationId, period, source });
  const denials = await loadDenials(db, { organizationId, period, source });
  const facts = await loadLedgerFacts(db, {
    organizationId,
    period,
    series: false,
    figures: ["claimCharges", "insurerPaid", "contractualAdjustments", "collections", "refunds", "charges", "creditNotes", "patientShareBilled"],
  });
  const current = ledgerTotals(facts, CURRENT);
  const previous = ledgerTotals(facts, PREVIOUS);
  const pair = (figure: "claimCharges" | "insurerPaid" | "contractualAdjustments" | "collections") => ({
    current: current[figure],
    previous: previous[figure],
  });
  const netCollectionRate = (totals: typeof current) =>
    ratio(
      totals.insurerPaid + totals.collections - totals.refunds,
      totals.claimCharges + totals.charges - totals.creditNotes - totals.patientShareBilled - totals.contractualAdjustments,
    );
  return {
    period,
    hasClaims,
    receivables,
    daysToPay,
    denials,
    claimCharges: pair("claimCharges"),
    insurerPaid: pair("insurerPaid"),
    contractualAdjustments: pair("contractualAdjustments"),
    patientCollections: pair("collections"),
    insurerShare: {
      current: ratio(current.insurerPaid, current.insurerPaid + current.collections),
      previous: ratio(previous.insurerPaid, previous.insurerPaid + previous.collections),
    },
    netCollectionRate: { current: netCollectionRate(current), previous: netCollectionRate(previous) },
  };
}

/** Whether the clinic has sent any claim (one past draft and ready): what the insurance figures are about. */
export async function hasSubmittedClaims(db: Db | Tx, organizationId: string): Promise<boolean> {
  const [row] = await sqlOf(db).query<{ exists: boolean }>(sql`
    SELECT EXISTS (SELECT 1 FROM claims WHERE organization_id = ${organizationId}::uuid AND status <> ALL(${NOT_SUBMITTED}::"ClaimStatus"[])) AS exists`);
  return row?.exists ?? false;
}

/**
 * What payers owe now: the insurance balance of claims sent and not closed, by payer and by days
 * from submission (the clinic's date it was sent) to the clinic's `asOf`, in the invoice aging's
 * buckets. The total is the insurance receivable (account 1110) less what closed claims still hold.
 */
export async function loadInsuranceReceivables(
  db: Db | Tx,
  options: { organizationId: string; timezone: string; asOf: string; source?: InsuranceFiguresSource },
): Promise<InsuranceReport["receivables"]> {
  const rows = (options.source !== "claims" ? await receivableRowsFromRollups(db, options) : null) ?? (await receivableRowsFromClaims(db, options));
  return shapeReceivables(options.asOf, rows);
}

type ReceivableRow = { payerId: string; payerName: string; bucket: AgingBucketKey; count: number; amount: Int8 };

async function receivableRowsFromClaims(db: Db | Tx, options: { organizationId: string; timezone: string; asOf: string }): Promise<ReceivableRow[]> {
  return sqlOf(db).query<ReceivableRow>(sql`
    SELECT c.payer_id::text AS "payerId", p.name AS "payerName", c.bucket, c.count, c.amount
    FROM (
      SELECT payer_id, ${BUCKET_SQL} AS bucket, COUNT(*)::int AS count, SUM(insurance_balance)::bigint AS amount
      FROM (
        SELECT payer_id, insurance_balance, ${options.asOf}::date - (COALESCE(submitted_at, created_at) AT TIME ZONE ${options.timezone})::date AS age
        FROM claims
        WHERE organization_id = ${options.organizationId}::uuid AND status = ANY(${OPEN_CLAIM_STATUSES}::"ClaimStatus"[]) AND insurance_balance <> 0
      ) open_claims
      GROUP BY payer_id, 2
    ) c
    JOIN payers p ON p.id = c.payer_id`);
}

/** The rows of receivableRowsFromClaims from the rollups and the dirty claims; null when the rollups are not in `timezone`. */
async function receivableRowsFromRollups(db: Db | Tx, options: { organizationId: string; timezone: string; asOf: string }): Promise<ReceivableRow[] | null> {
  const { organizationId } = options;
  const rows = await sqlOf(db).query<{ ok: boolean } & { [K in keyof ReceivableRow]: ReceivableRow[K] | null }>(sql`
    WITH ${rollupPrelude(options)},
    open_claims AS (
      SELECT payer_id, day, open_claims, open_balance FROM claim_daily_totals WHERE organization_id = ${organizationId}::uuid AND open_claims <> 0
      UNION ALL
      SELECT payer_id, day, open_claims, open_balance FROM (${dailyContributionsSql(sql`live`)}) live_rows WHERE open_claims <> 0
      UNION ALL
      SELECT payer_id, day, open_claims, open_balance FROM (${dailyContributionsSql(sql`stored`, -1)}) stored_rows WHERE open_claims <> 0
    ),
    grouped AS (
      SELECT payer_id, ${BUCKET_SQL} AS bucket, SUM(open_claims)::int AS count, SUM(open_balance)::bigint AS amount
      FROM (SELECT payer_id, open_claims, open_balance, ${options.asOf}::date - day AS age FROM open_claims) aged
      GROUP BY payer_id, 2
      HAVING SUM(open_claims) <> 0
    )
    SELECT state.ok, g.payer_id::text AS "payerId", p.name AS "payerName", g.bucket, g.count, g.amount
    FROM state LEFT JOIN (grouped g JOIN payers p ON p.id = g.payer_id) ON true`);
  if (!rows[0]?.ok) return null;
  return rows.filter((row): row is { ok: boolean } & ReceivableRow => row.payerId !== null);
}

/**
 * The first common table expressions of a statement that reads the rollups: `state` (one row, `ok`:
 * the rollups are in `timezone`), `live` (the facts now of the claims marked dirty) and `stored`
 * (their facts in the rollups), so that rollups − stored + live are the facts of every claim now.
 */
function rollupPrelude(options: { organizationId: string; timezone: string }): SqlFragment {
  const { organizationId, timezone } = options;
  return sql`
    state AS (
      SELECT EXISTS (SELECT 1 FROM claim_rollup_state WHERE organization_id = ${organizationId}::uuid AND timezone = ${timezone}) AS ok
    ),
    dirty AS (SELECT claim_id FROM claim_rollup_dirty WHERE organization_id = ${organizationId}::uuid),
    live AS (${claimFactsSql({ timezone, where: sql`c.organization_id = ${organizationId}::uuid AND c.id IN (SELECT claim_id FROM dirty)` })}),
    stored AS (
      SELECT f.* FROM claim_report_facts f
      WHERE f.organization_id = ${organizationId}::uuid AND f.claim_id IN (SELECT claim_id FROM dirty)
    )`;
}

function shapeReceivables(asOf: string, rows: readonly ReceivableRow[]): InsuranceReport["receivables"] {
  const payers = new Map<string, InsuranceReport["receivables"]["byPayer"][number]>();
  const buckets = emptyBuckets();
  for (const row of rows) {
    const amount = { count: row.count, amount: Number(row.amount) };
    let payer = payers.get(row.payerId);
    if (!payer) payers.set(row.payerId, (payer = { payerId: row.payerId, payerName: row.payerName, total: { count: 0, amount: 0 }, buckets: emptyBuckets() }));
    const payerBucket = payer.buckets.find((bucket) => bucket.key === row.bucket)!;
    Object.assign(payerBucket, add(payerBucket, amount));
    payer.total = add(payer.total, amount);
    const bucket = buckets.find((candidate) => candidate.key === row.bucket)!;
    Object.assign(bucket, add(bucket, amount));
  }
  const total = buckets.reduce(add, { count: 0, amount: 0 });
  const over90Amount = buckets.filter((bucket) => isOver90(bucket.key)).reduce((sum, bucket) => sum + bucket.amount, 0);
  return {
    asOf,
    buckets,
    total,
    over90Amount,
    over90Percent: ratio(over90Amount, total.amount),
    byPayer: [...payers.values()].toSorted((a, b) => b.total.amount - a.total.amount || a.payerName.localeCompare(b.payerName)),
  };
}

/**
 * Days to pay: for each claim whose first payment still standing (a posted claim payment with a
 * positive amount; a payment the payer reversed no longer counts) was posted in the period, the
 * clinic days from its submission to that posting; their average and median, by payer and overall.
 * From the days-to-pay histogram, or (daysToPayRowsFromClaims) the period's posted claim payments,
 * each checked against the claim's earlier ones by the claim's index.
 */
async function loadDaysToPay(
  db: Db | Tx,
  options: { organizationId: string; period: AnalyticsPeriod; source: InsuranceFiguresSource },
): Promise<InsuranceReport["daysToPay"]> {
  const rows = (options.source !== "claims" ? await daysToPayRowsFromRollups(db, options) : null) ?? (await daysToPayRowsFromClaims(db, options));
  const overall = rows.find((row) => row.payerId === null);
  return {
    overall: { claims: overall?.claims ?? 0, averageDays: rounded(overall?.average ?? null), medianDays: rounded(overall?.median ?? null) },
    byPayer: rows
      .filter((row) => row.payerId !== null)
      .map((row) => ({
        payerId: row.payerId!,
        payerName: row.payerName ?? "",
        claims: row.claims,
        averageDays: rounded(row.average),
        medianDays: rounded(row.median),
      }))
      .toSorted((a, b) => b.claims - a.claims || a.payerName.localeCompare(b.payerName)),
  };
}

/** Per payer (and overall: payerId null): claims first paid in the period, their average days to pay (AVG's numeric, as text) and median. */
type DaysToPayRow = { payerId: string | null; payerName: string | null; claims: number; average: string | null; median: number | null };

async function daysToPayRowsFromClaims(db: Db | Tx, options: { organizationId: string; period: AnalyticsPeriod }): Promise<DaysToPayRow[]> {
  const { organizationId, period } = options;
  return sqlOf(db).query<DaysToPayRow>(sql`
    WITH first_paid AS (
      SELECT rc.claim_id, rc.posted_at
      FROM remittance_claims rc
      WHERE rc.organization_id = ${organizationId}::uuid AND rc.status = 'posted' AND rc.paid_amount > 0 AND rc.claim_id IS NOT NULL
        AND ${onDays(sql`rc.posted_at`, period, period.timezone)}
        AND NOT EXISTS (
          SELECT 1 FROM remittance_claims earlier
          WHERE earlier.claim_id = rc.claim_id AND earlier.status = 'posted' AND earlier.paid_amount > 0
            AND (earlier.posted_at < rc.posted_at OR (earlier.posted_at = rc.posted_at AND earlier.id < rc.id))
        )
    ),
    waits AS (
      SELECT c.payer_id, (f.posted_at AT TIME ZONE ${period.timezone})::date - (COALESCE(c.submitted_at, c.created_at) AT TIME ZONE ${period.timezone})::date AS days
      FROM first_paid f
      JOIN claims c ON c.id = f.claim_id AND c.organization_id = ${organizationId}::uuid
    )
    SELECT w.payer_id::text AS "payerId", p.name AS "payerName", w.claims, w.average::text AS average, w.median
    FROM (
      SELECT payer_id, COUNT(*)::int AS claims, AVG(days) AS average, percentile_cont(0.5) WITHIN GROUP (ORDER BY days) AS median
      FROM waits
      GROUP BY GROUPING SETS ((payer_id), ())
    ) w
    LEFT JOIN payers p ON p.id = w.payer_id`);
}

/**
 * The rows of daysToPayRowsFromClaims from the days-to-pay histogram (claim_days_to_pay plus the
 * dirty claims live); null when the rollups are not in the period's time zone. The average is
 * AVG's own arithmetic (the sum of days ÷ the count, as numeric); the median is percentile_cont(0.5)'s
 * (the middle value, or halfway between the two middle ones) read from the histogram.
 */
async function daysToPayRowsFromRollups(db: Db | Tx, options: { organizationId: string; period: AnalyticsPeriod }): Promise<DaysToPayRow[] | null> {
  const { organizationId, period } = options;
  const inPeriod = sql`day BETWEEN ${period.from}::date AND ${period.to}::date`;
  // The period's whole months are read from the monthly sums, the days outside them by day.
  const months = wholeMonths(period);
  const inMonths = sql`(day >= ${months.start}::date AND day < ${months.end}::date)`;
  const rows = await sqlOf(db).query<{
    ok: boolean;
    payerId: string | null;
    payerName: string | null;
    claims: number | null;
    average: string | null;
    days: number[] | null;
    counts: number[] | null;
  }>(sql`
    WITH ${rollupPrelude({ organizationId, timezone: period.timezone })},
    histogram AS (
      SELECT payer_id, days_to_pay, claims FROM claim_days_to_pay_monthly
      WHERE organization_id = ${organizationId}::uuid AND month >= ${months.start}::date AND month < ${months.end}::date
      UNION ALL
      SELECT payer_id, days_to_pay, claims FROM claim_days_to_pay WHERE organization_id = ${organizationId}::uuid AND ${inPeriod} AND NOT ${inMonths}
      UNION ALL
      SELECT payer_id, days_to_pay, claims FROM (${daysToPayContributionsSql(sql`live`)}) live_rows WHERE ${inPeriod}
      UNION ALL
      SELECT payer_id, days_to_pay, claims FROM (${daysToPayContributionsSql(sql`stored`, -1)}) stored_rows WHERE ${inPeriod}
    ),
    by_days AS (
      SELECT payer_id, days_to_pay AS days, SUM(claims)::bigint AS claims FROM histogram GROUP BY payer_id, days_to_pay HAVING SUM(claims) <> 0
    ),
    w AS (
      SELECT payer_id, COALESCE(SUM(claims), 0)::int AS claims,
             (SUM(days::bigint * claims)::numeric / NULLIF(SUM(claims), 0)::numeric)::text AS average,
             array_agg(days ORDER BY days) AS days, array_agg(claims::int ORDER BY days) AS counts
      FROM by_days
      GROUP BY GROUPING SETS ((payer_id), ())
    )
    SELECT state.ok, w.payer_id::text AS "payerId", p.name AS "payerName", w.claims, w.average, w.days, w.counts
    FROM state LEFT JOIN (w LEFT JOIN payers p ON p.id = w.payer_id) ON true`);
  if (!rows[0]?.ok) return null;
  return rows
    .filter((row) => row.claims !== null)
    .map((row) => ({
      payerId: row.payerId,
      payerName: row.payerName,
      claims: row.claims ?? 0,
      average: row.average,
      median: medianOfHistogram(row.days ?? [], row.counts ?? []),
    }));
}

/** The whole calendar months in a range, as [start, end) first days (start = end = from when there is none). */
export function wholeMonths(range: DateRange): { start: string; end: string } {
  const firstOf = (day: string) => `${day.slice(0, 8)}01`;
  const start = range.from.endsWith("-01") ? range.from : firstOf(addDays(firstOf(range.from), 31));
  const end = firstOf(addDays(range.to, 1));
  return start < end ? { start, end } : { start: range.from, end: range.from };
}

/** percentile_cont(0.5) of the values `days[i]` each repeated `counts[i]` times (days ascending): its interpolation, in the same float arithmetic. */
export function medianOfHistogram(days: readonly number[], counts: readonly number[]): number | null {
  const total = counts.reduce((sum, count) => sum + count, 0);
  if (total === 0) return null;
  const position = 0.5 * (total - 1);
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const valueAt = (index: number) => {
    let seen = 0;
    for (let i = 0; i < days.length; i++) {
      seen += counts[i]!;
      if (index < seen) return days[i]!;
    }
    throw new Error("medianOfHistogram: position beyond the counts");
  };
  const first = valueAt(lower);
  return lower === upper ? first : first + (valueAt(upper) - first) * (position - lower);
}

/**
 * The denial rate of the claims submitted in the period (and in the previous period): of them, the
 * ones whose first adjudication (their first remittance_posted claim event) left them denied, by
 * count and by charges. Claims not adjudicated yet count as submitted and not denied.
 *
 * From claim_daily_totals, or (denialRowsFromClaims) the claims: only a claim payment that paid
 * nothing (or says CLP02 4, denied) leaves a claim denied (lib/remittances' claimStatusAfter), so the
 * first adjudication is looked up (one probe of the claim events' index each) only for the cohort's
 * claims with such a payment: the few, not all. claimFactsSql keeps the same condition.
 */
async function loadDenials(
  db: Db | Tx,
  options: { organizationId: string; period: AnalyticsPeriod; source: InsuranceFiguresSource },
): Promise<InsuranceReport["denials"]> {
  const rows = (options.source !== "claims" ? await denialRowsFromRollups(db, options) : null) ?? (await denialRowsFromClaims(db, options));
  return shapeDenials(rows);
}

/** Per payer with claims submitted in the period or the previous one: those submitted and those first denied, by count and charges. */
type DenialRow = {
  payerId: string;
  payerName: string;
  submitted: number;
  submittedAmount: Int8;
  denied: number;
  deniedAmount: Int8;
  previousSubmitted: number;
  previousSubmittedAmount: Int8;
  previousDenied: number;
  previousDeniedAmount: Int8;
};

/** The rows of denialRowsFromClaims from claim_daily_totals plus the dirty claims live; null when the rollups are not in the period's time zone. */
async function denialRowsFromRollups(db: Db | Tx, options: { organizationId: string; period: AnalyticsPeriod }): Promise<DenialRow[] | null> {
  const { organizationId, period } = options;
  const current = sql`day BETWEEN ${period.from}::date AND ${period.to}::date`;
  const previous = sql`day BETWEEN ${period.previous.from}::date AND ${period.previous.to}::date`;
  const columns = sql`payer_id, day, submitted, submitted_charge, denied, denied_charge`;
  const rows = await sqlOf(db).query<{ ok: boolean } & { [K in keyof DenialRow]: DenialRow[K] | null }>(sql`
    WITH ${rollupPrelude({ organizationId, timezone: period.timezone })},
    cohort AS (
      SELECT ${columns} FROM claim_daily_totals
      WHERE organization_id = ${organizationId}::uuid AND submitted <> 0 AND (${current} OR ${previous})
      UNION ALL
      SELECT ${columns} FROM (${dailyContributionsSql(sql`live`)}) live_rows WHERE submitted <> 0 AND (${current} OR ${previous})
      UNION ALL
      SELECT ${columns} FROM (${dailyContributionsSql(sql`stored`, -1)}) stored_rows WHERE submitted <> 0 AND (${current} OR ${previous})
    ),
    by_payer AS (
      SELECT payer_id,
             COALESCE(SUM(submitted) FILTER (WHERE ${current}), 0)::int AS submitted,
             COALESCE(SUM(submitted_charge) FILTER (WHERE ${current}), 0)::bigint AS submitted_amount,
             COALESCE(SUM(denied) FILTER (WHERE ${current}), 0)::int AS denied,
             COALESCE(SUM(denied_charge) FILTER (WHERE ${current}), 0)::bigint AS denied_amount,
             COALESCE(SUM(submitted) FILTER (WHERE NOT ${current}), 0)::int AS previous_submitted,
             COALESCE(SUM(submitted_charge) FILTER (WHERE NOT ${current}), 0)::bigint AS previous_submitted_amount,
             COALESCE(SUM(denied) FILTER (WHERE NOT ${current}), 0)::int AS previous_denied,
             COALESCE(SUM(denied_charge) FILTER (WHERE NOT ${current}), 0)::bigint AS previous_denied_amount
      FROM cohort
      GROUP BY payer_id
      HAVING SUM(submitted) <> 0
    )
    SELECT state.ok, b.payer_id::text AS "payerId", p.name AS "payerName",
           b.submitted, b.submitted_amount AS "submittedAmount", b.denied, b.denied_amount AS "deniedAmount",
           b.previous_submitted AS "previousSubmitted", b.previous_submitted_amount AS "previousSubmittedAmount",
           b.previous_denied AS "previousDenied", b.previous_denied_amount AS "previousDeniedAmount"
    FROM state LEFT JOIN (by_payer b JOIN payers p ON p.id = b.payer_id) ON true`);
  if (!rows[0]?.ok) return null;
  return rows.filter((row): row is { ok: boolean } & DenialRow => row.payerId !== null);
}

async function denialRowsFromClaims(db: Db | Tx, options: { organizationId: string; period: AnalyticsPeriod }): Promise<DenialRow[]> {
  const { organizationId, period } = options;
  const current = onDays(sql`c.submitted_at`, period, period.timezone);
  const previous = onDays(sql`c.submitted_at`, period.previous, period.timezone);
  const cohort = sql`c.organization_id = ${organizationId}::uuid AND c.status <> ALL(${NOT_SUBMITTED}::"ClaimStatus"[]) AND (${current} OR ${previous})`;
  return sqlOf(db).query<DenialRow>(sql`
    WITH submitted AS (
      SELECT c.payer_id,
             COUNT(*) FILTER (WHERE ${current})::int AS submitted,
             COALESCE(SUM(c.total_charge) FILTER (WHERE ${current}), 0)::bigint AS submitted_amount,
             COUNT(*) FILTER (WHERE NOT ${current})::int AS previous_submitted,
             COALESCE(SUM(c.total_charge) FILTER (WHERE NOT ${current}), 0)::bigint AS previous_submitted_amount
      FROM claims c
      WHERE ${cohort}
      GROUP BY c.payer_id
    ),
    may_be_denied AS (
      SELECT DISTINCT rc.claim_id
      FROM remittance_claims rc
      WHERE rc.organization_id = ${organizationId}::uuid AND rc.status IN ('posted', 'reversed') AND rc.claim_id IS NOT NULL
        AND rc.status_code <> '22' AND (rc.paid_amount = 0 OR rc.status_code = '4')
    ),
    denied AS (
      SELECT c.payer_id,
             COUNT(*) FILTER (WHERE ${current})::int AS denied,
             COALESCE(SUM(c.total_charge) FILTER (WHERE ${current}), 0)::bigint AS denied_amount,
             COUNT(*) FILTER (WHERE NOT ${current})::int AS previous_denied,
             COALESCE(SUM(c.total_charge) FILTER (WHERE NOT ${current}), 0)::bigint AS previous_denied_amount
      FROM may_be_denied m
      JOIN claims c ON c.id = m.claim_id
      CROSS JOIN LATERAL (
        SELECT e.to_status FROM claim_events e
        WHERE e.claim_id = c.id AND e.kind = 'remittance_posted'
        ORDER BY e.created_at, e.id
        LIMIT 1
      ) first_adjudication
      WHERE ${cohort} AND first_adjudication.to_status = 'denied'
      GROUP BY c.payer_id
    )
    SELECT s.payer_id::text AS "payerId", p.name AS "payerName",
           s.submitted, s.submitted_amount AS "submittedAmount",
           COALESCE(d.denied, 0) AS denied, COALESCE(d.denied_amount, 0) AS "deniedAmount",
           s.previous_submitted AS "previousSubmitted", s.previous_submitted_amount AS "previousSubmittedAmount",
           COALESCE(d.previous_denied, 0) AS "previousDenied", COALESCE(d.previous_denied_amount, 0) AS "previousDeniedAmount"
    FROM submitted s
    LEFT JOIN denied d ON d.payer_id = s.payer_id
    JOIN payers p ON p.id = s.payer_id`);
}

function shapeDenials(rows: readonly DenialRow[]): InsuranceReport["denials"] {
  const sum = (pick: (row: DenialRow) => number | Int8) => rows.reduce((total, row) => total + Number(pick(row)), 0);
  const submitted = { count: { current: sum((row) => row.submitted), previous: sum((row) => row.previousSubmitted) } };
  const submittedAmount = { current: sum((row) => row.submittedAmount), previous: sum((row) => row.previousSubmittedAmount) };
  const deniedCount = { current: sum((row) => row.denied), previous: sum((row) => row.previousDenied) };
  const deniedAmount = { current: sum((row) => row.deniedAmount), previous: sum((row) => row.previousDeniedAmount) };
  return {
    submitted: { count: submitted.count, amount: submittedAmount },
    initiallyDenied: { count: deniedCount, amount: deniedAmount },
    denialRate: { current: ratio(deniedCount.current, submitted.count.current), previous: ratio(deniedCount.previous, submitted.count.previous) },
    denialRateByAmount: { current: ratio(deniedAmount.current, submittedAmount.current), previous: ratio(deniedAmount.previous, submittedAmount.previous) },
    byPayer: rows
      .filter((row) => row.submitted > 0)
      .map((row) => {
        const payerSubmitted = { count: row.submitted, amount: Number(row.submittedAmount) };
        const payerDenied = { count: row.denied, amount: Number(row.deniedAmount) };
        return {
          payerId: row.payerId,
          payerName: row.payerName,
          submitted: payerSubmitted,
          initiallyDenied: payerDenied,
          denialRate: ratio(payerDenied.count, payerSubmitted.count),
          denialRateByAmount: ratio(payerDenied.amount, payerSubmitted.amount),
        };
      })
      .toSorted((a, b) => b.submitted.count - a.submitted.count || a.payerName.localeCompare(b.payerName)),
  };
}
