/**
 * Creates a clinic of its own for one browser test (an admin who can sign in and an API key),
 * in the running test server's database, through the same domain operations the app uses:
 * tests that change clinic-wide settings then never affect the specs that share the demo clinic.
 * Prints `{ slug, adminEmail, password, apiKey }` as JSON.
 *   node --import tsx e2e/create-clinic.ts <slug>
 */
import nextEnv from "@next/env";
import { createApiKey } from "@/lib/api-keys/create-api-key";
import { createDb } from "@/lib/db/client";
import { createOrganization } from "@/lib/organizations/create-organization";
import { updateOrganization } from "@/lib/organizations/update-organization";
import { dataDirFrom, openScriptDatabase } from "@/platform/runtime/script-database";

nextEnv.loadEnvConfig(process.cwd());
process.env.LOG_LEVEL ??= "warn";

const slug = process.argv[2];
if (!slug) throw new Error("usage: node --import tsx e2e/create-clinic.ts <slug>");
const password = "carebill-e2e-clinic";
const adminEmail = `admin@${slug}.test`;
const actor = { userId: null, label: "e2e", ip: null, requestId: null };

// Test clinics go into the test server's database only, never the demo's (e2e/fixtures.ts e2eScriptEnv).
if (process.env.DATABASE_URL || !/[/\\]e2e-\d+$/.test(dataDirFrom(process.env))) {
  throw new Error("e2e/create-clinic.ts writes only to a browser-test database: run it with CAREBILL_DATA_DIR=.data/e2e-<port> and no DATABASE_URL");
}
const database = await openScriptDatabase(process.env);
const db = createDb({ connectionString: database.url, poolSize: 1 });
try {
  const { organizationId } = await createOrganization(db, { slug, name: "Lakeside Clinic", admin: { email: adminEmail, name: "Lee Admin", password } });
  await updateOrganization(db, {
    organizationId,
    actor,
    input: {
      name: "Lakeside Clinic",
      addressLine1: "12 Lake Road",
      city: "Portland",
      region: "OR",
      postalCode: "97201",
      country: "US",
      currency: "USD",
      timezone: "America/Los_Angeles",
    },
  });
  const key = await createApiKey(db, { organizationId, actor, input: { name: "e2e" } });
  process.stdout.write(`${JSON.stringify({ slug, adminEmail, password, apiKey: key.secret })}\n`);
} finally {
  await db.$disconnect();
  await database.close();
}
