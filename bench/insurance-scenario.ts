/**
 * The `insurance` scenario of `npm run bench` (docs/remittances.md "Insurance in analytics"): the
 * insurance report (getInsuranceReport: A/R by payer and age, days to pay, denial rate, and the
 * ledger's money figures) for one clinic with BENCH_INSURANCE_CLAIMS claims (default 300,000) over
 * two years, for the last 12 months and for this month, one request at a time:
 *
 * 1. read from the claims themselves (source "claims": what the report did before the rollups);
 * 2. the first refresh of the rollups (a rebuild from every claim), timed;
 * 3. read from the rollups (the default), then again with 200 claims marked dirty (a busy minute's
 *    changes, read live by every report until the next refresh), and the incremental refresh of them;
 * 4. the figures of 1 and 3 compared: equal, or the bench fails.
 *
 * Runs in a scratch database it creates next to `adminUrl` and drops at the end. The claims are
 * written in set-based SQL (with session_replication_role = replica: no foreign key checks and no
 * triggers while loading; the first refresh rebuilds from the claims anyway). Mix: 6 in 8 claims
 * paid (1 in 8 of those partially), 1 in 8 denied (1 in 8 of those written off and closed), 1 in 8
 * open; 1 in 100 paid once, reversed and paid again; payments 5–55 days after submission, those that
 * would fall in the future not made yet. No journals: the ledger's figures come from its own rollups
 * and are measured at scale by the `analytics` scenario.
 */
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { summarize, type LatencySummary } from "./stats";

export type InsuranceTiming = { label: string; range: { from: string; to: string }; repetitions: number; latencyMs: LatencySummary };

export type InsuranceScenarioResult = {
  claims: number;
  seedSeconds: number;
  tableSizes: { table: string; rows: number; size: string }[];
  firstRefreshSeconds: number;
  incrementalRefresh: { dirtyClaims: number; ms: number };
  timings: InsuranceTiming[];
  exact: boolean;
};

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);
const PAYERS = 5;
const PATIENTS = 20_000;
const DIRTY = 200;

