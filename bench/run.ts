/**
 * `npm run bench`: the hot paths measured side by side in one run on this machine (issue 7,
 * SPEC §5). See bench/README.md for what each scenario measures.
 *
 * Creates a fresh database next to DATABASE_URL's (local servers only; default the PostgreSQL at
 * 127.0.0.1:5432), reuses the production build in .next when it was made for the emulator (or
 * runs `npm run build`), starts the Stripe emulator and `next start` on private ports, seeds
 * through the domain functions, runs each scenario with bench/load-generator.ts in its own
 * process, prints a table, writes bench/results.json, checks the ledger and exits non-zero on
 * any error response, duplicate effect or imbalance. Everything it started is stopped and the
 * database dropped, also on failure. Every loop is bounded in count and time.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, createWriteStream } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import pg from "pg";
import Stripe from "stripe";
import type { LoadJob, PreparedRequest } from "./load-generator";
import type { LoadResult } from "./stats";
import { buildPgbenchScript, captureStatements } from "./pgbench-ceiling";
import { confirmPaymentIntents, seedOpenInvoicesWithAttempts } from "./seed-webhook-targets";
import { appNodeArgs, NEXT_START_ARGS } from "@/platform/runtime/app-node-args";
import { runAnalyticsScenario, type AnalyticsScenarioResult } from "./analytics-scenario";
import { runInsuranceScenario } from "./insurance-scenario";

const APP_PORT = Number(process.env.BENCH_APP_PORT || 3900);
// App instances behind the load generator's round-robin (SPEC §5: stateless instances on one
// database); 1 unless BENCH_INSTANCES says otherwise, on ports APP_PORT, APP_PORT + 1, …
const INSTANCES = Math.max(1, Math.floor(Number(process.env.BENCH_INSTANCES || 1)));
const APP_PORTS = Array.from({ length: INSTANCES }, (_, index) => APP_PORT + index);
const EMULATOR_PORT = Number(process.env.BENCH_EMULATOR_PORT || 13900);
const CONNECTIONS = 32;
const WEBHOOK_TARGET = Number(process.env.BENCH_WEBHOOK_EVENTS || 20_000);
const WEBHOOK_PREP_BUDGET_MS = Number(process.env.BENCH_WEBHOOK_PREP_SECONDS || 150) * 1000;
const WEBHOOK_RUN_LIMIT_MS = 240_000;
const PAY_LINKS = 500;
const INVOICE_API_COUNT = 2_000;
const PDF_COUNT = 200;
const DUPLICATE_EVENTS = 1_000;
const WALL_LIMIT_MS = 9 * 60_000;
// Knobs for profiling trials (bench/README.md): only some scenarios (results go to the work dir, not
// bench/results.json), and extra Node options for the app process (e.g. --cpu-prof).
const ONLY = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(",").map((name) => name.trim())) : null;
const want = (name: string) => !ONLY || ONLY.has(name);
const APP_NODE_ARGS = (process.env.BENCH_APP_NODE_ARGS ?? "").split(" ").filter(Boolean);
// The analytics scenario runs against a database seeded with `npm run seed:large` (not the fresh
// bench database): only when asked for (BENCH_ONLY=analytics, or BENCH_ANALYTICS_DATABASE_URL set).
const ANALYTICS_URL = process.env.BENCH_ANALYTICS_DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/carebill_large";
const WANT_ANALYTICS = Boolean(ONLY?.has("analytics") || process.env.BENCH_ANALYTICS_DATABASE_URL);
// The insurance scenario seeds its own scratch database (bench/insurance-scenario.ts): only when asked for (BENCH_ONLY=insurance).
const WANT_INSURANCE = Boolean(ONLY?.has("insurance"));
const INSURANCE_CLAIMS = Number(process.env.BENCH_INSURANCE_CLAIMS || 300_000);
const INSURANCE_REPETITIONS = Number(process.env.BENCH_INSURANCE_REPETITIONS || 30);
const INSURANCE_FROM_CLAIMS_REPETITIONS = Number(process.env.BENCH_INSURANCE_FROM_CLAIMS_REPETITIONS || 5);
const ANALYTICS_ONLY = Boolean(ONLY && [...ONLY].every((name) => name === "analytics" || name === "insurance"));
const ANALYTICS_REPETITIONS = Number(process.env.BENCH_ANALYTICS_REPETITIONS || 30);
const ANALYTICS_FRESH_REPETITIONS = Number(process.env.BENCH_ANALYTICS_FRESH_REPETITIONS || 10);
const ANALYTICS_BUDGET_SECONDS = Number(process.env.BENCH_ANALYTICS_BUDGET_SECONDS || 20);

const runStarted = performance.now();
const loadAtStart = loadavg().map((value) => Math.round(value * 100) / 100);
const elapsed = () => `${((performance.now() - runStarted) / 1000).toFixed(0)}s`;
const say = (message: string) => process.stdout.write(`[bench ${elapsed()}] ${message}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const adminUrl = process.env.DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/postgres";
const adminParsed = new URL(adminUrl);
if (!["127.0.0.1", "localhost", "[::1]"].includes(adminParsed.hostname)) {
  process.stderr.write(`bench: refusing to run against the non-local database host ${adminParsed.hostname}\n`);
  process.exit(2);
}
const databaseName = `carebill_bench_${randomBytes(4).toString("hex")}`;
const benchUrl = new URL(adminUrl);
benchUrl.pathname = `/${databaseName}`;
const workDir = mkdtempSync(join(tmpdir(), "carebill-bench-"));
const secretKey = `sk_test_bench${randomBytes(8).toString("hex")}`;
const webhookSecret = `whsec_bench${randomBytes(16).toString("hex")}`;

type ScenarioResult = {
  name: string;
  description: string;
  connections: number;
  requests: number;
  throughputPerSecond: number;
  throughputUnit: string;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  errors: number;
  statusCounts: Record<string, number>;
  peakRssMb: number;
  ceiling?: { what: string; value: number; unit: string };
  ratio?: number;
  target?: string;
  met?: boolean;
  notes?: string[];
};

const started: { name: string; child: ChildProcess }[] = [];
const failures: string[] = [];
const results: ScenarioResult[] = [];
let admin: pg.Client | null = null;
let databaseCreated = false;

/** A detached child (its own process group), so stopping it also stops what it spawned. */
function startChild(name: string, args: string[], env: Record<string, string | undefined>, logFile: string): ChildProcess {
  const log = createWriteStream(logFile);
  const child = spawn(process.execPath, args, { cwd: process.cwd(), env: env as NodeJS.ProcessEnv, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  started.push({ name, child });
  return child;
}

async function stopChild(entry: { name: string; child: ChildProcess }) {
  const { child } = entry;
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    return;
  }
  const timeout = sleep(8_000).then(() => "timeout");
  if ((await Promise.race([exited, timeout])) === "timeout") {
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}

async function waitFor(description: string, check: () => Promise<boolean>, timeoutMs: number) {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const exited = started.find((entry) => entry.child.exitCode !== null);
    if (exited) throw new Error(`${exited.name} exited with ${exited.child.exitCode} while waiting for ${description}`);
    if (await check().catch(() => false)) return;
    await sleep(250);
  }
  throw new Error(`${description} not ready within ${timeoutMs / 1000} s`);
}

/** Resident memory of a process and all its descendants, in MB, from /proc. */
function treeRssMb(rootPid: number): number {
  const parents = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parents.set(Number(entry), ppid);
    } catch {
      // exited meanwhile
    }
  }
  const tree = new Set([rootPid]);
  for (let changed = true; changed;) {
    changed = false;
    for (const [pid, ppid] of parents) {
      if (!tree.has(pid) && tree.has(ppid)) {
        tree.add(pid);
        changed = true;
      }
    }
  }
  let kb = 0;
  for (const pid of tree) {
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      kb += Number(match?.[1] ?? 0);
    } catch {
      // exited meanwhile
    }
  }
  return Math.round(kb / 1024);
}

