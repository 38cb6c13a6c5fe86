/** `npm run db:seed`: migrates, then adds the demo clinic and users where missing. */
import nextEnv from "@next/env";
import { join, resolve } from "node:path";
import { createDb } from "@/lib/db/client";
import { startEmbeddedDatabase } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";
import { DEMO_PASSWORD, DEMO_USERS, seedDemo } from "@/lib/demo/seed-demo";
import { logger } from "@/lib/observability/logger";

nextEnv.loadEnvConfig(process.cwd());
const log = logger.child({ component: "db:seed" });

const embedded = process.env.DATABASE_URL
  ? undefined
  : await startEmbeddedDatabase({ dataDir: join(resolve(process.env.CAREBILL_DATA_DIR || ".data"), "pglite") });
const connectionString = process.env.DATABASE_URL || embedded!.url;
const db = createDb({ connectionString, poolSize: 1 });
try {
  await migrate({ connectionString });
  await seedDemo(db);
  log.info({ users: DEMO_USERS.map((user) => user.email), demoPassword: DEMO_PASSWORD }, "demo clinic seeded");
} catch (error) {
  log.fatal({ err: error }, "seeding failed");
  process.exitCode = 1;
} finally {
  await db.$disconnect();
  await embedded?.stop();
}
