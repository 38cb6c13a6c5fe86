import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postJournal } from "@/lib/ledger/post-journal";
import { ensureChartOfAccounts } from "@/lib/ledger/accounts";
import { finalizeInvoice } from "@/lib/invoices/finalize-invoice";
import { createInvoice } from "@/lib/invoices/create-invoice";
import { createTestOrganization, createTestPatient, testActor } from "@/tests/factories";
import { setupTestDatabase } from "@/tests/test-database";
import { APP_ROLE, isPrivileged, ROLE_PRIVILEGES_QUERY, type RolePrivileges } from "./app-role";

const database = setupTestDatabase();

/** A plain connection as the app's role (the same URL the app and every other test use). */
let app: pg.Client;

beforeAll(async () => {
  app = new pg.Client({ connectionString: database.url });
  await app.connect();
});

afterAll(async () => {
  await app.end();
});

/** Runs `statement` as the app's role inside a transaction rolled back at the end: it must fail with `error`. */
async function expectRefused(statement: string, error: RegExp, values: unknown[] = []) {
  await app.query("BEGIN");
  try {
    await expect(app.query(statement, values)).rejects.toThrow(error);
  } finally {
    await app.query("ROLLBACK");
  }
}

async function finalizedInvoice() {
  const org = await createTestOrganization(database.db);
  const patient = await createTestPatient(database.db, { organizationId: org.organizationId });
  const draft = await createInvoice(database.db, {
    organizationId: org.organizationId,
    actor: testActor(),
    input: { patientId: patient.id, lines: [{ description: "Visit", quantity: 1, unitAmount: 5000 }] },
  });
  await finalizeInvoice(database.db, { organizationId: org.organizationId, invoiceId: draft.id, actor: testActor() });
  return { org, invoiceId: draft.id };
}