/** Samples the app's RSS every 250 ms; `peak()` since the last `reset()`, `timeline` over the run. */
/** Peak RSS of the largest app process (each instance's process tree sampled from /proc every 250 ms). */
function rssSampler(pids: number[]) {
  let peak = 0;
  const sample = () => Math.max(...pids.map((pid) => treeRssMb(pid)));
  const timeline: { atSeconds: number; rssMb: number }[] = [];
  const timer = setInterval(() => {
    const rss = sample();
    peak = Math.max(peak, rss);
    timeline.push({ atSeconds: Math.round((performance.now() - runStarted) / 100) / 10, rssMb: rss });
  }, 250);
  return {
    peak: () => peak,
    reset: () => {
      peak = sample();
    },
    timeline,
    stop: () => clearInterval(timer),
  };
}

async function runLoad(name: string, job: LoadJob): Promise<LoadResult> {
  const file = join(workDir, `${name}.json`);
  writeFileSync(file, JSON.stringify(job));
  const child = spawn(process.execPath, ["--import", "tsx", "bench/load-generator.ts", file], { cwd: process.cwd(), stdio: ["ignore", "pipe", "inherit"] });
  const entry = { name: `load:${name}`, child };
  started.push(entry);
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  started.splice(started.indexOf(entry), 1);
  if (code !== 0) throw new Error(`load generator for ${name} exited with ${code}`);
  return JSON.parse(output.trim().split("\n").at(-1)!) as LoadResult;
}

function record(result: ScenarioResult) {
  results.push(result);
  if (result.errors > 0) failures.push(`${result.name}: ${result.errors} error responses ${JSON.stringify(result.statusCounts)}`);
  say(
    `${result.name}: ${result.requests} requests, ${result.throughputPerSecond} ${result.throughputUnit}, p95 ${result.latencyMs.p95} ms, errors ${result.errors}, peak RSS ${result.peakRssMb} MB`,
  );
}

function fromLoad(name: string, description: string, load: LoadResult, peakRssMb: number, extra: Partial<ScenarioResult> = {}): ScenarioResult {
  if (load.errorSamples.length > 0) say(`${name} error samples:\n  ${load.errorSamples.join("\n  ")}`);
  return {
    name,
    description,
    connections: CONNECTIONS,
    requests: load.requests,
    throughputPerSecond: load.requestsPerSecond,
    throughputUnit: "req/s",
    latencyMs: load.latencyMs,
    errors: load.errors,
    statusCounts: load.statusCounts,
    peakRssMb,
    ...extra,
  };
}

/** Runs `fn` over `items` with `concurrency` workers, stopping early at `deadline` (performance.now()). */
async function pool<T>(items: T[], concurrency: number, deadline: number, fn: (item: T, index: number) => Promise<void>): Promise<number> {
  let next = 0;
  let done = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length && performance.now() < deadline) {
        const index = next++;
        await fn(items[index]!, index);
        done++;
      }
    }),
  );
  return done;
}

