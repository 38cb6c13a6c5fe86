import { describe, expect, it, vi } from "vitest";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { createInvoice } from "@/lib/invoices/create-invoice";
import { insertInvoice, type InvoiceWithLines } from "@/lib/invoices/invoice-rows";
import { createTestOrganization, createTestPatient } from "@/tests/factories";
import { setupTestDatabase } from "@/tests/test-database";
import { createDb, poolOf, preparesStatements, type Db } from "./client";
import { isEmbeddedUrl } from "./embedded-url";
import { lockDispute, lockInvoice } from "./locks";
import { joinHeldWrites, jsonRow, modelRow, pgTransaction, sql, sqlOf } from "./sql";

const database = setupTestDatabase();

const actor = { userId: null, label: "sql-test", ip: null, requestId: null };

async function auditCount(organizationId: string, action: string) {
  return database.db.auditEvent.count({ where: { organizationId, action } });
}

describe("sql fragments", () => {
  it("keep text and values apart and number the parameters only when rendered", () => {
    const id = "0b6c2a7e-0000-4000-8000-000000000001";
    const fragment = sql`UPDATE invoices SET amount_due = ${1_250}::int WHERE id = ${id}::uuid`;
    expect(fragment.render()).toEqual({ text: "UPDATE invoices SET amount_due = $1::int WHERE id = $2::uuid", values: [1_250, id] });
    // Text is never read: a "$1" or a quote in the statement's own text stays as it is.
    expect(sql`SELECT '$1 stays', ${"it's"} AS a -- ${"x"}`.render()).toEqual({ text: "SELECT '$1 stays', $1 AS a -- $2", values: ["it's", "x"] });
    // Values are never text: what looks like SQL in a value is a parameter.
    expect(sql`SELECT ${"'; DROP TABLE invoices; --"}::text`.render()).toEqual({ text: "SELECT $1::text", values: ["'; DROP TABLE invoices; --"] });
  });

  it("compose: a fragment inside a fragment is spliced in, its parameters renumbered in order", () => {
    const condition = sql`status = ${"open"} AND amount_due > ${0}`;
    const query = sql`SELECT id FROM invoices WHERE organization_id = ${"org"}::uuid AND ${condition} LIMIT ${10}`;
    expect(query.render()).toEqual({
      text: "SELECT id FROM invoices WHERE organization_id = $1::uuid AND status = $2 AND amount_due > $3 LIMIT $4",
      values: ["org", "open", 0, 10],
    });
    // The same piece in two places, nested twice, at the start and at the end.
    const twice = sql`${condition} OR (${sql`${condition}`})`;
    expect(twice.render()).toEqual({ text: "status = $1 AND amount_due > $2 OR (status = $3 AND amount_due > $4)", values: ["open", 0, "open", 0] });
    expect(sql`${sql`a = ${1}`}`.render()).toEqual({ text: "a = $1", values: [1] });
    expect(sql.join([sql`a = ${1}`, sql`b = ${2}`, sql`c`], " AND ").render()).toEqual({ text: "a = $1 AND b = $2 AND c", values: [1, 2] });
    expect(sql.join([]).render()).toEqual({ text: "", values: [] });
    expect(sql`SELECT 1 ${sql.empty}WHERE true`.render()).toEqual({ text: "SELECT 1 WHERE true", values: [] });
    expect(
      sql`UPDATE payments SET ${sql.assignments({ status: "failed", failureCode: null, cardLast4: undefined, amountRefunded: 0 })}, updated_at = now()`.render(),
    ).toEqual({
      text: "UPDATE payments SET status = $1, failure_code = $2, amount_refunded = $3, updated_at = now()",
      values: ["failed", null, 0],
    });
    expect(() => sql.assignments({ "status = 'paid', amount": 1 })).toThrow(/not a field name/);
    // Composing does not change the pieces.
    expect(condition.render()).toEqual({ text: "status = $1 AND amount_due > $2", values: ["open", 0] });
  });

  it("run the same on every runner, through Prisma and through pg", async () => {
    const org = await createTestOrganization(database.db);
    const read = sql`SELECT ${org.organizationId}::uuid::text AS id, ${41}::int + 1 AS n`;
    const viaPrisma = await database.db.$transaction((tx) => sqlOf(tx).query(read));
    const viaPool = await sqlOf(database.db).query(read);
    const viaPg = await pgTransaction(database.db, (runner) => runner.query(read));
    for (const rows of [viaPrisma, viaPool, viaPg]) expect(rows).toEqual([{ id: org.organizationId, n: 42 }]);
  });
});

