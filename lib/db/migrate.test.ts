import { createHash } from "node:crypto";
import { cp, mkdtemp, mkdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { createEmptyDatabase } from "@/tests/test-database";
import { migrate, readMigrations } from "./migrate";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

async function emptyDatabase() {
  const database = await createEmptyDatabase();
  cleanups.push(database.drop);
  return database.url;
}

async function recorded(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(`SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name`)).rows;
  } finally {
    await client.end();
  }
}

describe("migrate", () => {
  it("records each migration in _prisma_migrations with Prisma's checksum, and a second run applies nothing", async () => {
    const url = await emptyDatabase();
    const migrations = await readMigrations();
    const first = await migrate({ connectionString: url });
    expect(first.applied).toEqual(migrations.map((migration) => migration.name));
    const second = await migrate({ connectionString: url });
    expect(second).toEqual({ applied: [], alreadyApplied: migrations.length });

    const rows = await recorded(url);
    expect(rows.map((row) => row.migration_name)).toEqual(migrations.map((migration) => migration.name));
    for (const [index, row] of rows.entries()) {
      const migration = migrations[index]!;
      expect(row.checksum).toBe(createHash("sha256").update(migration.sql).digest("hex"));
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.applied_steps_count).toBe(1);
    }
  });

  it("applies each migration once when several instances start together (advisory lock)", async () => {
    const url = await emptyDatabase();
    const results = await Promise.all(Array.from({ length: 4 }, () => migrate({ connectionString: url })));
    const appliedCounts = results.map((result) => result.applied.length).sort();
    const total = (await readMigrations()).length;
    expect(appliedCounts).toEqual([0, 0, 0, total]);
    expect(await recorded(url)).toHaveLength(total);
  });

  it("rolls a failing migration back completely and records nothing for it", async () => {
    const url = await emptyDatabase();
    const dir = await mkdtemp(join(tmpdir(), "carebill-migrations-"));
    await cp(join(process.cwd(), "prisma", "migrations"), dir, { recursive: true });
    await mkdir(join(dir, "29990101000000_broken"));
    await writeFile(join(dir, "29990101000000_broken", "migration.sql"), `CREATE TABLE "half_done" (id int);\nSELECT * FROM "table_that_does_not_exist";\n`);

    await expect(migrate({ connectionString: url, dir })).rejects.toThrow(/29990101000000_broken failed/);
    const rows = await recorded(url);
    expect(rows.map((row) => row.migration_name)).not.toContain("29990101000000_broken");
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows: tables } = await client.query(`SELECT to_regclass('public.half_done') AS half_done`);
    await client.end();
    expect(tables[0].half_done).toBeNull();
  });
});

describe("migration 20261205130100_allocations_for_every_payment", () => {
  it("gives every applied card payment the allocation row manual payments always had, once", async () => {
    const url = await emptyDatabase();
    const dir = await mkdtemp(join(tmpdir(), "carebill-migrations-"));
    await cp(join(process.cwd(), "prisma", "migrations"), dir, {
      recursive: true,
      // The migrations before it only: the rows below are written as that schema had them; later ones
      // (which change the same constraints) are applied after it, in order, by the second run.
      filter: (source) => (/(\d{14})_[a-z0-9_]+/.exec(source)?.[1] ?? "0") < "20261205130100",
    });
    await migrate({ connectionString: url, dir });
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const one = async (text: string, values: unknown[] = []) => (await client.query(text, values)).rows[0];
      const organization = await one(`INSERT INTO organizations (name, slug, updated_at) VALUES ('Clinic', 'clinic', now()) RETURNING id`);
      const patient = await one(`INSERT INTO patients (organization_id, first_name, last_name, updated_at) VALUES ($1, 'Ana', 'Lee', now()) RETURNING id`, [
        organization.id,
      ]);
      const invoice = await one(
        `INSERT INTO invoices (organization_id, patient_id, number, status, currency, subtotal, total, amount_paid, amount_due, updated_at)
         VALUES ($1, $2, 'INV-00001', 'partially_paid', 'USD', 10000, 10000, 4000, 6000, now()) RETURNING id`,
        [organization.id, patient.id],
      );
      const payment = (status: string, applied: number) =>
        one(
          `INSERT INTO payments (organization_id, invoice_id, patient_id, source, method_type, status, currency, amount, amount_received, applied_amount, updated_at)
           VALUES ($1, $2, $3, 'pay_page', 'card', $4, 'USD', $5, $5, $5, now()) RETURNING id`,
          [organization.id, invoice.id, patient.id, status, applied],
        );
      const paid = await payment("succeeded", 4000);
      await payment("failed", 0);

      await migrate({ connectionString: url });
      const { rows } = await client.query(`SELECT payment_id, invoice_id, amount FROM payment_allocations`);
      expect(rows).toEqual([{ payment_id: paid.id, invoice_id: invoice.id, amount: 4000 }]);
    } finally {
      await client.end();
    }
  });
});