/** The first source file modified after `since` (ms), or null: a stale build must not be measured. */
function findNewerSource(paths: string[], since: number): string | null {
  for (const path of paths) {
    if (!existsSync(path)) continue;
    const stat = statSync(path);
    if (stat.isDirectory()) {
      const found = findNewerSource(
        readdirSync(path)
          .filter((name) => name !== "node_modules" && name !== "generated")
          .map((name) => join(path, name)),
        since,
      );
      if (found) return found;
    } else if (stat.mtimeMs > since) {
      return path;
    }
  }
  return null;
}

function ensureBuild() {
  const stampFile = ".next/carebill-build-env.json";
  const stamp = existsSync(".next/BUILD_ID") && existsSync(stampFile) ? (JSON.parse(readFileSync(stampFile, "utf8")) as Record<string, string>) : null;
  // The build fixes only the browser's Stripe.js stand-in (emulator or not); the server side reads
  // STRIPE_EMULATOR_URL at run time. The bench never runs browser code, so any emulator build serves.
  const builtAt = stamp ? statSync(".next/BUILD_ID").mtimeMs : 0;
  const newerSource = stamp ? findNewerSource(["app", "lib", "components", "proxy.ts", "next.config.ts", "package-lock.json"], builtAt) : null;
  if (stamp?.NEXT_PUBLIC_STRIPE_EMULATOR_URL && !newerSource) {
    say(`reusing the production build in .next (made for the emulator at ${stamp.NEXT_PUBLIC_STRIPE_EMULATOR_URL}, newer than every source file)`);
    return;
  }
  say(
    newerSource
      ? `${newerSource} changed after the build in .next: running \`npm run build\``
      : "no emulator-mode production build in .next: running `npm run build`",
  );
  const build = spawnSync("npm", ["run", "build"], {
    stdio: "inherit",
    env: { ...process.env, STRIPE_EMULATOR: "1", STRIPE_SECRET_KEY: secretKey, STRIPE_EMULATOR_PORT: String(EMULATOR_PORT), DATABASE_URL: benchUrl.toString() },
    timeout: 8 * 60_000,
  });
  if (build.status !== 0) throw new Error("npm run build failed");
}