describe("the app's database role", () => {
  it("is the role the app connects as: not a superuser, not the tables' owner, no row-security bypass", async () => {
    const { rows } = await app.query<RolePrivileges>(ROLE_PRIVILEGES_QUERY);
    expect(rows[0]).toEqual({ role: APP_ROLE, superuser: false, bypassesRowSecurity: false, ownsLedger: false });
    expect(isPrivileged(rows[0]!)).toBe(false);

    const owner = new pg.Client({ connectionString: database.ownerUrl });
    await owner.connect();
    try {
      // The migrations' role is what isPrivileged is there to catch.
      expect(isPrivileged((await owner.query<RolePrivileges>(ROLE_PRIVILEGES_QUERY)).rows[0]!)).toBe(true);
    } finally {
      await owner.end();
    }
  });

  it("cannot switch off the append-only ledger: replication role, DISABLE TRIGGER, DROP TRIGGER, TRUNCATE, DROP TABLE are refused", async () => {
    await expectRefused("SET session_replication_role = replica", /permission denied to set parameter "session_replication_role"/);
    await expectRefused("ALTER TABLE journal_lines DISABLE TRIGGER journal_lines_append_only", /must be owner of (table|relation) journal_lines/);
    await expectRefused("ALTER TABLE journal_entries DISABLE TRIGGER ALL", /must be owner of (table|relation) journal_entries/);
    await expectRefused("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only", /must be owner of (table|relation) audit_events/);
    await expectRefused("DROP TRIGGER journal_lines_append_only ON journal_lines", /must be owner of (table|relation) journal_lines/);
    await expectRefused("DROP TRIGGER journal_entries_balanced ON journal_entries", /must be owner of (table|relation) journal_entries/);
    await expectRefused("DROP FUNCTION reject_modification() CASCADE", /must be owner of function reject_modification/);
    await expectRefused("TRUNCATE journal_lines", /permission denied for table journal_lines/);
    await expectRefused("DROP TABLE journal_lines", /must be owner of (table|relation) journal_lines/);
    await expectRefused(
      "ALTER TABLE journal_lines DROP CONSTRAINT journal_lines_account_id_organization_id_fkey",
      /must be owner of (table|relation) journal_lines/,
    );
    await expectRefused("CREATE TABLE public.shadow (id int)", /permission denied for schema public/);
    await expectRefused("DELETE FROM _prisma_migrations", /permission denied for table _prisma_migrations/);
  });

  it("cannot change or delete journal lines, journals or audit events", async () => {
    const { invoiceId } = await finalizedInvoice();
    await expectRefused("UPDATE journal_lines SET amount = amount + 1 WHERE invoice_id = $1", /permission denied for table journal_lines/, [invoiceId]);
    await expectRefused("DELETE FROM journal_lines WHERE invoice_id = $1", /permission denied for table journal_lines/, [invoiceId]);
    await expectRefused("UPDATE journal_entries SET memo = 'edited' WHERE source_id = $1", /permission denied for table journal_entries/, [invoiceId]);
    await expectRefused("DELETE FROM journal_entries WHERE source_id = $1", /permission denied for table journal_entries/, [invoiceId]);
    await expectRefused("UPDATE audit_events SET action = 'edited'", /permission denied for table audit_events/);
    await expectRefused("DELETE FROM audit_events", /permission denied for table audit_events/);
  });

  it("holds no UPDATE, DELETE or TRUNCATE on any append-only table (every table a reject_modification trigger guards)", async () => {
    const { rows } = await app.query<{ table: string; update: boolean; delete: boolean; truncate: boolean }>(`
      SELECT DISTINCT c.relname AS "table",
             has_table_privilege(current_user, c.oid, 'UPDATE') AS update,
             has_table_privilege(current_user, c.oid, 'DELETE') AS delete,
             has_table_privilege(current_user, c.oid, 'TRUNCATE') AS truncate
      FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid
      WHERE p.proname = 'reject_modification' ORDER BY 1`);
    expect(rows.map((row) => row.table)).toEqual([
      "audit_events",
      "claim_events",
      "coverage_revisions",
      "journal_entries",
      "journal_lines",
      "payment_consents",
      "remittance_adjustments",
      "remittance_provider_adjustments",
    ]);
    for (const row of rows) expect(row).toEqual({ table: row.table, update: false, delete: false, truncate: false });
  });

  it("a balanced journal of one clinic cannot post to another clinic's accounts", async () => {
    const clinicA = await createTestOrganization(database.db);
    const clinicB = await createTestOrganization(database.db);
    const accountsA = await ensureChartOfAccounts(database.db, clinicA.organizationId);
    const accountsB = await ensureChartOfAccounts(database.db, clinicB.organizationId);
    const entryId = crypto.randomUUID();
    await app.query("BEGIN");
    try {
      await app.query(
        `INSERT INTO journal_entries (id, organization_id, currency, kind, memo, source_type, source_id) VALUES ($1, $2, 'USD', 'test', 'cross-clinic', 'test', $1)`,
        [entryId, clinicA.organizationId],
      );
      // Balanced (+100 / −100), but the credit goes to clinic B's revenue: refused whichever organization the line claims.
      await expect(
        app.query(`INSERT INTO journal_lines (journal_entry_id, organization_id, account_id, amount) VALUES ($1, $2, $3, 100), ($1, $2, $4, -100)`, [
          entryId,
          clinicA.organizationId,
          accountsA.accountsReceivable,
          accountsB.revenue,
        ]),
      ).rejects.toThrow(/journal_lines_account_id_organization_id_fkey/);
    } finally {
      await app.query("ROLLBACK");
    }
    await expectRefused(
      `WITH entry AS (INSERT INTO journal_entries (id, organization_id, currency, kind, memo, source_type, source_id) VALUES ($1, $2, 'USD', 'test', 'cross-clinic', 'test', $1))
       INSERT INTO journal_lines (journal_entry_id, organization_id, account_id, amount) VALUES ($1, $3, $4, 100), ($1, $3, $5, -100)`,
      /journal_lines_journal_entry_id_organization_id_fkey/,
      [crypto.randomUUID(), clinicA.organizationId, clinicB.organizationId, accountsB.accountsReceivable, accountsB.revenue],
    );

    // The app's own way of posting still works, within one clinic.
    await database.db.$transaction((tx) =>
      postJournal(tx, {
        organizationId: clinicA.organizationId,
        currency: "USD",
        kind: "test",
        memo: "same clinic",
        source: { type: "test", id: entryId },
        lines: [
          { account: "cash", amount: 100 },
          { account: "revenue", amount: -100 },
        ],
      }),
    );
    expect(await database.db.journalLine.count({ where: { organizationId: clinicA.organizationId, journalEntry: { sourceId: entryId } } })).toBe(2);
  });
});