describe("migration 20261211110000_clearinghouse_submitter_unique", () => {
  it("stops, naming the clinics, while two share a receiver and submitter id (in any case); once fixed it upper-cases the ids and adds the index", async () => {
    const url = await emptyDatabase();
    const dir = await mkdtemp(join(tmpdir(), "carebill-migrations-"));
    await cp(join(process.cwd(), "prisma", "migrations"), dir, {
      recursive: true,
      filter: (source) => !/20261211110000_clearinghouse_submitter_unique/.test(source),
    });
    await migrate({ connectionString: url, dir });
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const clinic = async (slug: string, submitterId: string, receiverId: string) => {
        const { rows } = await client.query<{ id: string }>(`INSERT INTO organizations (name, slug, updated_at) VALUES ($1, $1, now()) RETURNING id`, [slug]);
        await client.query(
          `INSERT INTO clearinghouse_settings (organization_id, submitter_id, submitter_name, receiver_id, receiver_name) VALUES ($1, $2, 'CLINIC', $3, 'CH')`,
          [rows[0]!.id, submitterId, receiverId],
        );
        return rows[0]!.id;
      };
      const north = await clinic("north", "SHARED1", "CH1");
      const south = await clinic("south", "shared1", "ch1");
      await clinic("west", "SHARED1", "CH2");

      const error = await migrate({ connectionString: url }).catch((caught: unknown) => caught as Error);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toContain("20261211110000_clearinghouse_submitter_unique failed");
      expect((error as Error).message).toContain(
        `receiver id CH1 and submitter id SHARED1 are used by north (organization_id ${north}), south (organization_id ${south})`,
      );
      expect((error as Error).message).toMatch(/Ask the clearinghouse for an id of its own .* UPDATE clearinghouse_settings SET submitter_id/);
      expect((await recorded(url)).map((row) => row.migration_name)).not.toContain("20261211110000_clearinghouse_submitter_unique");
      expect((await client.query(`SELECT submitter_id FROM clearinghouse_settings WHERE organization_id = $1`, [south])).rows).toEqual([
        { submitter_id: "shared1" },
      ]);

      await client.query(`UPDATE clearinghouse_settings SET submitter_id = 'south-7' WHERE organization_id = $1`, [south]);
      expect((await migrate({ connectionString: url })).applied).toEqual(["20261211110000_clearinghouse_submitter_unique"]);
      const { rows } = await client.query(`SELECT submitter_id, receiver_id FROM clearinghouse_settings ORDER BY submitter_id, receiver_id`);
      expect(rows).toEqual([
        { submitter_id: "SHARED1", receiver_id: "CH1" },
        { submitter_id: "SHARED1", receiver_id: "CH2" },
        { submitter_id: "SOUTH-7", receiver_id: "CH1" },
      ]);
      await expect(client.query(`UPDATE clearinghouse_settings SET submitter_id = 'SHARED1' WHERE organization_id = $1`, [south])).rejects.toThrow(
        /clearinghouse_settings_receiver_id_submitter_id_key/,
      );
    } finally {
      await client.end();
    }
  });
});