async function main() {
  admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const serverVersion = (await admin.query<{ server_version: string }>("SHOW server_version")).rows[0]!.server_version;
  await admin.query(`CREATE DATABASE "${databaseName}"`);
  databaseCreated = true;
  say(`database ${databaseName} on ${adminParsed.host} (PostgreSQL ${serverVersion})`);

  ensureBuild();

  const emulator = startChild(
    "stripe-emulator",
    ["--import", "tsx", "stripe-emulator/src/main.ts"],
    // No webhook endpoint: the bench delivers the events itself, so that each is posted exactly once.
    {
      ...process.env,
      STRIPE_EMULATOR_PORT: String(EMULATOR_PORT),
      STRIPE_EMULATOR_HOST: "127.0.0.1",
      STRIPE_WEBHOOK_URL: undefined,
      STRIPE_WEBHOOK_SECRET: undefined,
    },
    join(workDir, "emulator.log"),
  );
  const emulatorUrl = `http://127.0.0.1:${EMULATOR_PORT}`;
  await waitFor(
    "the Stripe emulator",
    async () => emulator.exitCode === null && (await fetch(`${emulatorUrl}/v1/balance`, { headers: { authorization: `Bearer ${secretKey}` } })).status < 500,
    30_000,
  );

  const appEnv: Record<string, string> = {
    DATABASE_URL: benchUrl.toString(),
    AUTH_SECRET: randomBytes(32).toString("hex"),
    PAYMENT_LINK_SECRET: randomBytes(32).toString("hex"),
    APP_URL: `http://127.0.0.1:${APP_PORT}`,
    NEXTAUTH_URL: `http://127.0.0.1:${APP_PORT}`,
    STRIPE_SECRET_KEY: secretKey,
    STRIPE_PUBLISHABLE_KEY: `pk_test_${secretKey.slice("sk_test_".length)}`,
    STRIPE_WEBHOOK_SECRET: webhookSecret,
    STRIPE_EMULATOR_URL: emulatorUrl,
  };
  // The runner seeds through the same domain functions the app uses, so it needs the app's env.
  Object.assign(process.env, appEnv, { LOG_LEVEL: "warn" });
  const { migrate } = await import("@/lib/db/migrate");
  const { createDb } = await import("@/lib/db/client");
  await migrate({ connectionString: benchUrl.toString() });
  const db = createDb({ connectionString: benchUrl.toString(), poolSize: 16 });
  const { createOrganization } = await import("@/lib/organizations/create-organization");
  const { createPatient } = await import("@/lib/patients/create-patient");
  const { createInvoice } = await import("@/lib/invoices/create-invoice");
  const { finalizeInvoice } = await import("@/lib/invoices/finalize-invoice");
  const { createPaymentLink } = await import("@/lib/payment-links/create-payment-link");
  const { checkLedger } = await import("@/lib/ledger/balances");

  const actor = { userId: null, label: "bench", ip: null, requestId: null };
  const { organizationId } = await createOrganization(db, {
    slug: "bench",
    name: "Bench Clinic",
    admin: { email: "bench@example.test", name: "Bench", password: "bench-password-123" },
  });
  const patients: string[] = [];
  for (let index = 0; index < CONNECTIONS; index++) {
    const patient = await createPatient(db, { organizationId, actor, input: { firstName: "Bench", lastName: `Patient ${index}` } });
    patients.push(patient.id);
  }
  const stripe = new Stripe(secretKey, { host: "127.0.0.1", port: EMULATOR_PORT, protocol: "http", maxNetworkRetries: 2 });

  const apps = APP_PORTS.map((port, index) =>
    startChild(
      `next-server-${index + 1}`,
      [...appNodeArgs(), ...APP_NODE_ARGS, "node_modules/next/dist/bin/next", "start", ...NEXT_START_ARGS, "--port", String(port), "--hostname", "127.0.0.1"],
      { ...process.env, ...appEnv, NODE_ENV: "production", LOG_LEVEL: "info" },
      join(workDir, index === 0 ? "app.log" : `app-${index + 1}.log`),
    ),
  );
  for (const port of APP_PORTS)
    await waitFor(`the app on port ${port}`, async () => (await fetch(`http://127.0.0.1:${port}/api/health`)).status === 200, 90_000);
  const rss = rssSampler(apps.map((app) => app.pid!));
  say(
    `app up on ${APP_PORTS.map((port) => `127.0.0.1:${port}`).join(", ")} (pid ${apps.map((app) => app.pid).join(", ")}), emulator on ${emulatorUrl}; logs in ${workDir}`,
  );

  const cli = spawnSync(process.execPath, ["--import", "tsx", "scripts/cli.ts", "api-key", "create", "--org", "bench", "--name", "bench"], {
    env: { ...process.env, DATABASE_URL: benchUrl.toString() },
    encoding: "utf8",
    timeout: 60_000,
  });
  if (cli.status !== 0) throw new Error(`api-key create failed: ${cli.stderr}`);
  const apiKey = cli.stdout.trim().split("\n").at(-1)!;
  const auth = { authorization: `Bearer ${apiKey}` };

  // ── Seed: open invoices with pay links (pay page, PDF) ─────────────────────────────────────────
  const seedDeadline = performance.now() + 120_000;
  const openInvoices: { id: string; token: string }[] = [];
  await pool(Array.from({ length: PAY_LINKS }), 8, seedDeadline, async (_item, index) => {
    const draft = await createInvoice(db, {
      organizationId,
      actor,
      input: { patientId: patients[index % patients.length]!, lines: [{ description: `Visit ${index}`, quantity: 1, unitAmount: 9_000 + index }] },
    });
    await finalizeInvoice(db, { organizationId, invoiceId: draft.id, actor });
    const link = await createPaymentLink(db, { organizationId, invoiceId: draft.id, actor });
    openInvoices.push({ id: draft.id, token: new URL(link.url).pathname.split("/").at(-1)! });
  });
  say(`seeded ${openInvoices.length} open invoices with pay links`);

  // ── (a) framework ceiling ───────────────────────────────────────────────────────────────────────
  if (want("framework-ceiling")) {
    rss.reset();
    const health = await runLoad("health", {
      kind: "requests",
      ports: APP_PORTS,
      connections: CONNECTIONS,
      maxDurationMs: 10_000,
      cycle: true,
      maxRequests: 200_000,
      requests: [{ method: "GET", path: "/api/health" }],
    });
    record(fromLoad("framework-ceiling", "GET /api/health (route handler + one SELECT 1) for 10 s", health, rss.peak()));
  }

  // ── (b) invoice API ─────────────────────────────────────────────────────────────────────────────
  if (want("invoice-api")) {
    rss.reset();
    const chain = await runLoad("invoice-api", {
      kind: "invoice-chain",
      ports: APP_PORTS,
      connections: CONNECTIONS,
      maxDurationMs: 45_000,
      count: INVOICE_API_COUNT,
      apiKey,
      patientIds: patients,
    });
    record({
      ...fromLoad("invoice-api", `POST /api/v1/invoices (3 lines) then /finalize, ${INVOICE_API_COUNT} pairs`, chain, rss.peak()),
      throughputPerSecond: chain.unitsPerSecond ?? 0,
      throughputUnit: "invoices/s",
      latencyMs: chain.unitLatencyMs ?? chain.latencyMs,
      target: "≥ 300 invoices/s",
      met: (chain.unitsPerSecond ?? 0) >= 300,
      notes: [`${chain.units} pairs completed; per HTTP request p50/p95 ${chain.latencyMs.p50}/${chain.latencyMs.p95} ms; latency is per pair`],
    });
  }

  // ── (c) pay page ────────────────────────────────────────────────────────────────────────────────
  if (want("pay-page")) {
    rss.reset();
    const payPage = await runLoad("pay-page", {
      kind: "requests",
      ports: APP_PORTS,
      connections: CONNECTIONS,
      maxDurationMs: 15_000,
      cycle: true,
      // At most 2 views per link stays far under the per-link limit (300 per 10 minutes).
      maxRequests: openInvoices.length * 2,
      requests: openInvoices.map((invoice) => ({ method: "GET", path: `/pay/${invoice.token}` })),
    });
    record({
      ...fromLoad("pay-page", `GET /pay/<token> over ${openInvoices.length} open invoices, each twice`, payPage, rss.peak()),
      target: "p95 ≤ 50 ms at 32 connections",
      met: payPage.latencyMs.p95 <= 50,
    });
    // The same page one request at a time: what one view costs the server without queueing
    // behind 31 others on its one event loop (a third view per link, still far under the limit).
    rss.reset();
    const payPageSingle = await runLoad("pay-page-single", {
      kind: "requests",
      ports: APP_PORTS,
      connections: 1,
      maxDurationMs: 15_000,
      requests: openInvoices.slice(0, 200).map((invoice) => ({ method: "GET", path: `/pay/${invoice.token}` })),
    });
    record({
      ...fromLoad("pay-page-single", "GET /pay/<token> for 200 open invoices, one at a time (server time without queueing)", payPageSingle, rss.peak()),
      connections: 1,
      target: "p95 ≤ 50 ms, one request at a time",
      met: payPageSingle.latencyMs.p95 <= 50,
    });
  }

  // ── (e) PDF (before the webhook run so the machine is in the same state for all small scenarios)
  if (want("pdf")) {
    // The target is the time to make one invoice's PDF: one request at a time, so that each
    // latency is one render (rendering is CPU work on the app's one event loop; concurrent
    // requests only queue behind each other, which pdf-concurrent shows).
    const pdfRequests = openInvoices
      .slice(0, PDF_COUNT)
      .map((invoice) => ({ method: "GET" as const, path: `/api/v1/invoices/${invoice.id}/pdf`, headers: auth }));
    rss.reset();
    const pdf = await runLoad("pdf", { kind: "requests", ports: APP_PORTS, connections: 1, maxDurationMs: 30_000, requests: pdfRequests });
    record({
      ...fromLoad("pdf", `GET /api/v1/invoices/{id}/pdf, ${PDF_COUNT} different invoices, one at a time`, pdf, rss.peak()),
      connections: 1,
      target: "p95 ≤ 100 ms, one request at a time",
      met: pdf.latencyMs.p95 <= 100,
      notes: ["the first request of the run also loads and parses the fonts (it shows in max, not in p95)"],
    });
    rss.reset();
    const pdfConcurrent = await runLoad("pdf-concurrent", { kind: "requests", ports: APP_PORTS, connections: 4, maxDurationMs: 30_000, requests: pdfRequests });
    record({
      ...fromLoad("pdf-concurrent", `the same ${PDF_COUNT} PDFs at 4 connections (latency includes queueing on the one event loop)`, pdfConcurrent, rss.peak()),
      connections: 4,
      target: "p95 ≤ 100 ms at 4 connections",
      met: pdfConcurrent.latencyMs.p95 <= 100,
    });
  }

  let prepared = 0;
  let ledger: Awaited<ReturnType<typeof checkLedger>> | null = null;
  if (want("webhook-ledger")) {
    // ── Seed: confirmed PaymentIntents for the webhook run ──────────────────────────────────────────
    const prepStarted = performance.now();
    const prepDeadline = prepStarted + WEBHOOK_PREP_BUDGET_MS;
    const seedClient = new pg.Client({ connectionString: benchUrl.toString() });
    await seedClient.connect();
    const targets = await seedOpenInvoicesWithAttempts(seedClient, { organizationId, patientIds: patients, count: WEBHOOK_TARGET });
    const seededSeconds = (performance.now() - prepStarted) / 1000;
    say(`seeded ${targets.length} open invoices with payment attempts in ${seededSeconds.toFixed(0)} s (bulk SQL)`);
    const confirmed = await confirmPaymentIntents(seedClient, stripe, { organizationId, targets, concurrency: 16, deadline: prepDeadline });
    await seedClient.end();
    prepared = confirmed.length;
    const prepSeconds = (performance.now() - prepStarted) / 1000;
    say(`prepared ${prepared} confirmed PaymentIntents in ${prepSeconds.toFixed(0)} s`);
    const events: Stripe.Event[] = [];
    for await (const event of stripe.events.list({ type: "payment_intent.succeeded", limit: 100 })) {
      events.push(event);
      if (events.length >= prepared) break;
    }
    say(`listed ${events.length} payment_intent.succeeded events from the emulator`);

    const signed = (event: Stripe.Event): PreparedRequest => {
      const payload = JSON.stringify(event);
      return {
        method: "POST",
        path: "/api/webhooks/stripe",
        headers: { "content-type": "application/json", "stripe-signature": stripe.webhooks.generateTestHeaderString({ payload, secret: webhookSecret }) },
        body: payload,
      };
    };
    // ── (d) webhook → ledger ────────────────────────────────────────────────────────────────────────
    rss.reset();
    const webhook = await runLoad("webhook", {
      kind: "requests",
      ports: APP_PORTS,
      connections: CONNECTIONS,
      maxDurationMs: WEBHOOK_RUN_LIMIT_MS,
      requests: events.map(signed),
    });
    const outcomes = await db.$queryRaw<{ status: string; count: bigint }[]>`SELECT status::text, count(*) FROM payments GROUP BY status`;
    const succeeded = Number(outcomes.find((row) => row.status === "succeeded")?.count ?? 0);
    const delivered = webhook.statusCounts["200"] ?? 0;
    const webhookResult = fromLoad(
      "webhook-ledger",
      `${webhook.requests} distinct signed payment_intent.succeeded events → POST /api/webhooks/stripe`,
      webhook,
      rss.peak(),
      {
        throughputUnit: "events/s",
        target: "≥ 1,000 events/s, p95 ≤ 50 ms, ≥ 40% of the pgbench ceiling",
        notes: [
          `N = ${webhook.requests} posted of ${events.length} prepared (target ${WEBHOOK_TARGET}); preparing took ${prepSeconds.toFixed(0)} s of a ${WEBHOOK_PREP_BUDGET_MS / 1000} s budget (open invoices, finalize journals and payment attempts in bulk SQL, then each PaymentIntent created and confirmed in the emulator, 16 at a time)${webhook.requests < events.length ? `; posting stopped at the ${WEBHOOK_RUN_LIMIT_MS / 1000} s limit` : ""}`,
          `${succeeded} payments succeeded afterwards for ${delivered} events answered 200`,
        ],
      },
    );
    if (succeeded !== delivered) failures.push(`webhook-ledger: ${succeeded} succeeded payments for ${delivered} delivered events`);

    // ── (f) numbering and duplicates ────────────────────────────────────────────────────────────────
    if (want("duplicates-numbering")) {
      const journalsBefore = Number((await db.$queryRaw<{ count: bigint }[]>`SELECT count(*) FROM journal_entries`)[0]!.count);
      const replay = events.slice(0, Math.min(DUPLICATE_EVENTS, delivered));
      // Each event twice, the copies adjacent, so they are in flight at the same time on two connections.
      const replayRequests = replay.flatMap((event) => [signed(event), signed(event)]);
      rss.reset();
      const duplicates = await runLoad("duplicates", {
        kind: "requests",
        ports: APP_PORTS,
        connections: CONNECTIONS,
        maxDurationMs: 60_000,
        requests: [...replayRequests],
      });
      const journalsAfter = Number((await db.$queryRaw<{ count: bigint }[]>`SELECT count(*) FROM journal_entries`)[0]!.count);
      const numbering = await db.$queryRaw<{ organization_id: string; total: bigint; distinct_numbers: bigint; max_value: number | null }[]>`
        SELECT organization_id, count(number) AS total, count(DISTINCT number) AS distinct_numbers,
               max(substring(number from '[0-9]+$')::int) AS max_value
        FROM invoices WHERE number IS NOT NULL GROUP BY organization_id`;
      const numberingOk = numbering.every((row) => row.total === row.distinct_numbers && Number(row.total) === row.max_value);
      const duplicateNotes = [
        `${replay.length} events (already applied in webhook-ledger) posted twice each, concurrently: journal_entries ${journalsBefore} → ${journalsAfter}`,
        ...numbering.map(
          (row) =>
            `organization ${row.organization_id.slice(0, 8)}: ${row.total} numbered invoices, ${row.distinct_numbers} distinct, highest ${row.max_value}`,
        ),
      ];
      if (journalsAfter !== journalsBefore) failures.push(`duplicates: journal_entries grew from ${journalsBefore} to ${journalsAfter}`);
      if (!numberingOk)
        failures.push(
          `numbering: invoice numbers not unique and gapless ${JSON.stringify(numbering, (_key, value: unknown) => (typeof value === "bigint" ? Number(value) : value))}`,
        );
      record({
        ...fromLoad("duplicates-numbering", `the first ${replay.length} webhook events replayed twice concurrently`, duplicates, rss.peak()),
        throughputUnit: "events/s",
        target: "no new journals; invoice numbers unique and gapless",
        met: journalsAfter === journalsBefore && numberingOk,
        notes: duplicateNotes,
      });
    }

    // ── Ledger (before pgbench, whose replayed transactions post journals of their own) ─────────────
    ledger = await checkLedger(db);

    // ── pgbench ceiling for (d) ─────────────────────────────────────────────────────────────────────
    if (want("pgbench")) {
      try {
        const capture = await captureStatements({ admin, databaseName, benchUrl: benchUrl.toString(), db, stripe, organizationId, patientId: patients[0]! });
        // Both of pgbench's query modes: simple (parsed and planned on every execution) and prepared
        // (once per connection, as the app's pgTransaction does); the ratio is taken against the faster.
        const runs: { mode: "simple" | "prepared"; tps: number; latency: number; failed: number; statements: number; text: string }[] = [];
        // Both scripts are built before either runs: pgbench's transactions post journals of their own.
        const scripts = [
          await buildPgbenchScript({ db, capture, workDir, mode: "simple" }),
          await buildPgbenchScript({ db, capture, workDir, mode: "prepared" }),
        ];
        for (const [index, mode] of (["simple", "prepared"] as const).entries()) {
          const script = scripts[index]!;
          const pgbench = spawnSync(
            "pgbench",
            [
              "-n",
              "-M",
              mode,
              "-c",
              String(CONNECTIONS),
              "-j",
              "2",
              "-T",
              "15",
              "-f",
              script.file,
              "-h",
              benchUrl.hostname,
              "-p",
              benchUrl.port || "5432",
              "-U",
              decodeURIComponent(benchUrl.username || "postgres"),
              databaseName,
            ],
            {
              encoding: "utf8",
              timeout: 60_000,
              env: { ...process.env, PGPASSWORD: decodeURIComponent(benchUrl.password), ...(mode === "prepared" ? { PGOPTIONS: "-c lock_timeout=5000" } : {}) },
            },
          );
          writeFileSync(join(workDir, `pgbench-${mode}.out`), `${pgbench.stdout}\n${pgbench.stderr}`);
          const tps = Number(/tps = ([\d.]+)/.exec(pgbench.stdout)?.[1] ?? NaN);
          const latency = Number(/latency average = ([\d.]+) ms/.exec(pgbench.stdout)?.[1] ?? NaN);
          const failed = Number(/number of failed transactions: (\d+)/.exec(pgbench.stdout)?.[1] ?? 0);
          if (!Number.isFinite(tps)) throw new Error(`pgbench -M ${mode} failed: ${pgbench.stderr.slice(0, 800)}`);
          if (failed > 0) throw new Error(`pgbench -M ${mode}: ${failed} transactions failed (${pgbench.stderr.slice(0, 400)})`);
          runs.push({ mode, tps, latency, failed, statements: script.statements, text: script.text });
          say(`pgbench -M ${mode}: ${tps.toFixed(1)} tps, average latency ${latency} ms`);
        }
        const best = runs.reduce((a, b) => (b.tps > a.tps ? b : a));
        const tps = best.tps;
        webhookResult.ceiling = {
          what: `pgbench -c ${CONNECTIONS} -T 15, the ${best.statements} statements of one webhook transaction; ${runs.map((run) => `-M ${run.mode} ${run.tps.toFixed(1)} tps (avg latency ${run.latency} ms)`).join(", ")}; the faster counts`,
          value: tps,
          unit: "tps",
        };
        webhookResult.ratio = Math.round((webhookResult.throughputPerSecond / tps) * 1000) / 1000;
        webhookResult.notes!.push(
          `pgbench scripts: bench/pgbench-webhook.sql (simple mode) and bench/pgbench-webhook-prepared.sql (captured from PostgreSQL's log of one event)`,
        );
        writeFileSync("bench/pgbench-webhook-prepared.sql", runs.find((run) => run.mode === "prepared")!.text);
        writeFileSync("bench/pgbench-webhook.sql", runs.find((run) => run.mode === "simple")!.text);
      } catch (error) {
        webhookResult.notes!.push(`pgbench ceiling not measured: ${String(error).slice(0, 300)}`);
        say(`pgbench ceiling failed: ${String(error)}`);
      }
    }
    webhookResult.met = webhookResult.throughputPerSecond >= 1000 && webhookResult.latencyMs.p95 <= 50 && (webhookResult.ratio ?? 0) >= 0.4;
    record(webhookResult);
  }
  ledger ??= await checkLedger(db);
  if (
    ledger.unbalancedCurrencies.length > 0 ||
    ledger.invoiceMismatches.length > 0 ||
    ledger.patientCreditMismatches.length > 0 ||
    ledger.allocationMismatches.length > 0 ||
    ledger.claimMismatches.length > 0
  ) {
    failures.push(
      `ledger: ${ledger.unbalancedCurrencies.length} unbalanced currencies, ${ledger.invoiceMismatches.length} invoice mismatches, ${ledger.patientCreditMismatches.length} patient-credit mismatches, ${ledger.allocationMismatches.length} allocation mismatches, ${ledger.claimMismatches.length} claim mismatches (first: ${JSON.stringify(ledger.invoiceMismatches[0] ?? ledger.unbalancedCurrencies[0])})`,
    );
  }

  rss.stop();
  const peakRss = Math.max(...results.map((result) => result.peakRssMb));
  const firstHalf = rss.timeline.slice(0, Math.floor(rss.timeline.length / 2)).map((sample) => sample.rssMb);
  const secondHalf = rss.timeline.slice(Math.floor(rss.timeline.length / 2)).map((sample) => sample.rssMb);
  await db.$disconnect();

  return {
    ledger: {
      unbalancedCurrencies: ledger.unbalancedCurrencies.length,
      invoiceMismatches: ledger.invoiceMismatches.length,
      patientCreditMismatches: ledger.patientCreditMismatches.length,
      allocationMismatches: ledger.allocationMismatches.length,
      claimMismatches: ledger.claimMismatches.length,
    },
    memory: {
      peakRssMb: peakRss,
      firstHalfPeakMb: Math.max(0, ...firstHalf),
      secondHalfPeakMb: Math.max(0, ...secondHalf),
      target: "≤ 512 MB and flat",
      met: peakRss <= 512,
      timeline: rss.timeline.filter((_sample, index) => index % 8 === 0),
    },
    postgresVersion: serverVersion,
    webhookPrepared: prepared,
  };
}

