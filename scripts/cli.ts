/**
 * `npm run cli -- <command>`: operator commands.
 *   api-key create --org <slug> --name <name>   prints a new API key (shown once)
 *   api-key list --org <slug>                   lists the organization's keys (never the secrets)
 */
import { parseArgs } from "node:util";
import nextEnv from "@next/env";
import { createApiKey } from "@/lib/api-keys/create-api-key";
import { listApiKeys } from "@/lib/api-keys/list-api-keys";
import { createDb } from "@/lib/db/client";
import { isAppError } from "@/lib/errors";
import { openScriptDatabase } from "@/platform/runtime/script-database";

nextEnv.loadEnvConfig(process.cwd());
process.env.LOG_LEVEL ??= "warn";

const USAGE = "usage: npm run cli -- api-key create --org <slug> --name <name>\n       npm run cli -- api-key list --org <slug>";

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { org: { type: "string" }, name: { type: "string" } } });
  const [resource, command] = positionals;
  if (resource !== "api-key" || (command !== "create" && command !== "list") || !values.org || (command === "create" && !values.name)) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const database = await openScriptDatabase(process.env);
  const db = createDb({ connectionString: database.url, poolSize: 1 });
  try {
    const organization = await db.organization.findUnique({ where: { slug: values.org } });
    if (!organization) {
      process.stderr.write(`No organization with slug "${values.org}".\n`);
      return 1;
    }
    if (command === "list") {
      for (const key of await listApiKeys(db, { organizationId: organization.id })) {
        process.stdout.write(`${key.prefix}…\t${key.name}\t${key.revokedAt ? "revoked" : "active"}\tcreated ${key.createdAt.toISOString()}\n`);
      }
      return 0;
    }
    const key = await createApiKey(db, {
      organizationId: organization.id,
      actor: { userId: null, label: "cli", ip: null, requestId: null },
      input: { name: values.name! },
    });
    process.stderr.write(`API key "${key.name}" for ${organization.name}. It is shown only now; store it safely.\n`);
    process.stdout.write(`${key.secret}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`${isAppError(error) ? error.message : String(error)}\n`);
    return 1;
  } finally {
    await db.$disconnect();
    await database.close();
  }
}

process.exitCode = await main();
