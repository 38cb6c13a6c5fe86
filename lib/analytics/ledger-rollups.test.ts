import pg from "pg";
import { describe, expect, it } from "vitest";
import { createDb, type Db, type Tx } from "@/lib/db/client";
import { pgTransaction, sql, sqlOf, type Int8 } from "@/lib/db/sql";
import { createInvoice } from "@/lib/invoices/create-invoice";
import { addDays, startOfDayIn } from "@/lib/invoices/dates";
import { finalizeInvoice } from "@/lib/invoices/finalize-invoice";
import { ensureChartOfAccounts } from "@/lib/ledger/accounts";
import { postJournal, type JournalLineInput } from "@/lib/ledger/post-journal";
import { updateOrganization } from "@/lib/organizations/update-organization";
import { recordManualPayment } from "@/lib/payments/record-manual-payment";
import { createTestOrganization, createTestPatient, testActor } from "@/tests/factories";
import { setupTestDatabase } from "@/tests/test-database";
import { resolveAnalyticsPeriod } from "./analytics-period";
import type { AnalyticsPeriod } from "./analytics.types";
import { getAnalyticsReport } from "./get-analytics-report";
import { getServicesReport } from "./get-services-report";
import { loadLedgerFacts, RECEIVABLE_TAG } from "./load-ledger-facts";
import { CURRENT } from "./report-ranges";
import { refreshLedgerRollups, summarizeJournalIndex } from "./refresh-ledger-rollups";

const database = setupTestDatabase();

async function clinic(timezone: string) {
  const org = await createTestOrganization(database.db);
  await updateOrganization(database.db, {
    organizationId: org.organizationId,
    actor: org.adminActor,
    input: { name: `Clinic ${org.slug}`, country: "US", timezone, currency: "USD" },
  });
  const patient = await createTestPatient(database.db, { organizationId: org.organizationId });
  return { ...org, patientId: patient.id };
}

/** The journal lines of an organization summed directly (no rollups): by kind, account and clinic day in `timezone`, and the AR balance. */
async function directSums(db: Db | Tx, options: { organizationId: string; timezone: string; from: string; to: string }) {
  const rows = await sqlOf(db).query<{ day: Date; kind: string; code: string; amount: Int8; journals: number }>(sql`
    SELECT (e.occurred_at AT TIME ZONE ${options.timezone})::date AS day, e.kind, a.code, SUM(l.amount)::bigint AS amount, COUNT(DISTINCT e.id)::int AS journals
    FROM journal_lines l JOIN journal_entries e ON e.id = l.journal_entry_id JOIN ledger_accounts a ON a.id = l.account_id
    WHERE e.organization_id = ${options.organizationId}::uuid
    GROUP BY 1, 2, 3`);
  const [ar] = await sqlOf(db).query<{ amount: Int8 | null }>(sql`
    SELECT SUM(l.amount)::bigint AS amount FROM journal_lines l JOIN ledger_accounts a ON a.id = l.account_id
    WHERE l.organization_id = ${options.organizationId}::uuid AND a.code = '1100'`);
  const inPeriod = rows.filter((row) => {
    const day = row.day.toISOString().slice(0, 10);
    return day >= options.from && day <= options.to;
  });
  const byKindAccount = new Map<string, { amount: number; journals: number }>();
  const byDay = new Map<string, number>();
  for (const row of inPeriod) {
    const key = `${row.kind}|${row.code}`;
    const sum = byKindAccount.get(key) ?? { amount: 0, journals: 0 };
    byKindAccount.set(key, { amount: sum.amount + Number(row.amount), journals: sum.journals + row.journals });
    const dayKey = `${row.day.toISOString().slice(0, 10)}|${row.kind}|${row.code}`;
    byDay.set(dayKey, (byDay.get(dayKey) ?? 0) + Number(row.amount));
  }
  return { byKindAccount, byDay, receivable: Number(ar?.amount ?? 0) };
}

