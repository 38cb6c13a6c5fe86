/**
 * The webhook scenario's ceiling: the SQL statements one `payment_intent.succeeded` transaction
 * executes, captured from PostgreSQL's own statement log, replayed by pgbench at the same
 * concurrency against the same database with the rows varied per transaction.
 *
 * Capture: `ALTER DATABASE … SET log_statement = 'all'`, a fresh one-connection client runs the
 * app's own webhook code (processStripeEvent, what /api/webhooks/stripe calls after verifying the
 * signature) for one new confirmed PaymentIntent, and the log lines of that backend are read
 * back from the server's log file (a local server: the file must be readable by this process).
 */
import { closeSync, openSync, readSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type pg from "pg";
import type Stripe from "stripe";
import type { Db } from "@/lib/db/client";

export type CapturedStatement = { text: string; params: (string | null)[] };

export type Capture = {
  statements: CapturedStatement[];
  /** The ids of the one event's rows, to be replaced by per-transaction variables. */
  ids: { eventId: string; paymentIntentId: string; paymentId: string; invoiceId: string; patientId: string };
};

async function logFilePath(admin: pg.Client): Promise<string> {
  const current = (await admin.query<{ file: string | null }>("SELECT pg_current_logfile() AS file")).rows[0]?.file;
  if (current) {
    const dataDir = (await admin.query<{ setting: string }>("SHOW data_directory")).rows[0]!.setting;
    return current.startsWith("/") ? current : join(dataDir, current);
  }
  // Debian's packaging sends stderr to /var/log/postgresql/postgresql-<major>-main.log.
  const major = (await admin.query<{ server_version_num: string }>("SHOW server_version_num")).rows[0]!.server_version_num.slice(0, 2);
  return `/var/log/postgresql/postgresql-${major}-main.log`;
}

function readFrom(file: string, offset: number): string {
  const size = statSync(file).size;
  const length = Math.min(size - offset, 16 * 1024 * 1024);
  if (length <= 0) return "";
  const buffer = Buffer.alloc(length);
  const fd = openSync(file, "r");
  try {
    readSync(fd, buffer, 0, length, offset);
  } finally {
    closeSync(fd);
  }
  return buffer.toString("utf8");
}

/** Splits log text into entries (continuation lines start with a tab) of one backend. */
function entriesOf(text: string, pid: number): string[] {
  const entries: string[] = [];
  for (const line of text.split("\n")) {
    if (/^\d{4}-\d{2}-\d{2} /.test(line)) entries.push(line);
    else if (entries.length > 0) entries[entries.length - 1] += `\n${line.replace(/^\t/, "")}`;
  }
  return entries.filter((entry) => entry.includes(`[${pid}]`));
}

/** `$1 = 'a', $2 = NULL` → ["a", null] (values are single-quoted with '' escapes). */
function parseParameters(detail: string): (string | null)[] {
  const params: (string | null)[] = [];
  const pattern = /\$(\d+) = (NULL|'((?:[^']|'')*)')/g;
  for (let match = pattern.exec(detail); match; match = pattern.exec(detail)) {
    params[Number(match[1]) - 1] = match[2] === "NULL" ? null : match[3]!.replace(/''/g, "'");
  }
  return params;
}

