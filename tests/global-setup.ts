import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type pg from "pg";
import type { TestProject } from "vitest/node";
import { APP_ROLE } from "@/lib/db/app-role";
import { startEmbeddedDatabase } from "@/platform/embedded-db/embedded";
import { migrate } from "@/lib/db/migrate";
import { assertLocalDatabase, databaseUrlWithName, TEST_APP_ROLE_PASSWORD, withAdminClient } from "./test-database";

/**
 * The migrations make the app's role without LOGIN (production gives it its own password); the tests
 * connect as it, so that the whole suite runs with the app's privileges. Left as it is when it can
 * log in already. (Roles belong to the cluster: several runs may get here at once.)
 */
async function allowAppRoleLogin(client: pg.Client): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const { rows } = await client.query<{ rolcanlogin: boolean }>("SELECT rolcanlogin FROM pg_roles WHERE rolname = $1", [APP_ROLE]);
    if (rows[0]?.rolcanlogin) return;
    try {
      await client.query(`ALTER ROLE ${APP_ROLE} LOGIN PASSWORD '${TEST_APP_ROLE_PASSWORD}'`);
      return;
    } catch (error) {
      // "tuple concurrently updated": another run changed the role at the same moment; look again.
      if (attempt >= 5) throw error;
    }
  }
}

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
    await withAdminClient(adminUrl, allowAppRoleLogin);
    project.provide("testDatabase", { kind: "postgres", adminUrl, templateName, runId });
    return async () => {
      await withAdminClient(adminUrl, async (client) => {
        const { rows } = await client.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`carebill_t_${runId}_%`]);
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
