/**
 * The `analytics` scenario of `npm run bench` (issue 16, point 6): every analytics request against
 * a database seeded with `npm run seed:large`, for its largest clinic, over the last 12 months.
 *
 * Each report (summary, aging, collections, payments, refunds, disputes, services) × each
 * granularity (day, week, month) runs through getAnalyticsReport — what the page, the reports API,
 * the CSV exports and the PDF call — one request at a time: warm-up, then repetitions timed each
 * (p50/p95/max). Then the same again with a journal posted through the domain code right before
 * every repetition (a new invoice finalized "a second ago"), after checking that the figures move
 * by exactly what was posted. Finally the SQL each report ran is recorded and its
 * EXPLAIN (ANALYZE, BUFFERS) written to bench/analytics-plans.md. Writes to the seeded database
 * (a few hundred small invoices per run); nothing else.
 */
import { writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import pg from "pg";
import type { Db } from "@/lib/db/client";
import type { Sql, SqlFragment } from "@/lib/db/sql";
import type { Granularity, ReportName } from "@/lib/analytics/analytics.types";
import { summarize, type LatencySummary } from "./stats";

export type AnalyticsRequestResult = {
  report: ReportName;
  granularity: Granularity;
  repetitions: number;
  latencyMs: LatencySummary;
  /** The same request right after a journal was posted through the domain code. */
  freshLatencyMs: LatencySummary;
  freshRepetitions: number;
  statements: number;
};

export type AnalyticsScenarioResult = {
  database: string;
  organization: { id: string; name: string; timezone: string; invoices: number; journals: number };
  range: { from: string; to: string };
  requests: AnalyticsRequestResult[];
  exactness: string[];
  refreshedRollups: string | null;
  tableSizes: { table: string; rows: number; size: string }[];
  plansFile: string;
};

const REPORTS: ReportName[] = ["summary", "aging", "collections", "payments", "refunds", "disputes", "services"];
const GRANULARITIES: Granularity[] = ["day", "week", "month"];
const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);

