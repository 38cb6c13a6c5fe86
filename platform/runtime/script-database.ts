import { readFile, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import pg from "pg";
import { APP_ROLE, connectionStringAs } from "@/lib/db/app-role";
import { startEmbeddedDatabase } from "@/platform/embedded-db/embedded";

const URL_FILE = "embedded-database.url";

export function dataDirFrom(source: NodeJS.ProcessEnv): string {
  return resolve(source.CAREBILL_DATA_DIR || ".data");
}

/** While the app runs on the embedded database, scripts find it here instead of opening its files. */
export async function publishEmbeddedUrl(dataDir: string, url: string): Promise<void> {
  await writeFile(join(dataDir, URL_FILE), url, { mode: 0o600 });
}

export async function unpublishEmbeddedUrl(dataDir: string): Promise<void> {
  await rm(join(dataDir, URL_FILE), { force: true });
}

async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * The database a command-line script should use: DATABASE_URL (and DATABASE_MIGRATION_URL to
 * migrate, when set); else the embedded database of a running app (PGlite files must never be
 * opened by two processes); else the embedded database opened by this script. `url` connects as
 * the app does; `migrationUrl` as the tables' owner.
 */
export async function openScriptDatabase(source: NodeJS.ProcessEnv): Promise<{ url: string; migrationUrl: string; embedded: boolean; close(): Promise<void> }> {
  if (source.DATABASE_URL)
    return { url: source.DATABASE_URL, migrationUrl: source.DATABASE_MIGRATION_URL || source.DATABASE_URL, embedded: false, close: async () => undefined };
  const dataDir = dataDirFrom(source);
  // The published URL is the owner's (the embedded server's own user).
  const published = await readFile(join(dataDir, URL_FILE), "utf8").catch(() => null);
  if (published && (await reachable(published)))
    return { url: connectionStringAs(published, APP_ROLE), migrationUrl: published, embedded: true, close: async () => undefined };
  const embedded = await startEmbeddedDatabase({ dataDir: join(dataDir, "pglite") });
  return { url: embedded.appUrl, migrationUrl: embedded.url, embedded: true, close: () => embedded.stop() };
}
