import pg from "pg";
import { describe, expect, it } from "vitest";
import { createDb } from "@/lib/db/client";
import { isDatabaseUnavailable } from "@/lib/db/errors";
import { migrate } from "@/lib/db/migrate";
import { startEmbeddedDatabase } from "./embedded";

describe("embedded PostgreSQL (PGlite over TCP)", () => {
  it("serves pg and Prisma; concurrent transactions and plain queries never interleave", async () => {
    const embedded = await startEmbeddedDatabase({});
    const db = createDb({ connectionString: embedded.url, poolSize: 8 });
    try {
      await migrate({ connectionString: embedded.url });
      const setup = new pg.Client({ connectionString: embedded.url });
      await setup.connect();
      await setup.query("CREATE TABLE counter (id int PRIMARY KEY, value int NOT NULL)");
      await setup.query("INSERT INTO counter VALUES (1, 0)");
      await setup.end();

      // Read-modify-write inside transactions: a lost update would leave the value below 40.
      const increments = Array.from({ length: 40 }, () =>
        db.$transaction(async (tx) => {
          const rows = await tx.$queryRaw<{ value: number }[]>`SELECT value FROM counter WHERE id = 1`;
          await tx.$executeRaw`UPDATE counter SET value = ${rows[0]!.value + 1} WHERE id = 1`;
        }),
      );
      // Parameterised queries outside any transaction, racing with the transactions above.
      const reads = Array.from({ length: 80 }, (_, index) => db.$queryRaw<{ n: number }[]>`SELECT ${index}::int AS n`.then((rows) => rows[0]!.n));
      const [, values] = await Promise.all([Promise.all(increments), Promise.all(reads)]);
      expect(values).toEqual(Array.from({ length: 80 }, (_, index) => index));
      const final = await db.$queryRaw<{ value: number }[]>`SELECT value FROM counter WHERE id = 1`;
      expect(final[0]!.value).toBe(40);
    } finally {
      await db.$disconnect();
      await embedded.stop();
    }
  });

  it("a transaction left open by a client that disconnects is rolled back", async () => {
    const embedded = await startEmbeddedDatabase({});
    try {
      const a = new pg.Client({ connectionString: embedded.url });
      await a.connect();
      await a.query("CREATE TABLE notes (body text)");
      await a.query("BEGIN");
      await a.query("INSERT INTO notes VALUES ('uncommitted')");
      a.end().catch(() => undefined);
      const b = new pg.Client({ connectionString: embedded.url });
      await b.connect();
      const { rows } = await b.query("SELECT count(*)::int AS n FROM notes");
      expect(rows[0].n).toBe(0);
      await b.end();
    } finally {
      await embedded.stop();
    }
  });

  it("persists to its data directory across restarts", async () => {
    const { mkdtemp, rm } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const dataDir = await mkdtemp(join(tmpdir(), "carebill-pglite-"));
    try {
      const first = await startEmbeddedDatabase({ dataDir });
      const client = new pg.Client({ connectionString: first.url });
      await client.connect();
      await client.query("CREATE TABLE kept (v text)");
      await client.query("INSERT INTO kept VALUES ('still here')");
      await client.end();
      await first.stop();

      const second = await startEmbeddedDatabase({ dataDir });
      const again = new pg.Client({ connectionString: second.url });
      await again.connect();
      const { rows } = await again.query("SELECT v FROM kept");
      await again.end();
      await second.stop();
      expect(rows).toEqual([{ v: "still here" }]);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it("a Prisma client recovers by itself after the database goes away and comes back", async () => {
    const first = await startEmbeddedDatabase({});
    const port = Number(new URL(first.url).port);
    const db = createDb({ connectionString: first.url, poolSize: 2 });
    try {
      await db.$queryRaw`SELECT 1`;
      await first.stop();
      const failure = await db.$queryRaw`SELECT 1`.then(
        () => null,
        (error: unknown) => error,
      );
      expect(failure).not.toBeNull();
      expect(isDatabaseUnavailable(failure)).toBe(true);

      const second = await startEmbeddedDatabase({ port });
      try {
        let recovered = false;
        for (let attempt = 0; attempt < 5 && !recovered; attempt++) {
          recovered = await db.$queryRaw`SELECT 1`.then(
            () => true,
            () => false,
          );
        }
        expect(recovered).toBe(true);
      } finally {
        await second.stop();
      }
    } finally {
      await db.$disconnect();
    }
  });
});
