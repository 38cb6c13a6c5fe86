import { describe, expect, it, vi } from "vitest";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { createTestOrganization } from "@/tests/factories";
import { setupTestDatabase } from "@/tests/test-database";
import { createDb, poolOf, preparesStatements } from "./client";
import { isEmbeddedUrl } from "./embedded-url";
import { combineWrites, pgTransaction, sqlOf, withBatchedWrites } from "./sql";

const database = setupTestDatabase();

const actor = { userId: null, label: "sql-test", ip: null, requestId: null };

async function auditCount(organizationId: string, action: string) {
  return database.db.auditEvent.count({ where: { organizationId, action } });
}

describe("the SQL runner", () => {
  it("runs on Prisma's own pool: a pg transaction commits what it wrote", async () => {
    const org = await createTestOrganization(database.db);
    const result = await pgTransaction(poolOf(database.db), async (sql) => {
      await recordAuditEvent(sql, { organizationId: org.organizationId, actor, action: "sql.committed", after: { amount: 1_250, nested: { ok: true } } });
      return "done";
    });
    expect(result).toBe("done");
    const [event] = await database.db.auditEvent.findMany({ where: { organizationId: org.organizationId, action: "sql.committed" } });
    expect(event?.after).toEqual({ amount: 1_250, nested: { ok: true } });
    expect(event?.before).toBeNull();
  });

  it("rolls back everything on an error, passes the error on, and gives the connection back", async () => {
    const org = await createTestOrganization(database.db);
    const pool = poolOf(database.db);
    const failure = new Error("boom after the insert");
    await expect(
      pgTransaction(pool, async (sql) => {
        await recordAuditEvent(sql, { organizationId: org.organizationId, actor, action: "sql.rolled_back" });
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await auditCount(org.organizationId, "sql.rolled_back")).toBe(0);
    // A failing statement (not just a thrown error) also rolls back.
    await expect(
      pgTransaction(pool, async (sql) => {
        await recordAuditEvent(sql, { organizationId: org.organizationId, actor, action: "sql.rolled_back" });
        await sql.execute("INSERT INTO audit_events (actor_label, action) VALUES (NULL, 'x')");
      }),
    ).rejects.toThrow(/null value/);
    expect(await auditCount(org.organizationId, "sql.rolled_back")).toBe(0);
    expect(pool.waitingCount).toBe(0);
    expect(pool.idleCount).toBe(pool.totalCount);
  });

  it("reads rows alike through Prisma and through pg (numbers, dates, json, nulls)", async () => {
    const org = await createTestOrganization(database.db);
    const text = `SELECT 42::int AS n, now()::timestamptz AS at, json_build_object('a', 1) AS j, NULL::text AS missing, $1::uuid::text AS id`;
    const viaPrisma = await database.db.$transaction((tx) => sqlOf(tx).query<Record<string, unknown>>(text, [org.organizationId]));
    const viaPg = await pgTransaction(poolOf(database.db), (sql) => sql.query<Record<string, unknown>>(text, [org.organizationId]));
    for (const rows of [viaPrisma, viaPg]) {
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ n: 42, j: { a: 1 }, missing: null, id: org.organizationId });
      expect(rows[0]!.at).toBeInstanceOf(Date);
    }
    expect(sqlOf(database.db)).toBe(sqlOf(database.db));
  });
});

