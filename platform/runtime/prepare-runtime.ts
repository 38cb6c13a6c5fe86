import { join, resolve } from "node:path";
import type { Logger } from "pino";
import pg from "pg";
import { isPrivileged, ROLE_PRIVILEGES_QUERY, type RolePrivileges } from "@/lib/db/app-role";
import { createDb } from "@/lib/db/client";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "@/platform/embedded-db/embedded";
import { migrate } from "@/lib/db/migrate";
import { DEMO_PASSWORD, DEMO_USERS } from "@/platform/demo/demo-accounts";
import { seedDemo } from "@/platform/demo/seed-demo";
import { EnvError, parseEnv, ZServerEnv } from "@/lib/env";
import { loadOrCreateDemoSecrets } from "./demo-secrets";
import { resolveStripeMode, startStripeRuntime, stripeBuildEnv, type StripeMode, type StripeRuntime } from "./stripe-runtime";
import { createStripeClient } from "@/lib/stripe/get-stripe";
import type { DemoStripe } from "@/platform/demo/seed-demo";
import { publishEmbeddedUrl, unpublishEmbeddedUrl } from "./script-database";
import { connectDemoClinicToEmulator, startClearinghouseEmulatorProcess, type ClearinghouseEmulatorProcess } from "./clearinghouse-emulator-process";

/** Secrets production must set, generated once under the data dir in demo mode. */
const GENERATED_SECRETS = ["AUTH_SECRET", "PAYMENT_LINK_SECRET"] as const;

export type PreparedRuntime = {
  /** The environment to hand to the Next.js process. */
  env: Record<string, string>;
  /** What `next build` must see (the browser's Stripe mode is fixed at build time). */
  buildEnv: Record<string, string>;
  appUrl: string;
  port: number;
  host: string;
  demoMode: boolean;
  /** Stops what it started; `leaveStripeEmulatorRunning` when the app crashed (see supervise-app.ts). */
  stop(options?: { leaveStripeEmulatorRunning?: boolean }): Promise<void>;
};

/**
 * Everything that must happen before the app serves a request: secrets (generated under the
 * data dir in demo mode, required in production), the database (embedded PGlite when
 * DATABASE_URL is unset), migrations, and the demo clinic on a first start.
 */