/** The issue's order: the webhook first, then what explains it, then the other hot paths. */
const TABLE_ORDER = ["webhook-ledger", "framework-ceiling", "pay-page", "pay-page-single", "invoice-api", "pdf", "pdf-concurrent", "duplicates-numbering"];

function printTable() {
  results.sort((a, b) => TABLE_ORDER.indexOf(a.name) - TABLE_ORDER.indexOf(b.name));
  const rows = results.map((result) => [
    result.name,
    String(result.connections),
    String(result.requests),
    `${result.throughputPerSecond} ${result.throughputUnit}`,
    String(result.latencyMs.p50),
    String(result.latencyMs.p95),
    String(result.latencyMs.p99),
    String(result.errors),
    String(result.peakRssMb),
    result.ceiling ? `${result.ceiling.value} ${result.ceiling.unit}` : "",
    result.ratio !== undefined ? `${(result.ratio * 100).toFixed(1)}%` : "",
    result.met === undefined ? "" : result.met ? "met" : "MISSED",
  ]);
  const header = ["scenario", "conn", "requests", "throughput", "p50 ms", "p95 ms", "p99 ms", "errors", "RSS MB", "ceiling", "ratio", "target"];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join("  ");
  process.stdout.write(`\n${line(header)}\n${widths.map((width) => "-".repeat(width)).join("  ")}\n${rows.map(line).join("\n")}\n\n`);
}

