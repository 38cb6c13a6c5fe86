/**
 * Each test file gets its own fresh database, cloned from one migrated template made by
 * tests/global-setup.ts: a real PostgreSQL database (CREATE DATABASE … TEMPLATE) when
 * DATABASE_URL is set, otherwise an embedded PGlite restored from a dump. Files therefore run
 * in parallel without seeing each other's rows.
 */
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import pg from "pg";
import { afterAll, beforeAll, expect, inject } from "vitest";
import { APP_ROLE, connectionStringAs } from "@/lib/db/app-role";
import { createDb, type Db } from "@/lib/db/client";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "@/platform/embedded-db/embedded";
import { checkLedger } from "@/lib/ledger/balances";

export type TestDatabaseTemplate = { kind: "postgres"; adminUrl: string; templateName: string; runId: string } | { kind: "embedded"; dumpFile: string };

declare module "vitest" {
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions -- module augmentation needs an interface
  export interface ProvidedContext {
    testDatabase: TestDatabaseTemplate;
  }
}

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);

/** Tests create and drop databases: refuse anything that is not on this machine. */
export function assertLocalDatabase(url: string): void {
  const { hostname } = new URL(url);
  if (!LOCAL_HOSTS.has(hostname)) {
    throw new Error(`Refusing to run tests against a non-local database host (${hostname}). Point DATABASE_URL at localhost.`);
  }
}

export function databaseUrlWithName(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

export async function withAdminClient<T>(adminUrl: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** The password tests give the app's role when they let it log in (tests/global-setup.ts); local servers only. */
export const TEST_APP_ROLE_PASSWORD = "carebill-app-test";

/** `url`: as the app's role (what the app and the tests use); `ownerUrl`: as the owner (migrations). */
export type TestDatabase = { readonly db: Db; readonly url: string; readonly ownerUrl: string };

/** A fresh migrated database for one purpose: its URLs (as the owner, as the app's role) and a function that removes it. */
export async function createFreshDatabase(): Promise<{ url: string; appUrl: string; drop(): Promise<void> }> {
  const template = inject("testDatabase");
  if (template.kind === "postgres") {
    const name = `carebill_t_${template.runId}_${randomBytes(4).toString("hex")}`;
    await withAdminClient(template.adminUrl, (client) => client.query(`CREATE DATABASE "${name}" TEMPLATE "${template.templateName}"`));
    const url = databaseUrlWithName(template.adminUrl, name);
    return {
      url,
      appUrl: connectionStringAs(url, APP_ROLE, TEST_APP_ROLE_PASSWORD),
      drop: () => withAdminClient(template.adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
    };
  }
  const dump = new Blob([await readFile(template.dumpFile)]);
  const embedded: EmbeddedDatabase = await startEmbeddedDatabase({ loadDataDir: dump });
  return { url: embedded.url, appUrl: embedded.appUrl, drop: () => embedded.stop() };
}

/** An empty database (no migrations), e.g. to compare against what the migrations build. */
export async function createEmptyDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const template = inject("testDatabase");
  if (template.kind === "postgres") {
    const name = `carebill_t_${template.runId}_${randomBytes(4).toString("hex")}`;
    await withAdminClient(template.adminUrl, (client) => client.query(`CREATE DATABASE "${name}" TEMPLATE template0`));
    return {
      url: databaseUrlWithName(template.adminUrl, name),
      drop: () => withAdminClient(template.adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
    };
  }
  const embedded = await startEmbeddedDatabase({});
  return { url: embedded.url, drop: () => embedded.stop() };
}

/**
 * Registers beforeAll/afterAll hooks that give this file its own migrated database and a
 * Prisma client on it, connected as the app's role (lib/db/app-role.ts): every test runs with
 * the privileges the app has in production. DATABASE_URL points at it for code that reads the
 * environment. After the file, the ledger must balance per currency and match every invoice's
 * amount due.
 */
export function setupTestDatabase(): TestDatabase {
  let db: Db | undefined;
  let url: string | undefined;
  let ownerUrl: string | undefined;
  let drop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    const fresh = await createFreshDatabase();
    url = fresh.appUrl;
    ownerUrl = fresh.url;
    drop = fresh.drop;
    process.env.DATABASE_URL = url;
    db = createDb({ connectionString: url, poolSize: 8 });
  });

  afterAll(async () => {
    try {
      // Whatever the file did, the books must balance and every invoice must agree with the ledger.
      if (db)
        expect(await checkLedger(db)).toEqual({
          unbalancedCurrencies: [],
          invoiceMismatches: [],
          patientCreditMismatches: [],
          allocationMismatches: [],
          claimMismatches: [],
        });
    } finally {
      await db?.$disconnect();
      await drop?.();
    }
  });

  return {
    get db() {
      if (!db) throw new Error("setupTestDatabase(): the database is only available inside tests and hooks");
      return db;
    },
    get url() {
      if (!url) throw new Error("setupTestDatabase(): the database is only available inside tests and hooks");
      return url;
    },
    get ownerUrl() {
      if (!ownerUrl) throw new Error("setupTestDatabase(): the database is only available inside tests and hooks");
      return ownerUrl;
    },
  };
}