describe("the SQL runner", () => {
  it("runs on Prisma's own pool: a pg transaction commits what it wrote", async () => {
    const org = await createTestOrganization(database.db);
    const result = await pgTransaction(database.db, async (runner) => {
      await recordAuditEvent(runner, { organizationId: org.organizationId, actor, action: "sql.committed", after: { amount: 1_250, nested: { ok: true } } });
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
      pgTransaction(database.db, async (runner) => {
        await recordAuditEvent(runner, { organizationId: org.organizationId, actor, action: "sql.rolled_back" });
        await runner.query(sql`SELECT 1`); // the audit insert is sent
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await auditCount(org.organizationId, "sql.rolled_back")).toBe(0);
    // A failing statement (not just a thrown error) also rolls back.
    await expect(
      pgTransaction(database.db, async (runner) => {
        await recordAuditEvent(runner, { organizationId: org.organizationId, actor, action: "sql.rolled_back" });
        await runner.execute(sql`INSERT INTO audit_events (actor_label, action) VALUES (NULL, 'x')`);
      }),
    ).rejects.toThrow(/null value/);
    expect(await auditCount(org.organizationId, "sql.rolled_back")).toBe(0);
    expect(pool.waitingCount).toBe(0);
    expect(pool.idleCount).toBe(pool.totalCount);
  });

  it("reads rows alike through Prisma and through pg (numbers, dates, json, nulls)", async () => {
    const org = await createTestOrganization(database.db);
    const read = sql`SELECT 42::int AS n, now()::timestamptz AS at, DATE '2026-03-01' AS day, json_build_object('a', 1) AS j, NULL::text AS missing, ${org.organizationId}::uuid::text AS id`;
    const viaPrisma = await database.db.$transaction((tx) => sqlOf(tx).query<Record<string, unknown>>(read));
    const viaPg = await pgTransaction(database.db, (runner) => runner.query<Record<string, unknown>>(read));
    const viaPool = await sqlOf(database.db).query<Record<string, unknown>>(read);
    for (const rows of [viaPrisma, viaPg, viaPool]) {
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ n: 42, j: { a: 1 }, missing: null, id: org.organizationId, day: new Date("2026-03-01T00:00:00Z") });
      expect(rows[0]!.at).toBeInstanceOf(Date);
    }
    expect(sqlOf(database.db)).toBe(sqlOf(database.db));
  });

  it("reads and writes whole rows in Prisma's shape without a column list (the naming rule holds for these models)", async () => {
    const org = await createTestOrganization(database.db);
    const patient = await createTestPatient(database.db, { organizationId: org.organizationId });
    const created = await createInvoice(database.db, {
      organizationId: org.organizationId,
      actor,
      input: {
        patientId: patient.id,
        dueDate: "2026-04-30",
        memo: "Rows",
        lines: [
          { description: "B", quantity: 2, unitAmount: 500 },
          { description: "A", quantity: 1, unitAmount: 100, serviceCode: "99213" },
        ],
      },
    });
    const viaPrismaModel = await database.db.invoice.findUniqueOrThrow({ where: { id: created.id }, include: { lines: { orderBy: { position: "asc" } } } });
    const key = { id: created.id, organizationId: org.organizationId };
    const viaPg = await pgTransaction(database.db, (runner) => lockInvoice(runner, key));
    const viaPrismaRaw = await database.db.$transaction((tx) => lockInvoice(tx, key));
    expect(viaPg).toEqual(viaPrismaModel);
    expect(viaPrismaRaw).toEqual(viaPrismaModel);
    expect(viaPg.dueDate).toEqual(new Date("2026-04-30T00:00:00Z"));

    // Written back under a new id through json_populate_record: Prisma reads the same fields.
    const copyId = crypto.randomUUID();
    const copy: InvoiceWithLines = { ...viaPg, id: copyId, lines: viaPg.lines.map((line) => ({ ...line, id: crypto.randomUUID(), invoiceId: copyId })) };
    await pgTransaction(database.db, (runner) => insertInvoice(runner, copy));
    const reread = await database.db.invoice.findUniqueOrThrow({ where: { id: copy.id }, include: { lines: { orderBy: { position: "asc" } } } });
    expect(reread).toEqual(copy);
    // An UPDATE of some fields, columns by the same rule, parameters typed by their columns (enum, timestamptz).
    const voidedAt = new Date("2026-05-01T10:00:00.123Z");
    await pgTransaction(database.db, (runner) =>
      runner.write(sql`UPDATE invoices SET ${sql.assignments({ status: "void", voidedAt, voidReason: "Copy", memo: undefined })} WHERE id = ${copyId}::uuid`),
    );
    expect(await database.db.invoice.findUniqueOrThrow({ where: { id: copyId } })).toMatchObject({
      status: "void",
      voidedAt,
      voidReason: "Copy",
      memo: "Rows",
    });

    // The rule both ways, and a row whose enums and timestamps come back as Prisma's.
    expect(modelRow({ amount_due: 1, card_last4: "4242", address_line1: "x", id: "i" })).toEqual({
      amountDue: 1,
      cardLast4: "4242",
      addressLine1: "x",
      id: "i",
    });
    expect(JSON.parse(jsonRow({ amountDue: 1, cardLast4: "4242", addressLine1: "x", id: "i" }))).toEqual({
      amount_due: 1,
      card_last4: "4242",
      address_line1: "x",
      id: "i",
    });
    await expect(pgTransaction(database.db, (runner) => lockDispute(runner, { id: crypto.randomUUID(), organizationId: org.organizationId }))).rejects.toThrow(
      /does not exist/,
    );
  });
});

describe("writes in a pg transaction", () => {
  it("are held and sent with the next read, in order: each sees what the ones before it wrote, and so does the read", async () => {
    const rows = await pgTransaction(database.db, async (runner) => {
      await runner.execute(sql`CREATE TEMP TABLE batch_a (id int PRIMARY KEY, v int NOT NULL) ON COMMIT DROP`);
      await runner.write(sql`INSERT INTO batch_a (id, v) VALUES (${1}::int, ${1}::int)`);
      // Same row as the held insert: runs after it, so it finds the row (one statement could not).
      await runner.write(sql`UPDATE batch_a SET v = v + ${10}::int WHERE id = ${1}::int`);
      await runner.write(sql`INSERT INTO batch_a (id, v) SELECT 2, v * ${2}::int FROM batch_a WHERE id = ${1}::int`);
      return runner.query<{ id: number; v: number }>(sql`SELECT id, v FROM batch_a ORDER BY id`);
    });
    expect(rows).toEqual([
      { id: 1, v: 11 },
      { id: 2, v: 22 },
    ]);
  });

  it("a batch sees what an earlier batch in the same transaction wrote, and COMMIT sends the last one", async () => {
    const org = await createTestOrganization(database.db);
    const seen = await pgTransaction(database.db, async (runner) => {
      await runner.write(sql`INSERT INTO organization_counters (organization_id, name, value) VALUES (${org.organizationId}::uuid, 'batch-test', 1)`);
      await runner.write(sql`UPDATE organization_counters SET value = value + 1 WHERE organization_id = ${org.organizationId}::uuid AND name = 'batch-test'`);
      const [first] = await runner.query<{ value: number }>(
        sql`SELECT value FROM organization_counters WHERE organization_id = ${org.organizationId}::uuid AND name = 'batch-test'`,
      );
      // A second batch, built on the first: sent with COMMIT.
      await runner.write(sql`UPDATE organization_counters SET value = value * 10 WHERE organization_id = ${org.organizationId}::uuid AND name = 'batch-test'`);
      await recordAuditEvent(runner, { organizationId: org.organizationId, actor, action: "sql.second_batch", after: { before: first!.value } });
      return first!.value;
    });
    expect(seen).toBe(2);
    const counter = await database.db.organizationCounter.findUniqueOrThrow({
      where: { organizationId_name: { organizationId: org.organizationId, name: "batch-test" } },
    });
    expect(counter.value).toBe(20);
    expect(await auditCount(org.organizationId, "sql.second_batch")).toBe(1);
  });

  it("a failing held write fails the next read with its own error, and nothing of the transaction stays", async () => {
    const org = await createTestOrganization(database.db);
    let readFailure: unknown;
    await expect(
      pgTransaction(database.db, async (runner) => {
        await recordAuditEvent(runner, { organizationId: org.organizationId, actor, action: "sql.batched" });
        await runner.query(sql`SELECT 1`); // first batch: committed to the transaction
        await recordAuditEvent(runner, { organizationId: org.organizationId, actor, action: "sql.batched" });
        await runner.write(sql`INSERT INTO audit_events (actor_label, action) VALUES (NULL, 'x')`);
        await recordAuditEvent(runner, { organizationId: org.organizationId, actor, action: "sql.batched" });
        try {
          await runner.query(sql`SELECT 1`);
        } catch (error) {
          readFailure = error;
          throw error;
        }
      }),
    ).rejects.toThrow(/null value/);
    // Not "current transaction is aborted" from the statements after it.
    expect(String(readFailure)).toMatch(/null value/);
    expect(await auditCount(org.organizationId, "sql.batched")).toBe(0);
  });

  it("a failing write sent with COMMIT rolls the transaction back", async () => {
    const org = await createTestOrganization(database.db);
    await expect(
      pgTransaction(database.db, async (runner) => {
        await recordAuditEvent(runner, { organizationId: org.organizationId, actor, action: "sql.at_commit" });
        await runner.query(sql`SELECT 1`);
        await recordAuditEvent(runner, { organizationId: org.organizationId, actor, action: "sql.at_commit" });
        await runner.write(sql`INSERT INTO audit_events (actor_label, action) VALUES (${null}, 'x')`);
      }),
    ).rejects.toThrow(/null value/);
    expect(await auditCount(org.organizationId, "sql.at_commit")).toBe(0);
    // The pool is fine afterwards.
    expect(await pgTransaction(database.db, (runner) => runner.query<{ one: number }>(sql`SELECT 1 AS one`))).toEqual([{ one: 1 }]);
  });

  it("are pipelined on PostgreSQL: BEGIN, the held writes and the read go out before the first answer (one round trip)", async () => {
    const single = createDb({ connectionString: database.url, poolSize: 1 });
    try {
      const events = await traceQueries(single, async () => {
        const org = await createTestOrganization(database.db);
        await pgTransaction(single, async (runner) => {
          await recordAuditEvent(runner, { organizationId: org.organizationId, actor, action: "sql.pipelined" });
          await recordAuditEvent(runner, { organizationId: org.organizationId, actor, action: "sql.pipelined" });
          await runner.query(sql`SELECT count(*)::int AS n FROM audit_events WHERE organization_id = ${org.organizationId}::uuid`);
          await recordAuditEvent(runner, { organizationId: org.organizationId, actor, action: "sql.pipelined" });
        });
        expect(await auditCount(org.organizationId, "sql.pipelined")).toBe(3);
      });
      if (isEmbeddedUrl(database.url)) {
        // One at a time on the embedded server.
        expect(events).toEqual(["sent", "answered", "sent", "answered", "sent", "answered", "sent", "answered", "sent", "answered", "sent", "answered"]);
      } else {
        // BEGIN + 2 writes + read; then the last write + COMMIT.
        expect(events).toEqual(["sent", "sent", "sent", "sent", "answered", "answered", "answered", "answered", "sent", "sent", "answered", "answered"]);
      }
    } finally {
      await single.$disconnect();
    }
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
        pgTransaction(database.db, (runner) => runner.query(sql`SELECT id FROM organizations WHERE id = ${org.organizationId}::uuid FOR UPDATE`), {
          timeoutMs: 300,
        }),
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
      pgTransaction(database.db, async (runner) => {
        await recordAuditEvent(runner, { organizationId: org.organizationId, actor, action: "sql.killed" });
        await runner.query(sql`SELECT pg_terminate_backend(pg_backend_pid())`);
      }),
    ).rejects.toThrow();
    expect(await auditCount(org.organizationId, "sql.killed")).toBe(0);
    expect(await pgTransaction(database.db, (runner) => runner.query<{ one: number }>(sql`SELECT 1 AS one`))).toEqual([{ one: 1 }]);
  });
});