const CODE = {
  accountsReceivable: "1100",
  revenue: "4000",
  discounts: "4900",
  processingFees: "6100",
  stripeClearing: "1010",
  creditNotes: "4910",
  badDebt: "6200",
} as const;

/** What the report loader reads for a period, in the same shape as directSums. */
async function loadedSums(db: Db | Tx, options: { organizationId: string; period: AnalyticsPeriod }) {
  const facts = await loadLedgerFacts(db, { organizationId: options.organizationId, period: options.period, series: true });
  const byKindAccount = new Map<string, { amount: number; journals: number }>();
  const byDay = new Map<string, number>();
  for (const fact of facts) {
    if (fact.account === null || fact.tag === RECEIVABLE_TAG) continue;
    const code = CODE[fact.account as keyof typeof CODE];
    if (fact.tag === CURRENT) {
      const key = `${fact.kind}|${code}`;
      const sum = byKindAccount.get(key) ?? { amount: 0, journals: 0 };
      byKindAccount.set(key, { amount: sum.amount + fact.amount, journals: sum.journals + fact.journals });
    } else if (fact.tag.startsWith("bucket:")) {
      const key = `${fact.tag.slice("bucket:".length)}|${fact.kind}|${code}`;
      byDay.set(key, (byDay.get(key) ?? 0) + fact.amount);
    }
  }
  const receivable = facts.filter((fact) => fact.tag === RECEIVABLE_TAG).reduce((sum, fact) => sum + fact.amount, 0);
  return { byKindAccount, byDay, receivable };
}

const sorted = <V>(map: Map<string, V>) => [...map.entries()].filter(([, value]) => value !== 0).sort(([a], [b]) => a.localeCompare(b));