/** A runner that records every statement it is given, then runs it on `base`. */
function recordingSql(base: Sql, recorded: { text: string; values: readonly unknown[] }[]): Sql {
  const keep = (statement: SqlFragment) => {
    recorded.push(statement.render());
    return statement;
  };
  return {
    query: (statement) => base.query(keep(statement)),
    execute: (statement) => base.execute(keep(statement)),
    write: (statement, options) => base.write(keep(statement), options),
    key: base.key,
  };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

export async function runAnalyticsScenario(options: {
  url: string;
  repetitions: number;
  freshRepetitions: number;
  /** Per request and series: repetitions stop once this much time was spent (at least one runs). */
  budgetSeconds: number;
  say: (message: string) => void;
  plansFile: string;
}): Promise<AnalyticsScenarioResult> {
  const { say } = options;
  const parsed = new URL(options.url);
  if (!LOCAL_HOSTS.has(parsed.hostname)) throw new Error(`analytics: refusing the non-local database host ${parsed.hostname}`);
  const { createDb } = await import("@/lib/db/client");
  const { sqlOf } = await import("@/lib/db/sql");
  const { getAnalyticsReport } = await import("@/lib/analytics/get-analytics-report");
  const { createInvoice } = await import("@/lib/invoices/create-invoice");
  const { finalizeInvoice } = await import("@/lib/invoices/finalize-invoice");
  const { todayIn, addDays } = await import("@/lib/invoices/dates");
  // The rollups' refresh, where the analytics branch provides it (a variable path: optional at build time).
  const rollupsModule = "@/lib/analytics/refresh-ledger-rollups";
  const rollups = (await import(rollupsModule).catch(() => null)) as {
    refreshLedgerRollups?: (db: Db, options?: { organizationId?: string }) => Promise<unknown>;
  } | null;

  const client = new pg.Client({ connectionString: options.url });
  await client.connect();
  const db = createDb({ connectionString: options.url, poolSize: 4 });
  try {
    const [largest] = (
      await client.query<{ id: string; name: string; timezone: string; invoices: string }>(
        `SELECT o.id::text, o.name, o.timezone, count(*)::text AS invoices FROM invoices i JOIN organizations o ON o.id = i.organization_id
         GROUP BY o.id ORDER BY count(*) DESC LIMIT 1`,
      )
    ).rows;
    if (!largest) throw new Error("analytics: the database has no invoices; seed it with `npm run seed:large -- --invoices 1000000` first");
    const journals = Number((await client.query(`SELECT count(*) FROM journal_entries WHERE organization_id = $1`, [largest.id])).rows[0].count);
    const tableSizes = (
      await client.query<{ table: string; rows: string; size: string }>(
        `SELECT c.relname AS table, c.reltuples::bigint::text AS rows, pg_size_pretty(pg_total_relation_size(c.oid)) AS size
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY pg_total_relation_size(c.oid) DESC LIMIT 14`,
      )
    ).rows.map((row) => ({ table: row.table, rows: Number(row.rows), size: row.size }));
    const organizationId = largest.id;
    const today = todayIn(largest.timezone);
    const range = { from: addDays(today, -364), to: today };
    say(
      `analytics: ${largest.name} (${Number(largest.invoices).toLocaleString("en-US")} invoices, ${journals.toLocaleString("en-US")} journals), ${range.from}..${range.to}`,
    );

    let refreshedRollups: string | null = null;
    if (rollups?.refreshLedgerRollups) {
      const started = performance.now();
      await rollups.refreshLedgerRollups(db);
      refreshedRollups = `refreshLedgerRollups (all organizations) took ${Math.round(performance.now() - started)} ms before the timed runs`;
      say(`analytics: ${refreshedRollups}`);
    }

    const request = (report: ReportName, granularity: Granularity, on: Db = db) =>
      getAnalyticsReport(on, { organizationId, report, query: { from: range.from, to: range.to, granularity } });
    const time = async (fn: () => Promise<unknown>) => {
      const started = performance.now();
      await fn();
      return performance.now() - started;
    };

    // A journal "a second ago": a one-line invoice finalized through the domain code.
    const [patient] = (await client.query<{ id: string }>(`SELECT id::text FROM patients WHERE organization_id = $1 LIMIT 1`, [organizationId])).rows;
    const actor = { userId: null, label: "bench", ip: null, requestId: null };
    let posted = 0;
    const postFreshJournal = async (amount: number) => {
      const draft = await createInvoice(db, {
        organizationId,
        actor,
        input: { patientId: patient!.id, lines: [{ description: "Bench: office visit", serviceCode: "99213", quantity: 1, unitAmount: amount }] },
      });
      await finalizeInvoice(db, { organizationId, invoiceId: draft.id, actor });
      posted++;
      return draft.id;
    };

    // Exact at that instant: the figures move by exactly what was just posted.
    const exactness: string[] = [];
    for (const granularity of GRANULARITIES) {
      const before = (await request("summary", granularity)) as { charges: { current: number }; receivables: { amount: number } };
      const agingBefore = (await request("aging", granularity)) as { total: { amount: number } };
      const amount = 10_000 + Math.floor(Math.random() * 9_000);
      await postFreshJournal(amount);
      const after = (await request("summary", granularity)) as typeof before;
      const agingAfter = (await request("aging", granularity)) as typeof agingBefore;
      const charges = after.charges.current - before.charges.current;
      const receivable = after.receivables.amount - before.receivables.amount;
      const aging = agingAfter.total.amount - agingBefore.total.amount;
      const ok = charges === amount && receivable === amount && aging === amount;
      exactness.push(
        `${granularity}: invoice of ${amount} finalized → charges +${charges}, receivables +${receivable}, aging total +${aging}: ${ok ? "exact" : "MISMATCH"}`,
      );
      if (!ok) throw new Error(`analytics: figures are not exact right after posting (${exactness.at(-1)})`);
    }
    say(`analytics: exact right after posting (${exactness.length} checks)`);

    const requests: AnalyticsRequestResult[] = [];
    const statementCounts = new Map<ReportName, number>();
    for (const report of REPORTS) {
      for (const granularity of GRANULARITIES) {
        // One warm-up, then the repetitions, each series stopped early once it has used its time budget.
        const warmUp = await time(() => request(report, granularity));
        const budgetMs = options.budgetSeconds * 1000;
        const samples: number[] = [];
        for (let spent = warmUp, index = 0; index < options.repetitions && (index === 0 || spent < budgetMs); index++) {
          samples.push(await time(() => request(report, granularity)));
          spent += samples.at(-1)!;
        }
        const fresh: number[] = [];
        for (let spent = 0, index = 0; index < options.freshRepetitions && (index === 0 || spent < budgetMs); index++) {
          await postFreshJournal(5_000 + index);
          fresh.push(await time(() => request(report, granularity)));
          spent += fresh.at(-1)!;
        }
        const recorded: { text: string; values: readonly unknown[] }[] = [];
        if (granularity === "month") await request(report, granularity, recordingSql(sqlOf(db), recorded) as unknown as Db);
        const latencyMs = summarize(samples);
        const freshLatencyMs = summarize(fresh);
        requests.push({
          report,
          granularity,
          repetitions: samples.length,
          latencyMs,
          freshLatencyMs,
          freshRepetitions: fresh.length,
          statements: recorded.length,
        });
        if (granularity === "month") statementCounts.set(report, recorded.length);
        say(
          `analytics ${report}/${granularity}: p50 ${round(latencyMs.p50)} ms, p95 ${round(latencyMs.p95)} ms, max ${round(latencyMs.max)} ms; after a fresh journal p95 ${round(freshLatencyMs.p95)} ms (${samples.length} + ${fresh.length} runs)`,
        );
      }
    }

    for (const row of requests) row.statements = statementCounts.get(row.report) ?? 0;

    // EXPLAIN (ANALYZE, BUFFERS) of every statement of every report, month granularity.
    const sections: string[] = [
      `# Analytics query plans at scale`,
      ``,
      `Written by \`BENCH_ONLY=analytics npm run bench\` (bench/analytics-scenario.ts) on ${new Date().toISOString()}: ${largest.name}, ${Number(largest.invoices).toLocaleString("en-US")} invoices and ${journals.toLocaleString("en-US")} journals of ${tableSizes.find((row) => row.table === "journal_entries")?.rows.toLocaleString("en-US") ?? "?"} in the database; period ${range.from} to ${range.to}, granularity month, after ${posted} journals posted by this run. EXPLAIN (ANALYZE, BUFFERS) of each statement the report runs, with its parameters.`,
      ``,
      `| report | granularity | p50 ms | p95 ms | max ms | fresh p95 ms | statements |`,
      `|---|---|---|---|---|---|---|`,
      ...requests.map(
        (row) =>
          `| ${row.report} | ${row.granularity} | ${round(row.latencyMs.p50)} | ${round(row.latencyMs.p95)} | ${round(row.latencyMs.max)} | ${round(row.freshLatencyMs.p95)} | ${statementCounts.get(row.report) ?? ""} |`,
      ),
      ``,
    ];
    for (const report of REPORTS) {
      const recorded: { text: string; values: readonly unknown[] }[] = [];
      await request(report, "month", recordingSql(sqlOf(db), recorded) as unknown as Db);
      sections.push(`## ${report}`, ``);
      for (const [index, statement] of recorded.entries()) {
        const plan = await client.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, BUFFERS) ${statement.text}`, statement.values as unknown[]);
        const lines = plan.rows.map((row) => row["QUERY PLAN"]);
        const execution = lines.find((line) => line.startsWith("Execution Time"));
        sections.push(
          `### ${report}, statement ${index + 1} of ${recorded.length}${execution ? ` (${execution})` : ""}`,
          ``,
          "```sql",
          statement.text.trim(),
          "```",
          ``,
          `Parameters: \`${JSON.stringify(statement.values).slice(0, 600)}\``,
          ``,
          "```",
          ...lines,
          "```",
          ``,
        );
      }
    }
    writeFileSync(options.plansFile, `${sections.join("\n")}\n`);
    say(`analytics: plans written to ${options.plansFile}`);
    return {
      database: `${parsed.host}${parsed.pathname}`,
      organization: { id: organizationId, name: largest.name, timezone: largest.timezone, invoices: Number(largest.invoices), journals },
      range,
      requests,
      exactness,
      refreshedRollups,
      tableSizes,
      plansFile: options.plansFile,
    };
  } finally {
    await db.$disconnect();
    await client.end();
  }
}