export async function runInsuranceScenario(options: {
  adminUrl: string;
  claims: number;
  repetitions: number;
  fromClaimsRepetitions: number;
  say: (message: string) => void;
}): Promise<InsuranceScenarioResult> {
  const { say } = options;
  const admin = new URL(options.adminUrl);
  if (!LOCAL_HOSTS.has(admin.hostname)) throw new Error(`insurance bench: refusing the non-local database host ${admin.hostname}`);
  const databaseName = `carebill_insbench_${randomBytes(4).toString("hex")}`;
  const url = new URL(options.adminUrl);
  url.pathname = `/${databaseName}`;
  const adminClient = new pg.Client({ connectionString: options.adminUrl });
  await adminClient.connect();
  await adminClient.query(`CREATE DATABASE "${databaseName}"`);
  say(`insurance: database ${databaseName}`);
  const { createDb } = await import("@/lib/db/client");
  const db = createDb({ connectionString: url.toString(), poolSize: 4 });
  try {
    const { migrate } = await import("@/lib/db/migrate");
    await migrate({ connectionString: url.toString() });
    const { createOrganization } = await import("@/lib/organizations/create-organization");
    const { organizationId } = await createOrganization(db, {
      slug: "insurance-bench",
      name: "Insurance Bench Clinic",
      admin: { email: "insurance-bench@example.test", name: "Bench", password: "bench-password-123" },
    });

    const seedStarted = performance.now();
    await seedClaims(url.toString(), organizationId, options.claims);
    const seedSeconds = Math.round((performance.now() - seedStarted) / 100) / 10;
    say(`insurance: seeded ${options.claims} claims in ${seedSeconds} s`);

    const { resolveAnalyticsPeriod } = await import("@/lib/analytics/analytics-period");
    const { getInsuranceReport } = await import("@/lib/analytics/insurance-figures");
    const { refreshClaimRollups } = await import("@/lib/analytics/refresh-claim-rollups");
    const { addDays, todayIn } = await import("@/lib/invoices/dates");
    const { sql, sqlOf } = await import("@/lib/db/sql");
    const organization = { timezone: "America/New_York", currency: "USD" };
    const now = new Date();
    const today = todayIn(organization.timezone, now);
    const periods = [
      { label: "last 12 months", period: resolveAnalyticsPeriod({ from: addDays(today, -364), to: today }, organization, now) },
      { label: "this month", period: resolveAnalyticsPeriod({ preset: "this_month" }, organization, now) },
    ];
    type Report = Awaited<ReturnType<typeof getInsuranceReport>>;
    const timings: InsuranceTiming[] = [];
    const measure = async (label: string, source: "claims" | "rollups", repetitions: number, before?: () => Promise<void>) => {
      const reports: Report[] = [];
      for (const { label: periodLabel, period } of periods) {
        await getInsuranceReport(db, { organizationId, period, now, source });
        const samples: number[] = [];
        let report: Report | null = null;
        for (let run = 0; run < repetitions; run++) {
          if (before) await before();
          const started = performance.now();
          report = await getInsuranceReport(db, { organizationId, period, now, source });
          samples.push(performance.now() - started);
        }
        reports.push(report!);
        const timing = { label: `${label}, ${periodLabel}`, range: { from: period.from, to: period.to }, repetitions, latencyMs: summarize(samples) };
        timings.push(timing);
        say(`insurance: ${timing.label}: p50 ${timing.latencyMs.p50} ms, p95 ${timing.latencyMs.p95} ms (${repetitions} runs)`);
      }
      return reports;
    };

    const fromClaims = await measure("from the claims", "claims", options.fromClaimsRepetitions);
    const refreshStarted = performance.now();
    const [refresh] = await refreshClaimRollups(db, { organizationId, lockTimeoutMs: 600_000 });
    const firstRefreshSeconds = Math.round((performance.now() - refreshStarted) / 100) / 10;
    say(`insurance: first refresh (rebuild of ${refresh?.claims} claims' facts) ${firstRefreshSeconds} s`);
    await sqlOf(db).execute(sql`ANALYZE claim_report_facts, claim_daily_totals, claim_days_to_pay, claim_days_to_pay_monthly, claim_rollup_dirty`);
    const fromRollups = await measure("from the rollups", "rollups", options.repetitions);
    const markDirty = async () => {
      await sqlOf(db).execute(sql`
        INSERT INTO claim_rollup_dirty (organization_id, claim_id)
        SELECT organization_id, id FROM claims WHERE organization_id = ${organizationId}::uuid AND number % ${Math.floor(options.claims / DIRTY)}::int = 0
        ON CONFLICT DO NOTHING`);
    };
    await markDirty();
    const withDirty = await measure(`from the rollups with ${DIRTY} claims dirty`, "rollups", options.repetitions);
    const incrementalStarted = performance.now();
    const [incremental] = await refreshClaimRollups(db, { organizationId });
    const incrementalMs = Math.round(performance.now() - incrementalStarted);
    say(`insurance: incremental refresh of ${incremental?.claims} dirty claims ${incrementalMs} ms`);

    const exact = JSON.stringify(fromClaims) === JSON.stringify(fromRollups) && JSON.stringify(fromClaims) === JSON.stringify(withDirty);
    say(`insurance: figures from the rollups ${exact ? "equal" : "DIFFER FROM"} the figures from the claims`);
    const tableSizes = await sqlOf(db).query<{ table: string; rows: number; size: string }>(sql`
      SELECT c.relname AS "table", c.reltuples::bigint::int AS rows, pg_size_pretty(pg_total_relation_size(c.oid)) AS size
      FROM pg_class c
      WHERE c.relname IN ('claims', 'remittance_claims', 'claim_events', 'claim_report_facts', 'claim_daily_totals', 'claim_days_to_pay', 'claim_days_to_pay_monthly')
      ORDER BY c.relname`);
    return {
      claims: options.claims,
      seedSeconds,
      tableSizes,
      firstRefreshSeconds,
      incrementalRefresh: { dirtyClaims: incremental?.claims ?? 0, ms: incrementalMs },
      timings,
      exact,
    };
  } finally {
    await db.$disconnect().catch(() => undefined);
    await adminClient
      .query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`)
      .catch((error: unknown) => say(`could not drop ${databaseName}: ${String(error)}`));
    await adminClient.end().catch(() => undefined);
  }
}

/** The clinic's payers, patients, coverages, visits, claims, claim payments and first adjudications, in set-based SQL. */
async function seedClaims(url: string, organizationId: string, claims: number): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("BEGIN");
    await client.query("SET LOCAL session_replication_role = replica");
    await client.query("SELECT setseed(0.42)");
    const org = organizationId;
    await client.query(
      `INSERT INTO payers (organization_id, name, payer_id, claim_filing_indicator)
       SELECT $1::uuid, 'PAYER ' || p, 'P' || lpad(p::text, 4, '0'), 'CI' FROM generate_series(0, $2::int - 1) p`,
      [org, PAYERS],
    );
    await client.query(
      `CREATE TEMP TABLE bench_payers ON COMMIT DROP AS
       SELECT id, (substr(payer_id, 2))::int AS payer_index FROM payers WHERE organization_id = $1::uuid`,
      [org],
    );
    await client.query(
      `CREATE TEMP TABLE bench_patients ON COMMIT DROP AS SELECT i AS patient_index, gen_random_uuid() AS id, gen_random_uuid() AS coverage_id FROM generate_series(0, $1::int - 1) i`,
      [PATIENTS],
    );
    await client.query(
      `INSERT INTO patients (id, organization_id, first_name, last_name, updated_at) SELECT id, $1::uuid, 'Bench', 'Patient ' || patient_index, now() FROM bench_patients`,
      [org],
    );
    await client.query(
      `INSERT INTO coverages (id, organization_id, patient_id, payer_id, priority, member_id, effective_from)
       SELECT bp.coverage_id, $1::uuid, bp.id, p.id, 1, 'M' || bp.patient_index, DATE '2020-01-01'
       FROM bench_patients bp JOIN bench_payers p ON p.payer_index = bp.patient_index % $2::int`,
      [org, PAYERS],
    );
    // One row per claim: who, when submitted (uniform over 730 days), charge, outcome and when paid.
    await client.query(
      `CREATE TEMP TABLE bench_claims ON COMMIT DROP AS
       SELECT i, gen_random_uuid() AS id, gen_random_uuid() AS visit_id, i % $1::int AS patient_index,
              now() - make_interval(secs => random() * 730 * 86400) AS submitted_at,
              5000 + (i * 37) % 40000 AS charge, i % 8 AS kind, make_interval(days => 5 + (i * 13) % 50, secs => (random() * 86400)::int) AS wait
       FROM generate_series(1, $2::int) i`,
      [PATIENTS, claims],
    );
    await client.query(`
      ALTER TABLE bench_claims ADD COLUMN adjudicated_at timestamptz, ADD COLUMN status text, ADD COLUMN balance int, ADD COLUMN paid int;
      UPDATE bench_claims SET adjudicated_at = CASE WHEN kind <> 1 AND submitted_at + wait <= now() THEN submitted_at + wait END;
      UPDATE bench_claims SET
        status = CASE WHEN adjudicated_at IS NULL THEN 'accepted'
                      WHEN kind = 0 AND i % 64 = 0 THEN 'closed'
                      WHEN kind = 0 THEN 'denied'
                      WHEN kind = 7 THEN 'partially_paid'
                      ELSE 'paid' END,
        balance = CASE WHEN adjudicated_at IS NULL THEN charge
                       WHEN kind = 0 AND i % 64 = 0 THEN 0
                       WHEN kind = 0 THEN charge
                       WHEN kind = 7 THEN charge / 10
                       ELSE 0 END,
        paid = CASE WHEN adjudicated_at IS NULL OR kind = 0 THEN 0 ELSE charge / 2 END`);
    await client.query(
      `INSERT INTO visits (id, organization_id, patient_id, service_date, place_of_service, diagnoses, created_by)
       SELECT c.visit_id, $1::uuid, bp.id, (c.submitted_at - interval '2 days')::date, '11', '{J069}', 'bench'
       FROM bench_claims c JOIN bench_patients bp ON bp.patient_index = c.patient_index`,
      [org],
    );
    await client.query(
      `INSERT INTO claims (id, organization_id, number, patient_id, visit_id, coverage_id, payer_id, status, place_of_service, diagnoses, total_charge,
                           insurance_balance, charged_total, insurance_paid, contractual_adjusted, written_off, submitted_at, acknowledged_at, created_at, updated_at)
       SELECT c.id, $1::uuid, c.i, bp.id, c.visit_id, bp.coverage_id, p.id, c.status::"ClaimStatus", '11', '{J069}', c.charge,
              c.balance, c.charge, c.paid, CASE WHEN c.kind = 0 THEN 0 ELSE c.charge - c.paid - c.balance END,
              CASE WHEN c.status = 'closed' THEN c.charge ELSE 0 END,
              c.submitted_at, c.submitted_at + interval '1 day', c.submitted_at - interval '1 day', COALESCE(c.adjudicated_at, c.submitted_at)
       FROM bench_claims c JOIN bench_patients bp ON bp.patient_index = c.patient_index JOIN bench_payers p ON p.payer_index = c.patient_index % $2::int`,
      [org, PAYERS],
    );
    await client.query(
      `INSERT INTO clearinghouse_files (id, organization_id, kind, source, file_name, content, sha256, sender_id, interchange_control_number, imported_by)
       VALUES ('00000000-0000-4000-8000-000000000835', $1::uuid, '835', 'upload', 'bench.835', '', repeat('a', 64), 'BENCH', '000000001', 'bench')`,
      [org],
    );
    await client.query(
      `INSERT INTO remittances (id, organization_id, clearinghouse_file_id, transaction_set_control_number, payer_id, payer_name, trace_originator_id,
                                trace_number, total_amount, handling_code, payment_method, payee_name, status)
       SELECT gen_random_uuid(), $1::uuid, '00000000-0000-4000-8000-000000000835', lpad(payer_index::text, 4, '0'), id, 'PAYER ' || payer_index,
              '1' || lpad(payer_index::text, 9, '0'), 'TRACE' || payer_index, 0, 'I', 'ACH', 'Insurance Bench Clinic', 'posted'
       FROM bench_payers`,
      [org],
    );
    // Each adjudicated claim's payment (or denial); 1 in 100 paid claims first paid, reversed (CLP02 22) 3 days later... and paid again.
    await client.query(
      `INSERT INTO remittance_claims (organization_id, remittance_id, claim_id, position, patient_control_number, status_code, charge_amount, paid_amount,
                                      filing_indicator, remark_codes, status, posted_at)
       SELECT $1::uuid, r.id, c.id, c.i * 4 + k.n, c.i::text, k.status_code, k.sign * c.charge, k.sign * k.paid, 'CI', '{}', k.status::"RemittanceClaimStatus", k.posted_at
       FROM bench_claims c
       JOIN bench_payers p ON p.payer_index = c.patient_index % $2::int
       JOIN remittances r ON r.payer_id = p.id
       CROSS JOIN LATERAL (VALUES
         (0, CASE WHEN c.kind = 0 THEN '4' ELSE '1' END, 1, c.paid, 'posted', c.adjudicated_at),
         (1, '1', 1, c.charge / 2, 'reversed', c.adjudicated_at - interval '6 days'),
         (2, '22', -1, c.charge / 2, 'posted', c.adjudicated_at - interval '3 days')
       ) AS k(n, status_code, sign, paid, status, posted_at)
       WHERE c.adjudicated_at IS NOT NULL AND (k.n = 0 OR (c.kind BETWEEN 2 AND 6 AND c.i % 100 = 2))`,
      [org, PAYERS],
    );
    await client.query(
      `INSERT INTO claim_events (organization_id, claim_id, from_status, to_status, kind, actor, created_at)
       SELECT $1::uuid, c.id, 'accepted', CASE WHEN c.kind = 0 THEN 'denied' WHEN c.kind = 7 THEN 'partially_paid' ELSE 'paid' END::"ClaimStatus",
              'remittance_posted', 'bench', c.adjudicated_at - CASE WHEN c.kind BETWEEN 2 AND 6 AND c.i % 100 = 2 THEN interval '6 days' ELSE interval '0' END
       FROM bench_claims c WHERE c.adjudicated_at IS NOT NULL`,
      [org],
    );
    await client.query("COMMIT");
    await client.query("ANALYZE");
  } finally {
    await client.end();
  }
}