describe("batched writes in a pg transaction", () => {
  it("sends consecutive writes as one statement, renumbering their parameters, and reads see them", async () => {
    const combined = combineWrites([
      { text: "WITH a AS (SELECT $1::int AS v) INSERT INTO t (v) SELECT v FROM a", values: [1] },
      { text: "UPDATE u SET label = '$1 stays', v = $1::int WHERE id = $2", values: [2, 3] },
    ]);
    expect(combined.values).toEqual([1, 2, 3]);
    expect(combined.text).toContain("a AS (SELECT $1::int AS v)");
    expect(combined.text).toContain("batched_write_1 AS (UPDATE u SET label = '$1 stays', v = $2::int WHERE id = $3)");

    const rows = await pgTransaction(poolOf(database.db), async (sql) => {
      await sql.execute("CREATE TEMP TABLE batch_a (v int NOT NULL) ON COMMIT DROP");
      await sql.execute("CREATE TEMP TABLE batch_b (v int NOT NULL) ON COMMIT DROP");
      await sql.write("INSERT INTO batch_a (v) VALUES ($1::int)", [1]);
      await sql.write("INSERT INTO batch_b (v) SELECT $1::int + $2::int", [2, 3]);
      // Same table as a pending write: sent on its own, after the batch, so it sees the insert.
      await sql.write("UPDATE batch_a SET v = v + $1::int", [10]);
      return sql.query<{ a: number; b: number }>("SELECT (SELECT sum(v)::int FROM batch_a) AS a, (SELECT sum(v)::int FROM batch_b) AS b");
    });
    expect(rows).toEqual([{ a: 11, b: 5 }]);
  });

  it("a failing batched write fails the transaction when it is sent, and nothing stays", async () => {
    const org = await createTestOrganization(database.db);
    await expect(
      pgTransaction(poolOf(database.db), async (sql) => {
        await recordAuditEvent(sql, { organizationId: org.organizationId, actor, action: "sql.batched" });
        await sql.write("INSERT INTO audit_events (actor_label, action) VALUES (NULL, 'x')");
      }),
    ).rejects.toThrow(/null value/);
    expect(await auditCount(org.organizationId, "sql.batched")).toBe(0);
  });

  it("does not batch a write that reads what a pending write changes, nor one whose WITH name another uses", async () => {
    const rows = await pgTransaction(poolOf(database.db), async (sql) => {
      await sql.execute("CREATE TEMP TABLE batch_c (v int NOT NULL) ON COMMIT DROP");
      await sql.execute("CREATE TEMP TABLE batch_d (v int NOT NULL) ON COMMIT DROP");
      await sql.write("INSERT INTO batch_c (v) VALUES ($1::int)", [7]);
      // Reads batch_c: sent after the insert, so it sees it.
      await sql.write("INSERT INTO batch_d (v) SELECT coalesce(sum(v), 0)::int FROM batch_c");
      await sql.write("WITH batch_c AS (SELECT 100 AS v) INSERT INTO batch_d (v) SELECT v FROM batch_c");
      return sql.query<{ v: number }>("SELECT v FROM batch_d ORDER BY v");
    });
    expect(rows).toEqual([{ v: 7 }, { v: 100 }]);
  });

  it("gives up a lock wait after its timeout, and survives its connection being killed", async () => {
    const org = await createTestOrganization(database.db);
    const pool = poolOf(database.db);
    const embedded = isEmbeddedUrl(database.url);
    // Another transaction holds the organization's row.
    const holder = await pool.connect();
    try {
      await holder.query("BEGIN");
      await holder.query("SELECT id FROM organizations WHERE id = $1::uuid FOR UPDATE", [org.organizationId]);
      const started = Date.now();
      // The embedded server runs one transaction at a time: there the second one cannot even get a
      // connection while the first is open, and gives up after the pool's 5 s connection timeout.
      await expect(
        pgTransaction(pool, (sql) => sql.query("SELECT id FROM organizations WHERE id = $1::uuid FOR UPDATE", [org.organizationId]), { timeoutMs: 300 }),
      ).rejects.toThrow(embedded ? /connection timeout/ : /lock timeout/);
      expect(Date.now() - started).toBeLessThan(embedded ? 7_000 : 2_000);
      await holder.query("ROLLBACK");
    } finally {
      holder.release();
    }

    // The server ends the transaction's connection under it: the call fails, nothing is written,
    // the process goes on (no unhandled 'error'), and the pool still works. (PostgreSQL only: the
    // embedded server is one process, pg_terminate_backend does not end its shared session.)
    if (embedded) return;
    await expect(
      pgTransaction(pool, async (sql) => {
        await recordAuditEvent(sql, { organizationId: org.organizationId, actor, action: "sql.killed" });
        await sql.query("SELECT pg_terminate_backend(pg_backend_pid())");
      }),
    ).rejects.toThrow();
    expect(await auditCount(org.organizationId, "sql.killed")).toBe(0);
    expect(await pgTransaction(pool, (sql) => sql.query<{ one: number }>("SELECT 1 AS one"))).toEqual([{ one: 1 }]);
  });

  it("refuses what it cannot batch safely", () => {
    expect(() => combineWrites([{ text: "SELECT 1", values: [] }, { text: "DELETE FROM t", values: [] }])).toThrow(/INSERT, UPDATE or DELETE/);
    expect(() => combineWrites([{ text: "DELETE FROM t; DELETE FROM u", values: [] }, { text: "DELETE FROM v", values: [] }])).toThrow(/one statement/);
    for (const text of ["UPDATE t SET a = $1 -- the patient's balance\n, b = $2", "UPDATE t SET a = $1 /* note */", "UPDATE t SET a = E'\\''", 'UPDATE "odd table" SET a = $1']) {
      expect(() => combineWrites([{ text: "DELETE FROM v", values: [] }, { text, values: [1, 2] }])).toThrow(/without comments/);
    }
    // A quoted type name in a cast is fine.
    expect(combineWrites([{ text: "DELETE FROM v", values: [] }, { text: 'UPDATE t SET s = $1::"InvoiceStatus"', values: ["paid"] }]).values).toEqual(["paid"]);
  });
});

