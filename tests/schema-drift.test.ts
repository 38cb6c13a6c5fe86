import { execFile } from "node:child_process";
import { promisify } from "node:util";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { createEmptyDatabase, createFreshDatabase } from "./test-database";

/** Everything Prisma's schema describes, read from the catalog in a stable order. */
async function describeSchema(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const query = async (sql: string) => (await client.query(sql)).rows;
    return {
      columns: await query(`
        SELECT table_name, column_name, data_type, udt_name, character_maximum_length, numeric_precision,
               datetime_precision, is_nullable, column_default
        FROM information_schema.columns
        WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'
        ORDER BY table_name, column_name`),
      constraints: await query(`
        SELECT rel.relname AS table_name, con.conname, pg_get_constraintdef(con.oid) AS definition
        FROM pg_constraint con JOIN pg_class rel ON rel.oid = con.conrelid
        JOIN pg_namespace ns ON ns.oid = rel.relnamespace
        WHERE ns.nspname = 'public' AND rel.relname <> '_prisma_migrations'
          AND con.contype NOT IN ('c', 't') -- CHECK constraints and constraint triggers are hand-written; Prisma cannot express them
        ORDER BY rel.relname, con.conname`),
      // Index storage parameters (WITH (…), e.g. a BRIN index's autosummarize) and partial indexes
      // (… WHERE …, e.g. one default card per patient) are hand-written; Prisma cannot express them.
      indexes: await query(`
        SELECT tablename, indexname, regexp_replace(indexdef, ' WITH \\([^)]*\\)', '') AS indexdef FROM pg_indexes
        WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' AND indexdef NOT LIKE '% WHERE %'
        ORDER BY tablename, indexname`),
      enums: await query(`
        SELECT t.typname, array_agg(e.enumlabel ORDER BY e.enumsortorder)::text AS labels
        FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
        JOIN pg_namespace ns ON ns.oid = t.typnamespace
        WHERE ns.nspname = 'public' GROUP BY t.typname ORDER BY t.typname`),
    };
  } finally {
    await client.end();
  }
}

describe("migrations", () => {
  it("build exactly the schema that prisma/schema.prisma describes", { timeout: 240_000 }, async () => {
    const migrated = await createFreshDatabase();
    const fromSchema = await createEmptyDatabase();
    try {
      // Prisma's own engine writes the SQL for the schema file from scratch…
      // (Asynchronously: the embedded database lives in this process and must keep answering.)
      const diff = await promisify(execFile)("bash", ["scripts/prisma-diff.sh", "/dev/null", "prisma/schema.prisma"], {
        env: { ...process.env, PRISMA_DIFF_DATABASE_URL: fromSchema.url },
        timeout: 200_000,
        maxBuffer: 16 * 1024 * 1024,
      });
      expect(diff.stdout).toContain("CREATE TABLE");
      const client = new pg.Client({ connectionString: fromSchema.url });
      await client.connect();
      await client.query(diff.stdout);
      await client.end();

      // …and the catalog it produces must equal the one our migrations produce.
      const [expected, actual] = await Promise.all([describeSchema(fromSchema.url), describeSchema(migrated.url)]);
      expect(actual.columns.length).toBeGreaterThan(0);
      expect(actual).toEqual(expected);
      // The hand-written partial indexes left out above are there: constraints the code relies on, and
      // the insurance analytics' covering indexes (migration 20261212100000), the remittances waiting for the
      // background posting (migration 20261213140000).
      const client2 = new pg.Client({ connectionString: migrated.url });
      await client2.connect();
      const partial = (await client2.query(`SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND indexdef LIKE '% WHERE %' ORDER BY 1`)).rows;
      await client2.end();
      expect(partial.map((row) => row.indexname)).toEqual([
        "attention_items_one_open",
        "card_links_one_live",
        "claims_open_insurance_balance",
        "patient_memberships_one_live",
        "remittance_claims_denial_candidates",
        "remittance_claims_posted",
        "remittances_posting_waiting",
        "saved_payment_methods_one_default",
      ]);
    } finally {
      await Promise.all([migrated.drop(), fromSchema.drop()]);
    }
  });
});