describe("writes inside a Prisma transaction", () => {
  it("run at once, in order, and roll back with the transaction", async () => {
    const org = await createTestOrganization(database.db);
    const counts = await database.db.$transaction(async (tx) => {
      const countHere = async () =>
        (
          await sqlOf(tx).query<{ n: number }>(
            sql`SELECT count(*)::int AS n FROM audit_events WHERE organization_id = ${org.organizationId}::uuid AND action = 'sql.prisma'`,
          )
        )[0]!.n;
      const seen: number[] = [];
      await recordAuditEvent(sqlOf(tx), { organizationId: org.organizationId, actor, action: "sql.prisma" });
      seen.push(await countHere());
      await recordAuditEvent(tx, { organizationId: org.organizationId, actor, action: "sql.prisma" });
      seen.push(await countHere());
      return seen;
    });
    expect(counts).toEqual([1, 2]);

    const failure = new Error("after a write");
    await expect(
      database.db.$transaction(async (tx) => {
        await recordAuditEvent(tx, { organizationId: org.organizationId, actor, action: "sql.prisma_rolled_back" });
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await auditCount(org.organizationId, "sql.prisma_rolled_back")).toBe(0);
  });
});

describe("prepared statements", () => {
  it("are named and reused per connection on PostgreSQL, and never used on the embedded server's shared session", async () => {
    const single = createDb({ connectionString: database.url, poolSize: 1 });
    try {
      const org = await createTestOrganization(database.db);
      const embedded = isEmbeddedUrl(database.url);
      expect(preparesStatements(poolOf(single))).toBe(!embedded);
      const read = sql`SELECT count(*)::int AS n FROM audit_events WHERE organization_id = ${org.organizationId}::uuid`;
      for (let round = 0; round < 3; round++) {
        await pgTransaction(single, async (runner) => {
          await recordAuditEvent(runner, { organizationId: org.organizationId, actor, action: "sql.prepared" });
          return runner.query(read);
        });
      }
      const prepared = await poolOf(single).query<{ statement: string }>("SELECT statement FROM pg_prepared_statements WHERE name LIKE 'carebill_%'");
      if (embedded) {
        expect(prepared.rows).toEqual([]);
      } else {
        // The audit insert and the read, each prepared once on the one connection and reused.
        const statements = prepared.rows.map((row) => row.statement.trim());
        expect(statements).toHaveLength(2);
        expect(statements).toContain(read.render().text);
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

/** Runs `fn` and returns, in order, when each query on `db`'s pool clients was sent and answered. */
async function traceQueries(db: Db, fn: () => Promise<void>): Promise<string[]> {
  const pool = poolOf(db);
  const events: string[] = [];
  const connect = pool.connect.bind(pool);
  const spy = vi.spyOn(pool, "connect").mockImplementation((async () => {
    const client = await connect();
    const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
    (client as unknown as { query: unknown }).query = (...args: unknown[]) => {
      events.push("sent");
      const result = query(...args);
      void result.then(
        () => events.push("answered"),
        () => events.push("answered"),
      );
      return result;
    };
    return client;
  }) as unknown as typeof pool.connect);
  try {
    await fn();
  } finally {
    spy.mockRestore();
  }
  return events;
}

describe("writes that declare their tables (joins)", () => {
  it("are joined into one statement only while no table is named twice, and never across a write that declares none", () => {
    const a = sql`UPDATE invoices SET memo = ${"a"} WHERE id = ${"1"}::uuid`;
    const b = sql`INSERT INTO audit_events (action) VALUES (${"b"})`;
    const c = sql`UPDATE invoices SET memo = ${"c"} WHERE id = ${"2"}::uuid`;
    const d = sql`INSERT INTO emails (subject) VALUES (${"d"})`;
    const statements = joinHeldWrites([
      { statement: a, joins: ["invoices"] },
      { statement: b, joins: ["audit_events"] },
      { statement: c, joins: ["invoices"] },
      { statement: d },
      { statement: b, joins: ["audit_events"] },
    ]).map((statement) => statement.render());
    expect(statements).toEqual([
      {
        text: "WITH joined_write_0 AS (UPDATE invoices SET memo = $1 WHERE id = $2::uuid), joined_write_1 AS (INSERT INTO audit_events (action) VALUES ($3))\nSELECT 1",
        values: ["a", "1", "b"],
      },
      c.render(),
      d.render(),
      b.render(),
    ]);
  });

  it("joined in a pg transaction, all take effect at once, and one failing rolls back the whole transaction", async () => {
    const org = await createTestOrganization(database.db);
    const audit = (action: string) =>
      sql`INSERT INTO audit_events (organization_id, actor_label, action) VALUES (${org.organizationId}::uuid, 'test', ${action})`;
    await pgTransaction(database.db, async (runner) => {
      await runner.write(audit("sql.joined"), { joins: ["audit_events"] });
      await runner.write(sql`UPDATE organizations SET name = ${"Joined Clinic"} WHERE id = ${org.organizationId}::uuid`, { joins: ["organizations"] });
    });
    expect(await auditCount(org.organizationId, "sql.joined")).toBe(1);
    expect((await database.db.organization.findUniqueOrThrow({ where: { id: org.organizationId } })).name).toBe("Joined Clinic");

    await expect(
      pgTransaction(database.db, async (runner) => {
        await runner.write(audit("sql.joined_failing"), { joins: ["audit_events"] });
        await runner.write(sql`UPDATE organizations SET name = ${null} WHERE id = ${org.organizationId}::uuid`, { joins: ["organizations"] });
      }),
    ).rejects.toThrow(/null value/);
    expect(await auditCount(org.organizationId, "sql.joined_failing")).toBe(0);
  });
});
