import type { Db, Tx } from "@/lib/db/client";
import { sql, sqlOf, type Int8, type SqlFragment } from "@/lib/db/sql";
import { todayIn } from "@/lib/invoices/dates";
import { AGING_BUCKET_AGES, isOver90 } from "./aging-buckets";
import { AGING_BUCKETS, type AgingBucketKey, type AnalyticsPeriod, type CountAmount, type DateRange, type InsuranceReport } from "./analytics.types";
import { ledgerTotals, ratio } from "./ledger-figures";
import { loadLedgerFacts } from "./load-ledger-facts";
import { CURRENT, PREVIOUS } from "./report-ranges";

/** Claim statuses that owe nothing to analytics: not yet sent (draft, ready) or settled for good (closed). */
const NOT_SUBMITTED = ["draft", "ready"] as const;
/** Claims whose insurance balance counts as receivable now: sent, and not closed. */
export const OPEN_CLAIM_STATUSES = ["submitted", "accepted", "rejected", "paid", "partially_paid", "denied"] as const;

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
 * the net collection rate. Each claims query reads one organization's claims through their
 * indexes; no journal is scanned beyond what loadLedgerFacts reads for every report.
 */
export async function getInsuranceReport(db: Db | Tx, options: { organizationId: string; period: AnalyticsPeriod; now: Date }): Promise<InsuranceReport> {
  const { organizationId, period } = options;
  // One statement after another: `db` may be a transaction's single connection.
  const hasClaims = await hasSubmittedClaims(db, organizationId);
  const receivables = await loadInsuranceReceivables(db, { organizationId, timezone: period.timezone, asOf: todayIn(period.timezone, options.now) });
  const daysToPay = await loadDaysToPay(db, { organizationId, period });
  const denials = await loadDenials(db, { organizationId, period });
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
  options: { organizationId: string; timezone: string; asOf: string },
): Promise<InsuranceReport["receivables"]> {
  const rows = await sqlOf(db).query<{ payerId: string; payerName: string; bucket: AgingBucketKey; count: number; amount: Int8 }>(sql`
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
    asOf: options.asOf,
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
 * Reads the period's posted claim payments, each checked against the claim's earlier ones by the
 * claim's index.
 */
async function loadDaysToPay(db: Db | Tx, options: { organizationId: string; period: AnalyticsPeriod }): Promise<InsuranceReport["daysToPay"]> {
  const { organizationId, period } = options;
  const rows = await sqlOf(db).query<{
    payerId: string | null;
    payerName: string | null;
    claims: number;
    average: string | null;
    median: number | null;
  }>(sql`
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

/**
 * The denial rate of the claims submitted in the period (and in the previous period): of them, the
 * ones whose first adjudication (their first remittance_posted claim event) left them denied, by
 * count and by charges. Claims not adjudicated yet count as submitted and not denied.
 *
 * Only a claim payment that paid nothing (or says CLP02 4, denied) leaves a claim denied
 * (lib/remittances' claimStatusAfter), so the first adjudication is looked up (one probe of the claim
 * events' index each) only for the cohort's claims with such a payment: the few, not all.
 */
async function loadDenials(db: Db | Tx, options: { organizationId: string; period: AnalyticsPeriod }): Promise<InsuranceReport["denials"]> {
  const { organizationId, period } = options;
  const current = onDays(sql`c.submitted_at`, period, period.timezone);
  const previous = onDays(sql`c.submitted_at`, period.previous, period.timezone);
  const cohort = sql`c.organization_id = ${organizationId}::uuid AND c.status <> ALL(${NOT_SUBMITTED}::"ClaimStatus"[]) AND (${current} OR ${previous})`;
  const rows = await sqlOf(db).query<{
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
  }>(sql`
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
  const sum = (pick: (row: (typeof rows)[number]) => number | Int8) => rows.reduce((total, row) => total + Number(pick(row)), 0);
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
