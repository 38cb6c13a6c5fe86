import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { startEmbeddedDatabase } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";
import { assertLocalDatabase, databaseUrlWithName, withAdminClient } from "./test-database";

/** Builds the migrated template every test file clones, and removes everything at the end. */
export default async function setup(project: TestProject) {
  process.env.AUTH_SECRET ??= randomBytes(32).toString("hex");
  const adminUrl = process.env.DATABASE_URL;

  if (adminUrl) {
    assertLocalDatabase(adminUrl);
    const runId = `${process.pid}${randomBytes(2).toString("hex")}`;
    const templateName = `carebill_tpl_${runId}`;
    await withAdminClient(adminUrl, (client) => client.query(`CREATE DATABASE "${templateName}"`));
    await migrate({ connectionString: databaseUrlWithName(adminUrl, templateName) });
    project.provide("testDatabase", { kind: "postgres", adminUrl, templateName, runId });
    return async () => {
      await withAdminClient(adminUrl, async (client) => {
        const { rows } = await client.query<{ datname: string }>(
          `SELECT datname FROM pg_database WHERE datname LIKE $1`,
          [`carebill_t_${runId}_%`],
        );
        for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
        await client.query(`DROP DATABASE IF EXISTS "${templateName}" WITH (FORCE)`);
      });
    };
  }

  const embedded = await startEmbeddedDatabase({});
  const dir = await mkdtemp(join(tmpdir(), "carebill-test-"));
  const dumpFile = join(dir, "template.tar");
  try {
    await migrate({ connectionString: embedded.url });
    await writeFile(dumpFile, Buffer.from(await (await embedded.dump()).arrayBuffer()));
  } finally {
    await embedded.stop();
  }
  project.provide("testDatabase", { kind: "embedded", dumpFile });
  return async () => {
    await rm(dir, { recursive: true, force: true });
  };
}
