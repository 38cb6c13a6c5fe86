import { describe, expect, it } from "vitest";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { createTestOrganization } from "@/tests/factories";
import { setupTestDatabase } from "@/tests/test-database";
import { poolOf } from "./client";
import { pgTransaction, sqlOf } from "./sql";

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