describe("analytics rollups", () => {
  it("two organizations whose data interleave in time each see only their own", { timeout: 120_000 }, async () => {
    const la = await clinic("America/Los_Angeles");
    const ny = await clinic("America/New_York");
    const base = startOfDayIn("2026-03-10", "America/Los_Angeles");
    const expected = { la: { charges: 0, collections: 0 }, ny: { charges: 0, collections: 0 } };
    for (let index = 0; index < 8; index++) {
      const instant = new Date(base.getTime() + index * 3 * 3_600_000);
      for (const [key, org, unit] of [
        ["la", la, 1_000],
        ["ny", ny, 100],
      ] as const) {
        const total = unit * (index + 1);
        const draft = await createInvoice(database.db, {
          organizationId: org.organizationId,
          actor: testActor(),
          input: { patientId: org.patientId, lines: [{ description: `${key} service`, serviceCode: key.toUpperCase(), quantity: 1, unitAmount: total }] },
        });
        await finalizeInvoice(database.db, { organizationId: org.organizationId, invoiceId: draft.id, actor: testActor(), now: instant });
        await recordManualPayment(database.db, {
          organizationId: org.organizationId,
          actor: testActor(),
          now: new Date(instant.getTime() + 60_000),
          input: { patientId: org.patientId, method: "cash", amount: total / 2, invoiceId: draft.id },
        });
        expected[key].charges += total;
        expected[key].collections += total / 2;
      }
      if (index === 3) await refreshLedgerRollups(database.db, { organizationId: la.organizationId });
      if (index === 5) await refreshLedgerRollups(database.db);
    }
    const query = { from: "2026-03-01", to: "2026-03-31" };
    for (const [key, org] of [
      ["la", la],
      ["ny", ny],
    ] as const) {
      const summary = await getAnalyticsReport(database.db, { organizationId: org.organizationId, report: "summary", query });
      expect({ charges: summary.charges.current, collections: summary.collections.current }).toEqual(expected[key]);
      expect(summary.receivables.amount).toBe(expected[key].charges - expected[key].collections);
      const aging = await getAnalyticsReport(database.db, { organizationId: org.organizationId, report: "aging", query });
      expect(aging.total).toEqual({ count: 8, amount: expected[key].charges - expected[key].collections });
      const collections = await getAnalyticsReport(database.db, { organizationId: org.organizationId, report: "collections", query });
      expect(collections.byChannel.find((channel) => channel.channel === "cash")).toEqual({ channel: "cash", count: 8, amount: expected[key].collections });
      const services = await getAnalyticsReport(database.db, { organizationId: org.organizationId, report: "services", query });
      expect(services.byNetCharges).toEqual([
        { serviceCode: key.toUpperCase(), description: `${key} service`, netCharges: expected[key].charges, collections: expected[key].collections, lines: 8 },
      ]);
    }
  });

  it("stay exact while 1,000 journals are posted by 20 concurrent workers and refreshes run in a loop", { timeout: 300_000 }, async () => {
    const timezone = "Pacific/Auckland";
    const org = await clinic(timezone);
    const { organizationId } = org;
    // Its own pool: 20 workers, transactions held open across refreshes, the refresher and the checks.
    const db = createDb({ connectionString: database.url, poolSize: 30 });
    try {
      const from = "2026-02-01";
      const to = "2026-04-30";
      const period = resolveAnalyticsPeriod({ from, to, granularity: "day" }, { timezone, currency: "USD" });
      // The same days in a zone the rollups are not kept in (an alias of Auckland): read entirely live.
      const livePeriod = { ...period, timezone: "NZ" };

      let refreshes = 0;
      let summarized = 0;
      const refreshWaiters: { target: number; resolve: () => void }[] = [];
      let posting = true;
      const refresher = (async () => {
        while (posting) {
          await refreshLedgerRollups(db, { organizationId });
          // As the job does: the journals' BRIN index summarized over pages still being filled.
          summarized += await summarizeJournalIndex(db);
          refreshes++;
          for (const waiter of refreshWaiters.filter((candidate) => candidate.target <= refreshes)) waiter.resolve();
        }
      })();
      const afterRefreshes = (count: number) => new Promise<void>((resolve) => refreshWaiters.push({ target: refreshes + count, resolve }));

      /** Compares, in one repeatable-read snapshot, the loader (rollups + live) with a direct SUM and with an all-live read. */
      const check = () =>
        db.$transaction(
          async (tx) => {
            const direct = await directSums(tx, { organizationId, timezone, from, to });
            const loaded = await loadedSums(tx, { organizationId, period });
            const live = await loadedSums(tx, { organizationId, period: livePeriod });
            expect(sorted(loaded.byKindAccount)).toEqual(sorted(direct.byKindAccount));
            expect(sorted(loaded.byDay)).toEqual(sorted(direct.byDay));
            expect(loaded.receivable).toBe(direct.receivable);
            expect(sorted(live.byKindAccount)).toEqual(sorted(direct.byKindAccount));
            const services = await getServicesReport(tx, { organizationId, period, limit: 1_000 });
            const servicesLive = await getServicesReport(tx, { organizationId, period: livePeriod, limit: 1_000 });
            expect(services.byNetCharges).toEqual(servicesLive.byNetCharges);
            expect(services.byCollections).toEqual(servicesLive.byCollections);
            return direct.byKindAccount.size;
          },
          { isolationLevel: "RepeatableRead", timeout: 60_000 },
        );

      const start = startOfDayIn(from, timezone).getTime();
      const span = startOfDayIn(addDays(to, 1), timezone).getTime() - start;
      let seed = 7;
      const random = () => {
        seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
        return seed / 2_147_483_648;
      };
      const journal = (index: number): { kind: string; lines: JournalLineInput[]; occurredAt: Date } => {
        const amount = 100 + Math.floor(random() * 50_000);
        // Near a local midnight one time in four, elsewhere in the three months otherwise.
        const day = startOfDayIn(addDays(from, Math.floor(random() * 89)), timezone).getTime();
        const occurredAt = new Date(index % 4 === 0 ? day + (random() < 0.5 ? -60_000 : 60_000) : start + Math.floor(random() * span));
        switch (index % 4) {
          case 0:
            return {
              kind: "invoice.finalized",
              occurredAt,
              lines: [
                { account: "accountsReceivable", amount },
                { account: "revenue", amount: -(amount + 70) },
                { account: "discounts", amount: 70 },
              ],
            };
          case 1:
            return {
              kind: "payment.fee",
              occurredAt,
              lines: [
                { account: "processingFees", amount: 30 },
                { account: "stripeClearing", amount: -30 },
              ],
            };
          case 2:
            return {
              kind: "credit_note.issued",
              occurredAt,
              lines: [
                { account: "creditNotes", amount },
                { account: "accountsReceivable", amount: -amount },
              ],
            };
          default:
            return {
              kind: "invoice.written_off",
              occurredAt,
              lines: [
                { account: "badDebt", amount },
                { account: "accountsReceivable", amount: -amount },
              ],
            };
        }
      };
      class RolledBack extends Error {}
      let index = 0;
      let committed = 0;
      // Checks while posting; their outcome is read at the end (a failure is kept, not thrown mid-way).
      const checks: Promise<{ size: number } | { error: unknown }>[] = [];
      const worker = async (workerId: number) => {
        for (let done = 0; done < 50;) {
          const number = index++;
          const entry = journal(number);
          const rollBack = number % 9 === 4;
          const holdOpen = workerId < 4 && done % 10 === 5;
          try {
            if (workerId === 0 && done % 12 === 0) {
              // Real invoices too (services rollup): created, then finalized at a chosen time.
              const draft = await createInvoice(db, {
                organizationId,
                actor: testActor(),
                input: {
                  patientId: org.patientId,
                  lines: [
                    { description: "Visit", serviceCode: "V1", quantity: 1, unitAmount: 10_000 },
                    { description: "Lab", quantity: 3, unitAmount: 1_111 },
                  ],
                },
              });
              await finalizeInvoice(db, { organizationId, invoiceId: draft.id, actor: testActor(), now: entry.occurredAt });
            } else {
              await pgTransaction(
                db,
                async (runner) => {
                  await postJournal(runner, {
                    organizationId,
                    currency: "USD",
                    memo: "concurrent",
                    source: { type: "test", id: crypto.randomUUID() },
                    ...entry,
                  });
                  // A transaction that started before refreshes and commits after them: its journal must not be missed.
                  if (holdOpen) await afterRefreshes(2);
                  if (rollBack) throw new RolledBack();
                },
                { timeoutMs: 60_000 },
              );
            }
            done++;
            committed++;
            if (workerId === 19 && done % 20 === 0)
              checks.push(
                check().then(
                  (size) => ({ size }),
                  (error: unknown) => ({ error }),
                ),
              );
          } catch (error) {
            if (!(error instanceof RolledBack)) throw error;
          }
        }
      };
      await Promise.all(Array.from({ length: 20 }, (_, workerId) => worker(workerId)));
      posting = false;
      await refresher;
      expect(committed).toBe(1_000);
      expect(refreshes).toBeGreaterThan(2);
      const outcomes = await Promise.all(checks);
      expect(outcomes).toHaveLength(2);
      for (const outcome of outcomes) {
        if ("error" in outcome) throw outcome.error;
        expect(outcome.size).toBeGreaterThan(0);
      }
      await check(); // live tail after the last refresh
      await refreshLedgerRollups(db, { organizationId });
      await check(); // everything rolled up
      // As the app's role (which owns nothing): the last call finds no full range left to summarize.
      summarized += await summarizeJournalIndex(db);
      expect(await summarizeJournalIndex(db)).toBe(0);
      expect(summarized).toBeGreaterThanOrEqual(0);
      const [live] = await sqlOf(db).query<{ journals: number }>(sql`
        SELECT COUNT(*)::int AS journals FROM journal_entries e JOIN ledger_rollup_state s ON s.organization_id = e.organization_id
        WHERE e.organization_id = ${organizationId}::uuid AND e.xact_id >= s.horizon`);
      expect(live!.journals).toBe(0);
      const [{ journals }] = (await sqlOf(db).query<{ journals: number }>(
        sql`SELECT COUNT(*)::int AS journals FROM journal_entries WHERE organization_id = ${organizationId}::uuid AND memo = 'concurrent'`,
      )) as [{ journals: number }];
      expect(journals).toBe(1_000 - Math.ceil(50 / 12));
    } finally {
      await db.$disconnect();
    }
  });

  it("find the journals posted since a horizon by reading few pages, once the journals' BRIN index is summarized", { timeout: 120_000 }, async () => {
    // Only the explicit summarizing (the rollup job's) may summarize here: autovacuum's autosummarize,
    // and any VACUUM of the table (autovacuum runs one after a bulk insert), would do it at their own
    // moment. As the owner (the app's role cannot alter the index or the table).
    const owner = new pg.Client({ connectionString: database.ownerUrl });
    await owner.connect();
    try {
      await owner.query("ALTER INDEX journal_entries_xact_id_idx SET (autosummarize = off)");
      await owner.query("ALTER TABLE journal_entries SET (autovacuum_enabled = false)");
      await runBrinTest(owner);
    } finally {
      await owner.query("ALTER TABLE journal_entries RESET (autovacuum_enabled)");
      await owner.end();
    }
  });

  async function runBrinTest(owner: pg.Client) {
    const org = await clinic("America/New_York");
    const { organizationId } = org;
    const db = database.db;
    await ensureChartOfAccounts(sqlOf(db), organizationId);
    // 12,000 balanced journals in one transaction (over 200 pages), then one in a later transaction.
    const bulk = (count: number) => sql`
      WITH entries AS (
        INSERT INTO journal_entries (organization_id, currency, kind, memo, source_type, source_id)
        SELECT ${organizationId}::uuid, 'USD', 'invoice.finalized', 'bulk', 'invoice', gen_random_uuid() FROM generate_series(1, ${count}::int)
        RETURNING id)
      INSERT INTO journal_lines (journal_entry_id, organization_id, account_id, amount)
      SELECT e.id, ${organizationId}::uuid, a.id, CASE a.code WHEN '1100' THEN 100 ELSE -100 END
      FROM entries e CROSS JOIN ledger_accounts a WHERE a.organization_id = ${organizationId}::uuid AND a.code IN ('1100', '4000')`;
    await sqlOf(db).execute(bulk(12_000));
    await sqlOf(db).execute(bulk(1));
    const [latest] = await sqlOf(db).query<{ xact: Int8; pages: number }>(sql`
      SELECT MAX(xact_id)::text AS xact, (pg_relation_size('journal_entries') / current_setting('block_size')::int)::int AS pages FROM journal_entries`);
    /** The heap pages a bitmap scan of the BRIN index reads to find the journals of the latest transaction (and how many it finds). */
    const pagesRead = () =>
      db.$transaction(async (tx) => {
        await sqlOf(tx).execute(sql`SET LOCAL enable_seqscan = off`);
        const [row] = await sqlOf(tx).query<{ "QUERY PLAN": { Plan: Record<string, unknown> }[] }>(
          sql`EXPLAIN (ANALYZE, FORMAT JSON) SELECT id FROM journal_entries WHERE xact_id >= ${latest!.xact}::bigint`,
        );
        const plan = row!["QUERY PLAN"][0]!.Plan;
        return { pages: Number(plan["Exact Heap Blocks"] ?? 0) + Number(plan["Lossy Heap Blocks"] ?? 0), rows: Number(plan["Actual Rows"]) };
      });
    expect(latest!.pages).toBeGreaterThan(150);
    // A vacuum that ran before autovacuum was turned off may have summarized ranges: start from none.
    await owner.query("SELECT brin_desummarize_range('journal_entries_xact_id_idx', block) FROM generate_series(0, $1::int - 1, 32) block", [latest!.pages]);
    const before = await pagesRead();
    expect(before).toEqual({ pages: expect.any(Number), rows: 1 });
    expect(before.pages).toBeGreaterThan(150); // nothing summarized yet: every page is a candidate
    expect(await summarizeJournalIndex(db)).toBeGreaterThan(0);
    const after = await pagesRead();
    expect(after.rows).toBe(1);
    expect(after.pages).toBeLessThanOrEqual(2 * 32); // the range still filling, and the one holding that journal
  }

  it("rebuild when the clinic changes its time zone: days move with it, and reports are exact before and after the refresh", { timeout: 120_000 }, async () => {
    const org = await clinic("America/Los_Angeles");
    const { organizationId } = org;
    // 23:30 in Los Angeles on March 10 is 02:30 on March 11 in New York; 20:00 is 23:00 on the 10th there.
    for (const [localTime, amount] of [
      ["2026-03-10T23:30:00-07:00", 7_000],
      ["2026-03-10T20:00:00-07:00", 3_000],
      ["2026-03-31T22:15:00-07:00", 500],
    ] as const) {
      const draft = await createInvoice(database.db, {
        organizationId,
        actor: testActor(),
        input: { patientId: org.patientId, lines: [{ description: "Visit", quantity: 1, unitAmount: amount }] },
      });
      await finalizeInvoice(database.db, { organizationId, invoiceId: draft.id, actor: testActor(), now: new Date(localTime) });
    }
    const charges = async (from: string, to: string) =>
      (await getAnalyticsReport(database.db, { organizationId, report: "summary", query: { from, to, granularity: "day" } })).charges.current;
    await refreshLedgerRollups(database.db, { organizationId });
    expect(await charges("2026-03-10", "2026-03-10")).toBe(7_000 + 3_000);
    expect(await charges("2026-03-11", "2026-03-11")).toBe(0);
    expect(await charges("2026-03-31", "2026-03-31")).toBe(500);

    await updateOrganization(database.db, {
      organizationId,
      actor: org.adminActor,
      input: { name: `Clinic ${org.slug}`, country: "US", timezone: "America/New_York", currency: "USD" },
    });
    // Before any refresh: the rollups are in the old zone, so everything is read live in the new one.
    expect(await charges("2026-03-10", "2026-03-10")).toBe(3_000);
    expect(await charges("2026-03-11", "2026-03-11")).toBe(7_000);
    expect(await charges("2026-04-01", "2026-04-01")).toBe(500);
    const [refresh] = await refreshLedgerRollups(database.db, { organizationId });
    expect(refresh).toMatchObject({ rebuilt: true, from: 0 });
    expect(await charges("2026-03-10", "2026-03-10")).toBe(3_000);
    expect(await charges("2026-03-11", "2026-03-11")).toBe(7_000);
    expect(await charges("2026-03-31", "2026-03-31")).toBe(0);
    expect(await charges("2026-04-01", "2026-04-01")).toBe(500);
    const rows = await database.db.ledgerDailyTotal.findMany({
      where: { organizationId, kind: "invoice.finalized", accountCode: "1100" },
      orderBy: { day: "asc" },
    });
    expect(rows.map((row) => [row.day.toISOString().slice(0, 10), Number(row.amount)])).toEqual([
      ["2026-03-10", 3_000],
      ["2026-03-11", 7_000],
      ["2026-04-01", 500],
    ]);
    const [again] = await refreshLedgerRollups(database.db, { organizationId });
    expect(again).toMatchObject({ rebuilt: false });
  });
});