export async function captureStatements(options: {
  admin: pg.Client;
  databaseName: string;
  benchUrl: string;
  db: Db;
  stripe: Stripe;
  organizationId: string;
  patientId: string;
}): Promise<Capture> {
  const { admin, databaseName, db, stripe, organizationId, patientId } = options;
  const { createInvoice } = await import("@/lib/invoices/create-invoice");
  const { finalizeInvoice } = await import("@/lib/invoices/finalize-invoice");
  const { createPaymentAttempt } = await import("@/lib/payments/create-payment-attempt");
  const { processStripeEvent } = await import("@/lib/webhooks/process-stripe-event");
  const { createDb } = await import("@/lib/db/client");

  const actor = { userId: null, label: "bench", ip: null, requestId: null };
  const draft = await createInvoice(db, {
    organizationId,
    actor,
    input: { patientId, lines: [{ description: "Captured visit", quantity: 1, unitAmount: 10_000 }] },
  });
  await finalizeInvoice(db, { organizationId, invoiceId: draft.id, actor });
  const attempt = await createPaymentAttempt(db, { organizationId, invoiceId: draft.id, stripe });
  await stripe.paymentIntents.confirm(attempt.paymentIntent.id, { payment_method: "pm_card_visa" });
  let event: Stripe.Event | undefined;
  for await (const candidate of stripe.events.list({ type: "payment_intent.succeeded", limit: 20 })) {
    if ((candidate.data.object as { id: string }).id === attempt.paymentIntent.id) {
      event = candidate;
      break;
    }
  }
  if (!event) throw new Error("the captured PaymentIntent's event was not found in the emulator");

  const file = await logFilePath(admin);
  await admin.query(`ALTER DATABASE "${databaseName}" SET log_statement = 'all'`);
  const offset = statSync(file).size;
  const capturing = createDb({ connectionString: options.benchUrl, poolSize: 1 });
  let pid: number;
  try {
    pid = (await capturing.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`)[0]!.pid;
    const outcome = await processStripeEvent(capturing, event, stripe);
    if (outcome !== "applied") throw new Error(`the captured event was ${outcome}, not applied`);
  } finally {
    await capturing.$disconnect();
    await admin.query(`ALTER DATABASE "${databaseName}" RESET log_statement`);
  }
  // The server writes its log asynchronously; give it a moment.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const entries = entriesOf(readFrom(file, offset), pid);

  const statements: CapturedStatement[] = [];
  for (const entry of entries) {
    const statement = /LOG:\s+(?:statement|execute [^:]*):\s([\s\S]*)$/.exec(entry);
    if (statement) {
      statements.push({ text: statement[1]!.trim(), params: [] });
      continue;
    }
    const detail = /DETAIL:\s+[Pp]arameters: ([\s\S]*)$/.exec(entry);
    if (detail && statements.length > 0) statements[statements.length - 1]!.params = parseParameters(detail[1]!);
  }
  const first = statements.findIndex((statement) => /^BEGIN/i.test(statement.text));
  const last = statements.findIndex((statement, index) => index > first && /^COMMIT/i.test(statement.text));
  if (first < 0 || last < 0) throw new Error(`no BEGIN…COMMIT for backend ${pid} in ${file} (${entries.length} log entries)`);
  return {
    statements: statements.slice(first, last + 1),
    ids: { eventId: event.id, paymentIntentId: attempt.paymentIntent.id, paymentId: attempt.paymentId, invoiceId: draft.id, patientId },
  };
}

const quote = (value: string) => `'${value.replace(/'/g, "''")}'`;

/**
 * Turns the captured transaction into a pgbench script: each transaction picks one of the
 * payments the webhook run applied (a lookup table in the bench database), a fresh event id, and
 * the rows the statements create (journal entries) are carried from their RETURNING into the
 * statements that reference them with \gset.
 */
export async function buildPgbenchScript(options: {
  db: Db;
  capture: Capture;
  workDir: string;
  /**
   * pgbench's query mode (-M). `simple` substitutes variables as text, so they are quoted here;
   * `prepared` sends them as parameters of statements prepared once per connection (as the app's
   * pgTransaction does), so they must not be: the two scripts differ only in that.
   */
  mode: "simple" | "prepared";
}): Promise<{ file: string; text: string; statements: number }> {
  const { db, capture, mode } = options;
  /** A variable as a text value: quoted for simple mode, a parameter for prepared mode. */
  const variable = (name: string) => (mode === "simple" ? `':${name}'` : `:${name}`);
  await db.$executeRawUnsafe(`DROP TABLE IF EXISTS bench_pgbench_targets`);
  await db.$executeRawUnsafe(`
    CREATE TABLE bench_pgbench_targets AS
    SELECT row_number() OVER (ORDER BY id)::int AS i, id::text AS pay, invoice_id::text AS inv, patient_id::text AS pat, stripe_payment_intent_id AS pi
    FROM payments WHERE status = 'succeeded' AND stripe_payment_intent_id IS NOT NULL`);
  await db.$executeRawUnsafe(`ALTER TABLE bench_pgbench_targets ADD PRIMARY KEY (i)`);
  const targets = Number((await db.$queryRawUnsafe<{ count: bigint }[]>(`SELECT count(*) FROM bench_pgbench_targets`))[0]!.count);

  const { ids } = capture;
  const known = new Map<string, string>([
    [ids.eventId, `('evt_pgbench_' || ${variable("r")}::text)`],
    [ids.paymentIntentId, variable("pi")],
    [ids.paymentId, variable("pay")],
    [ids.invoiceId, variable("inv")],
    [ids.patientId, variable("pat")],
  ]);
  // Other ids (organization, ledger accounts) are the same for every transaction and stay literal.
  const returning: number[] = [];
  const lines: string[] = [
    `-- One payment_intent.succeeded webhook transaction, captured from PostgreSQL's statement log.`,
    `\\set i random(1, ${targets})`,
    `\\set r random(1, 1000000000000)`,
    `SELECT pay, inv, pat, pi FROM bench_pgbench_targets WHERE i = :i \\gset`,
  ];
  const unknownUuids = new Map<string, string>();
  const createdJournals = new Set(
    (await db.$queryRawUnsafe<{ id: string }[]>(`SELECT id::text AS id FROM journal_entries WHERE source_id = $1::uuid`, ids.paymentId)).map((row) => row.id),
  );
  // Journal ids the app makes itself (postJournals): fresh ones per transaction, as in the app.
  const journalVariables = new Map([...createdJournals].map((id, index) => [id, `j${index}`]));
  if (journalVariables.size > 0) {
    lines.push(`SELECT ${[...journalVariables.values()].map((name) => `gen_random_uuid() AS ${name}`).join(", ")} \\gset`);
  }
  /** A text holding journal ids (an array literal such as {id1,id2}): literal parts joined with the variables. */
  const withJournalVariables = (value: string) => {
    let parts: string[] = [quote(value)];
    for (const [id, name] of journalVariables) {
      parts = parts.flatMap((part) => {
        if (!part.startsWith("'") || !part.includes(id)) return [part];
        const pieces = part.slice(1, -1).split(id);
        return pieces.flatMap((piece, index) => [...(piece ? [`'${piece}'`] : []), ...(index < pieces.length - 1 ? [`${variable(name)}::text`] : [])]);
      });
    }
    return parts.length === 1 ? parts[0]! : `(${parts.join(" || ")})`;
  };
  for (const [index, statement] of capture.statements.entries()) {
    let text = statement.text;
    for (let n = statement.params.length; n >= 1; n--) {
      const value = statement.params[n - 1];
      let replacement: string;
      if (value === null || value === undefined) replacement = "NULL";
      else if (known.has(value)) replacement = known.get(value)!;
      // The receipt number: made from the value the receipt counter's upsert just returned (\gset rc_).
      else if (/^RCT-\d+$/.test(value)) replacement = `('RCT-' || ${variable("rc_value")}::text)`;
      else if (journalVariables.size > 0 && [...journalVariables.keys()].some((id) => value.includes(id))) replacement = withJournalVariables(value);
      else if (unknownUuids.has(value)) replacement = unknownUuids.get(value)!;
      else if (createdJournals.has(value) && returning.length > 0) {
        // A journal entry this transaction created: the id its INSERT … RETURNING handed back.
        unknownUuids.set(value, variable(`s${returning.at(-1)}_id`));
        replacement = unknownUuids.get(value)!;
      } else replacement = quote(value);
      text = text.replace(new RegExp(`\\$${n}(?!\\d)`, "g"), replacement);
    }
    text = text.replace(/\s*\n\s*/g, " ");
    // Each transaction re-applies a payment the webhook run already applied, so its allocation row
    // (unique per payment and invoice) exists: the insert still probes the index but skips the row.
    text = text.replace(/(INSERT INTO "?payment_allocations"?\s*\([^)]*\)\s*VALUES\s*\([^)]*\))/gi, "$1 ON CONFLICT (payment_id, invoice_id) DO NOTHING");
    // A multi-statement command cannot be prepared: the transaction's lock_timeout is then set for
    // the session instead (PGOPTIONS), the same setting without another round trip.
    if (mode === "prepared" && /^BEGIN;/i.test(text)) text = "BEGIN";
    if (/organization_counters/i.test(text) && /'receipt'/.test(text) && /RETURNING value\s*$/i.test(text)) {
      lines.push(`${text} \\gset rc_`);
    } else if (/^INSERT INTO "public"\."journal_entries"/i.test(text) && /RETURNING/i.test(text)) {
      returning.push(index);
      lines.push(`${text} \\gset s${index}_`);
    } else lines.push(`${text};`);
  }
  const text = `${lines.join("\n")}\n`;
  const file = join(options.workDir, `pgbench-webhook-${mode}.sql`);
  writeFileSync(file, text);
  return { file, text, statements: capture.statements.length };
}