describe("batched writes inside a Prisma transaction", () => {
  it("holds the writes until the end (or the next read) and sends them as one statement", async () => {
    const org = await createTestOrganization(database.db);
    const seen = await database.db.$transaction(async (tx) => {
      const counts: number[] = [];
      const countHere = async () =>
        (await tx.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM audit_events WHERE organization_id = ${org.organizationId}::uuid AND action = 'sql.prisma_batched'`)[0]!.n;
      const result = await withBatchedWrites(tx, async (sql) => {
        await recordAuditEvent(sql, { organizationId: org.organizationId, actor, action: "sql.prisma_batched" });
        await sql.write("INSERT INTO organization_counters (organization_id, name, value) VALUES ($1::uuid, 'batch-test', 7)", [org.organizationId]);
        counts.push(await countHere()); // the same transaction, past the runner: nothing sent yet
        const [row] = await sql.query<{ value: number }>("SELECT value FROM organization_counters WHERE organization_id = $1::uuid AND name = 'batch-test'", [org.organizationId]);
        counts.push(await countHere()); // the read sent the held writes first
        await recordAuditEvent(sql, { organizationId: org.organizationId, actor, action: "sql.prisma_batched" });
        counts.push(await countHere());
        return row!.value;
      });
      counts.push(await countHere()); // sent before withBatchedWrites returned
      return { result, counts };
    });
    expect(seen).toEqual({ result: 7, counts: [0, 1, 1, 2] });
    expect(await auditCount(org.organizationId, "sql.prisma_batched")).toBe(2);
  });

  it("sends nothing held when the function throws, and the transaction rolls back", async () => {
    const org = await createTestOrganization(database.db);
    const failure = new Error("after a held write");
    await expect(
      database.db.$transaction(async (tx) => {
        await recordAuditEvent(tx, { organizationId: org.organizationId, actor, action: "sql.prisma_before" });
        await withBatchedWrites(tx, async (sql) => {
          await recordAuditEvent(sql, { organizationId: org.organizationId, actor, action: "sql.prisma_held" });
          throw failure;
        });
      }),
    ).rejects.toBe(failure);
    expect(await auditCount(org.organizationId, "sql.prisma_before")).toBe(0);
    expect(await auditCount(org.organizationId, "sql.prisma_held")).toBe(0);
  });
});

describe("prepared statements", () => {
  it("are named and reused per connection on PostgreSQL, and never used on the embedded server's shared session", async () => {
    const single = createDb({ connectionString: database.url, poolSize: 1 });
    try {
      const org = await createTestOrganization(database.db);
      const embedded = isEmbeddedUrl(database.url);
      expect(preparesStatements(poolOf(single))).toBe(!embedded);
      const read = "SELECT count(*)::int AS n FROM audit_events WHERE organization_id = $1::uuid";
      for (let round = 0; round < 3; round++) {
        await pgTransaction(poolOf(single), async (sql) => {
          await recordAuditEvent(sql, { organizationId: org.organizationId, actor, action: "sql.prepared" });
          return sql.query(read, [org.organizationId]);
        });
      }
      const prepared = await poolOf(single).query<{ statement: string }>("SELECT statement FROM pg_prepared_statements WHERE name LIKE 'carebill_%'");
      if (embedded) {
        expect(prepared.rows).toEqual([]);
      } else {
        // The audit insert and the read, each prepared once on the one connection and reused.
        const statements = prepared.rows.map((row) => row.statement);
        expect(statements).toHaveLength(2);
        expect(statements).toContain(read);
        expect(statements.some((text) => text.startsWith("INSERT INTO audit_events"))).toBe(true);
      }
      expect(await auditCount(org.organizationId, "sql.prepared")).toBe(3);
      expect(preparesStatements(poolOf(createDb({ connectionString: database.url, prepareStatements: false })))).toBe(false);
    } finally {
      await single.$disconnect();
    }
  });
});

describe("poolOf", () => {
  it("finds the pool of a client made by another copy of the module (Next.js loads one per route bundle)", async () => {
    vi.resetModules();
    const otherCopy = await import("./client");
    expect(otherCopy.poolOf).not.toBe(poolOf);
    expect(otherCopy.poolOf(database.db)).toBe(poolOf(database.db));
  });
});