export async function prepareRuntime(options: { source: NodeJS.ProcessEnv; log: Logger }): Promise<PreparedRuntime> {
  const { source, log } = options;
  const production = source.NODE_ENV === "production";
  const dataDir = resolve(source.CAREBILL_DATA_DIR || ".data");
  const port = Number(source.PORT || 3000);
  const host = source.HOST || "127.0.0.1";
  const appUrl = source.APP_URL || `http://localhost:${port}`;

  const missing: { name: string; message: string }[] = [];
  for (const name of GENERATED_SECRETS) {
    if (production && !source[name]) missing.push({ name, message: "is required when NODE_ENV=production (e.g. `openssl rand -base64 48`)" });
  }
  if (production && !source.DATABASE_URL) {
    missing.push({ name: "DATABASE_URL", message: "is required when NODE_ENV=production; the embedded database is for demos" });
  }
  if (missing.length > 0) throw new EnvError(missing);
  const stripeMode = resolveStripeMode(source);

  const unset = GENERATED_SECRETS.filter((name) => !source[name]);
  const generated: Partial<Record<string, string>> = unset.length > 0 ? await loadOrCreateDemoSecrets(dataDir, unset) : {};
  if (unset.length > 0) log.warn({ file: join(dataDir, "secrets.json"), variables: unset }, "secrets not set: using generated demo secrets");
  const secrets = Object.fromEntries(GENERATED_SECRETS.map((name) => [name, source[name] || generated[name]!])) as Record<
    (typeof GENERATED_SECRETS)[number],
    string
  >;

  let embedded: EmbeddedDatabase | undefined;
  let databaseUrl = source.DATABASE_URL;
  // Migrations run as the tables' owner; the app connects as its own role (lib/db/app-role.ts).
  let migrationUrl = source.DATABASE_MIGRATION_URL || source.DATABASE_URL;
  if (!databaseUrl) {
    embedded = await startEmbeddedDatabase({
      dataDir: join(dataDir, "pglite"),
      port: Number(source.EMBEDDED_DATABASE_PORT || 0),
    });
    databaseUrl = embedded.appUrl;
    migrationUrl = embedded.url;
    await publishEmbeddedUrl(dataDir, embedded.url);
    log.info({ database: "embedded", dataDir: embedded.dataDir, url: embedded.url }, "database: embedded PGlite");
  } else {
    const url = new URL(databaseUrl);
    log.info({ database: "postgresql", host: url.hostname, port: url.port || "5432", name: url.pathname.slice(1) }, "database: PostgreSQL");
  }

  const env: Record<string, string> = {
    ...Object.fromEntries(Object.entries(source).filter((entry): entry is [string, string] => entry[1] !== undefined)),
    DATABASE_URL: databaseUrl,
    AUTH_SECRET: secrets.AUTH_SECRET,
    PAYMENT_LINK_SECRET: secrets.PAYMENT_LINK_SECRET,
    APP_URL: appUrl,
    NEXTAUTH_URL: appUrl,
    PORT: String(port),
  };
  let stripeToStop: StripeRuntime | undefined;
  let clearinghouse: ClearinghouseEmulatorProcess | undefined;
  try {
    parseEnv(ZServerEnv, { ...env, NODE_ENV: production ? "production" : "development" });

    const result = await migrate({ connectionString: migrationUrl!, onApplied: (name) => log.info({ migration: name }, "migration applied") });
    log.info({ applied: result.applied.length, alreadyApplied: result.alreadyApplied }, "migrations up to date");
    if (!embedded) await checkAppRole(databaseUrl, { production, log });

    const demoMode = !production && source.SEED_DEMO !== "false";
    // Stripe (real, or the local emulator) before the demo data: the demo's card payments go through the emulator.
    const stripe = await startStripeRuntime({ mode: stripeMode, source, dataDir, appUrl, log });
    stripeToStop = stripe;
    Object.assign(env, stripe.env);
    if (demoMode) {
      const db = createDb({ connectionString: databaseUrl, poolSize: 1 });
      try {
        // The clearinghouse emulator (SFTP on loopback) answers the demo clinic's claims, the seed's first; CLEARINGHOUSE_EMULATOR=0 turns it off.
        if (source.CLEARINGHOUSE_EMULATOR !== "0") {
          clearinghouse = await startClearinghouseEmulatorProcess({ dataDir, port: Number(source.CLEARINGHOUSE_EMULATOR_PORT || 0), log });
        }
        const emulator = clearinghouse
          ? { port: clearinghouse.port, hostKeySha256: clearinghouse.hostKeySha256, privateKey: clearinghouse.privateKey }
          : undefined;
        if ((await db.organization.count()) === 0) {
          const started = performance.now();
          const { activity, insurance } = await withAppEnvironment(env, () =>
            seedDemo(db, { stripe: demoStripe(stripeMode, stripe.env), clearinghouse: emulator }),
          );
          log.info(
            {
              organization: "demo",
              users: DEMO_USERS.map((user) => user.email),
              demoPassword: DEMO_PASSWORD,
              ...activity,
              claims: insurance?.claims,
              seconds: Math.round((performance.now() - started) / 100) / 10,
            },
            "seeded the demo clinic (Sunrise Family Clinic)",
          );
        }
        if (emulator) await withAppEnvironment(env, () => connectDemoClinicToEmulator(db, { ...emulator, log }));
      } finally {
        await db.$disconnect();
      }
      env.CAREBILL_DEMO = "1";
    }

    return {
      env,
      buildEnv: stripeBuildEnv(stripeMode),
      appUrl,
      port,
      host,
      demoMode,
      stop: async (stopOptions) => {
        await clearinghouse?.stop();
        await stripe.stop({ leaveEmulatorRunning: stopOptions?.leaveStripeEmulatorRunning });
        if (embedded) await unpublishEmbeddedUrl(dataDir);
        await embedded?.stop();
      },
    };
  } catch (error) {
    await clearinghouse?.stop();
    await stripeToStop?.stop();
    if (embedded) await unpublishEmbeddedUrl(dataDir);
    await embedded?.stop();
    throw error;
  }
}

/**
 * The app must not connect as a role that could switch off the books' protections (a superuser,
 * or the owner of the tables): production refuses to start so, development warns.
 */
async function checkAppRole(databaseUrl: string, options: { production: boolean; log: Logger }): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  let privileges: RolePrivileges;
  try {
    privileges = (await client.query<RolePrivileges>(ROLE_PRIVILEGES_QUERY)).rows[0]!;
  } finally {
    await client.end();
  }
  if (!isPrivileged(privileges)) return;
  const message = `connects as "${privileges.role}", ${privileges.superuser ? "a superuser" : privileges.ownsLedger ? "the owner of the tables" : "a role that bypasses row security"}: the app must connect as the carebill_app role, and migrations as the owner through DATABASE_MIGRATION_URL (README "Production")`;
  if (options.production) throw new EnvError([{ name: "DATABASE_URL", message }]);
  options.log.warn({ role: privileges.role }, `DATABASE_URL ${message}`);
}

/**
 * The emulator the demo's card payments go through, as the app will reach it; none with a real
 * Stripe account (the demo never creates objects there) or without Stripe.
 */
function demoStripe(mode: StripeMode, env: Record<string, string>): DemoStripe | undefined {
  if (mode.kind !== "emulator" || !env.STRIPE_EMULATOR_URL || !env.STRIPE_SECRET_KEY) return undefined;
  const url = new URL(env.STRIPE_EMULATOR_URL);
  const secretKey = env.STRIPE_SECRET_KEY;
  return { stripe: createStripeClient({ kind: "emulator", secretKey, host: url.hostname, port: Number(url.port) }), emulatorUrl: url.origin, secretKey };
}

/**
 * Runs `fn` (the demo seed, in the launcher's process) with the app's environment in process.env,
 * where the domain code reads it (getEnv: APP_URL in the dispute emails), then puts it back.
 */
async function withAppEnvironment<T>(env: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    return await fn();
  } finally {
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
  }
}