async function cleanup() {
  for (const entry of [...started].reverse()) await stopChild(entry);
  if (admin) {
    if (databaseCreated)
      await admin
        .query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`)
        .catch((error: unknown) => say(`could not drop ${databaseName}: ${String(error)}`));
    await admin.end().catch(() => undefined);
  }
}

const wallTimer = setTimeout(() => {
  say(`wall-clock limit of ${WALL_LIMIT_MS / 60_000} minutes reached: stopping`);
  void cleanup().finally(() => process.exit(3));
}, WALL_LIMIT_MS);
let exitCode = 0;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void cleanup().finally(() => process.exit(130)));
}
/** The machine a result was taken on, and its load at the start and now. */
function machineNow() {
  return {
    nproc: cpus().length,
    cpuModel: cpus()[0]?.model ?? "unknown",
    memoryGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    loadAverageAtStart: loadAtStart,
    loadAverageAtEnd: loadavg().map((value) => Math.round(value * 100) / 100),
  };
}

/** A results file kept in git, formatted as prettier formats it, so that `npm run lint` accepts it. */
async function writeCommittedJson(file: string, output: unknown): Promise<void> {
  const prettier = await import("prettier");
  writeFileSync(file, await prettier.format(JSON.stringify(output), { parser: "json", printWidth: 160 }));
}

/** The analytics scenario (bench/analytics-scenario.ts): its table, and bench/analytics-results.json. */
async function analytics(): Promise<AnalyticsScenarioResult> {
  const result = await runAnalyticsScenario({
    url: ANALYTICS_URL,
    repetitions: ANALYTICS_REPETITIONS,
    freshRepetitions: ANALYTICS_FRESH_REPETITIONS,
    budgetSeconds: ANALYTICS_BUDGET_SECONDS,
    say,
    plansFile: "bench/analytics-plans.md",
  });
  const header = ["report", "granularity", "reps", "p50 ms", "p95 ms", "max ms", "fresh reps", "fresh p50", "fresh p95", "fresh max", "≤ 150 ms"];
  const rows = result.requests.map((row) => [
    row.report,
    row.granularity,
    String(row.repetitions),
    String(row.latencyMs.p50),
    String(row.latencyMs.p95),
    String(row.latencyMs.max),
    String(row.freshRepetitions),
    String(row.freshLatencyMs.p50),
    String(row.freshLatencyMs.p95),
    String(row.freshLatencyMs.max),
    Math.max(row.latencyMs.p95, row.freshLatencyMs.p95) <= 150 ? "met" : "MISSED",
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join("  ");
  process.stdout.write(`\n${line(header)}\n${widths.map((width) => "-".repeat(width)).join("  ")}\n${rows.map(line).join("\n")}\n\n`);
  const worst = Math.max(...result.requests.map((row) => Math.max(row.latencyMs.p95, row.freshLatencyMs.p95)));
  const output = {
    takenAt: new Date().toISOString(),
    machine: machineNow(),
    target: "p95 ≤ 150 ms for every request, also right after a journal was posted",
    met: worst <= 150,
    worstP95Ms: worst,
    ...result,
  };
  await writeCommittedJson("bench/analytics-results.json", output);
  say(`analytics: worst p95 ${worst} ms (${worst <= 150 ? "met" : "MISSED"}); wrote bench/analytics-results.json and ${result.plansFile}`);
  return result;
}

/** The insurance scenario (bench/insurance-scenario.ts): its lines, and bench/insurance-results.json; fails the run when the figures differ. */
async function insurance(): Promise<void> {
  const result = await runInsuranceScenario({
    adminUrl,
    claims: INSURANCE_CLAIMS,
    repetitions: INSURANCE_REPETITIONS,
    fromClaimsRepetitions: INSURANCE_FROM_CLAIMS_REPETITIONS,
    say,
  });
  const output = {
    takenAt: new Date().toISOString(),
    machine: machineNow(),
    target: "p95 ≤ 150 ms (SPEC §5, analytics)",
    ...result,
  };
  await writeCommittedJson("bench/insurance-results.json", output);
  say("insurance: wrote bench/insurance-results.json");
  if (!result.exact) throw new Error("insurance: the figures from the rollups differ from the figures from the claims");
}

try {
  if (ANALYTICS_ONLY) {
    // Nothing else asked for: no build, no app, no bench database.
    clearTimeout(wallTimer);
    if (WANT_ANALYTICS) await analytics();
    if (WANT_INSURANCE) await insurance();
    rmSync(workDir, { recursive: true, force: true });
    process.exit(0);
  }
  const summary = await main();
  if (WANT_ANALYTICS) await analytics();
  if (WANT_INSURANCE) await insurance();
  printTable();
  const output = {
    takenAt: new Date().toISOString(),
    wallSeconds: Math.round((performance.now() - runStarted) / 1000),
    machine: { ...machineNow(), postgres: summary.postgresVersion, database: `PostgreSQL at ${adminParsed.host} (fresh database per run)` },
    appInstances: INSTANCES,
    scenarios: results,
    ledger: summary.ledger,
    memory: summary.memory,
    failures,
  };
  const resultsFile = ONLY ? join(workDir, "results.json") : "bench/results.json";
  writeFileSync(resultsFile, `${JSON.stringify(output, null, 2)}\n`);
  say(
    `peak app RSS ${summary.memory.peakRssMb} MB (first half ${summary.memory.firstHalfPeakMb}, second half ${summary.memory.secondHalfPeakMb}); ledger ${JSON.stringify(summary.ledger)}`,
  );
  say(`wrote ${resultsFile}; wall time ${output.wallSeconds} s`);
  if (failures.length > 0) {
    say(`FAILED:\n  ${failures.join("\n  ")}`);
    exitCode = 1;
  }
} catch (error) {
  say(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  printTable();
  exitCode = 1;
} finally {
  clearTimeout(wallTimer);
  await cleanup();
  if (exitCode === 0 && !ONLY) rmSync(workDir, { recursive: true, force: true, maxRetries: 2 });
  else say(`logs kept in ${workDir}`);
}
process.exit(exitCode);
