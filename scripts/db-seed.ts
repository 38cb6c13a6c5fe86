/** `npm run db:seed`: migrates, then adds the demo clinic and users where missing, and its activity to a clinic without patients. */
import nextEnv from "@next/env";
import { createDb } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { DEMO_PASSWORD, DEMO_USERS } from "@/platform/demo/demo-accounts";
import { seedDemo } from "@/platform/demo/seed-demo";
import { logger } from "@/lib/observability/logger";
import { openScriptDatabase } from "@/platform/runtime/script-database";

nextEnv.loadEnvConfig(process.cwd());
const log = logger.child({ component: "db:seed" });

const database = await openScriptDatabase(process.env);
const db = createDb({ connectionString: database.url, poolSize: 1 });
try {
  await migrate({ connectionString: database.migrationUrl });
  // No Stripe emulator here: the demo's card payments are taken on the clinic's terminal instead.
  const { activity } = await seedDemo(db);
  log.info({ users: DEMO_USERS.map((user) => user.email), demoPassword: DEMO_PASSWORD, ...activity }, "demo clinic seeded");
} catch (error) {
  log.fatal({ err: error }, "seeding failed");
  process.exitCode = 1;
} finally {
  await db.$disconnect();
  await database.close();
}
