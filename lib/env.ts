import { z } from "zod";
// Relative, not "@/": next.config.ts loads this file through lib/security/headers.ts.
import { parseIpRanges, type IpRange } from "./http/ip-address";

const ZPostgresUrl = z
  .string()
  .url()
  .refine((value) => /^postgres(ql)?:\/\//.test(value), "must be a postgres:// or postgresql:// URL");

/**
 * Proxies whose X-Forwarded-For entries are believed: comma-separated addresses, CIDR ranges, or
 * loopback / linklocal / uniquelocal. Empty (the default): none, the TCP peer is the client.
 */
export const ZTrustedProxies = z.string().transform((value, context): IpRange[] => {
  const ranges: IpRange[] = [];
  for (const entry of value
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)) {
    const parsed = parseIpRanges(entry);
    if (!parsed) {
      context.addIssue({
        code: "custom",
        message: `"${entry.slice(0, 60)}" is not an IP address, a CIDR range (e.g. 10.0.0.0/8) or one of loopback, linklocal, uniquelocal`,
      });
      return z.NEVER;
    }
    ranges.push(...parsed);
  }
  return ranges;
});

/**
 * Every variable the app process reads. The launcher (scripts/start.ts) fills in demo defaults.
 * App code reads them through getEnv() or readEnvVar(), never from process.env, except those the
 * bundler must see by their literal name (`process.env.NAME`), which are not in this schema:
 * - NODE_ENV, NEXT_RUNTIME, NEXT_PHASE: set by Next.js itself; NEXT_RUNTIME is inlined so the edge
 *   build drops instrumentation.ts's Node-only block.
 * - NEXT_PUBLIC_STRIPE_EMULATOR_URL: set by the launcher for `next build` only (next.config.ts
 *   inlines it, "" when not emulating), so a build for real Stripe drops the emulator's browser
 *   stand-in (lib/stripe/client/get-stripe.ts) and its CSP entries (lib/security/headers.ts).
 * Tool configuration (next.config.ts, prisma.config.ts, playwright.config.ts) and what runs the app
 * (platform/, scripts/) read the launcher's own variables (PORT, HOST, CAREBILL_DATA_DIR, …) directly.
 */
export const ZServerEnv = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  DATABASE_URL: ZPostgresUrl,
  /** The tables' owner, for migrations only (npm start, npm run db:migrate); the app uses DATABASE_URL. Unset: DATABASE_URL. */
  DATABASE_MIGRATION_URL: ZPostgresUrl.optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  // Named prepared statements on the hot paths (lib/db/sql.ts). Turn off behind a connection pooler
  // in transaction mode (e.g. PgBouncer before 1.21), where a connection's statements are not its own.
  DATABASE_PREPARED_STATEMENTS: z
    .enum(["true", "false"], { message: "must be true or false" })
    .default("true")
    .transform((value) => value === "true"),
  AUTH_SECRET: z.string().min(32, "must be at least 32 characters"),
  APP_URL: z.string().url().default("http://localhost:3000"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  /** Read per request by lib/http/client-ip.ts (readEnvVar); parsed here too so a malformed list stops the app at startup. */
  TRUSTED_PROXIES: ZTrustedProxies.default([]),

  // Pay links: HMAC-SHA256 key for the tokens (generated under the data dir in demo mode; the
  // launcher requires it in production) and how long a new link lives.
  PAYMENT_LINK_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  PAYMENT_LINK_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),

  // Stripe. Optional here; lib/stripe refuses to work without a key. In demo mode the launcher
  // (scripts/start.ts) starts the Stripe emulator and sets all four (see README "Stripe").
  STRIPE_SECRET_KEY: z
    .string()
    .regex(/^(sk|rk)_(test|live)_[A-Za-z0-9_]+$/, "must be a Stripe secret key (sk_test_…, sk_live_… or rk_…)")
    .optional(),
  STRIPE_PUBLISHABLE_KEY: z
    .string()
    .regex(/^pk_(test|live)_[A-Za-z0-9_]+$/, "must be a Stripe publishable key (pk_test_… or pk_live_…)")
    .optional(),
  STRIPE_WEBHOOK_SECRET: z
    .string()
    .regex(/^whsec_[A-Za-z0-9_]+$/, "must be a webhook signing secret (whsec_…)")
    .optional(),
  /** Set by the launcher in emulator mode only: the local Stripe emulator's http://127.0.0.1:<port>. */
  STRIPE_EMULATOR_URL: z
    .string()
    .url()
    .refine((value) => /^http:\/\/(127\.0\.0\.1|localhost|\[::1\]):\d+\/?$/.test(value), "must be http://127.0.0.1:<port> (the emulator runs on loopback)")
    .optional(),

  // ── Email and background jobs (lib/email, lib/jobs; see README "Email") ──────────────────────
  /** smtp://user:pass@host:587 or smtps://user:pass@host:465. Unset: demo mode, mail is kept in the admin mailbox. */
  SMTP_URL: z
    .string()
    .url()
    .refine((value) => /^smtps?:\/\//.test(value), "must be an smtp:// or smtps:// URL")
    .optional(),
  /** The sender: `billing@clinic.example` (shown as "<clinic> via Carebill") or `Name <billing@clinic.example>`. */
  MAIL_FROM: z
    .string()
    .regex(/^(?:[^<>]+<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/, "must be an email address or Name <address>")
    .optional(),
  /** true: this process runs no background jobs (the email worker); another process must. */
  JOBS_DISABLED: z.stringbool({ error: "must be true or false" }).default(false),
  // ── end email and background jobs ────────────────────────────────────────────────────────────

  /**
   * 1: the launcher (`npm start`, `npm run dev`) is running the demo clinic it seeded, and the
   * sign-in page lists the demo accounts and their password. Set by the launcher, not in .env.
   */
  CAREBILL_DEMO: z
    .enum(["0", "1"], { message: "must be 1 or 0" })
    .default("0")
    .transform((value) => value === "1"),
});

export type TServerEnv = z.infer<typeof ZServerEnv>;

export class EnvError extends Error {
  constructor(readonly issues: { name: string; message: string }[]) {
    super("Invalid environment:\n" + issues.map((issue) => `  ${issue.name}: ${issue.message}`).join("\n"));
    this.name = "EnvError";
  }
}

/** Empty strings count as unset, so `FOO=` in a .env file means "use the default". */
function withoutEmptyValues(source: Record<string, string | undefined>) {
  return Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value !== ""));
}

export function parseEnv<T extends z.ZodType>(schema: T, source: Record<string, string | undefined>): z.infer<T> {
  const result = schema.safeParse(withoutEmptyValues(source));
  if (!result.success) {
    throw new EnvError(
      result.error.issues.map((issue) => ({
        name: issue.path.join(".") || "(env)",
        message: issue.code === "invalid_type" && issue.message.includes("undefined") ? "is required but not set" : issue.message,
      })),
    );
  }
  return result.data;
}

let cached: TServerEnv | undefined;
const cachedVariables = new Map<keyof TServerEnv, { raw: string | undefined; value: unknown }>();

/**
 * One variable, parsed by its entry in ZServerEnv alone and read from process.env on each call
 * (parsed once per value): for code that also runs where the rest of the environment need not be
 * valid (the logger in scripts, the proxy on every page) or whose variable tests change as they
 * run. A malformed value throws an EnvError naming it; unset or empty gives the default.
 */
export function readEnvVar<K extends keyof TServerEnv>(name: K): TServerEnv[K] {
  const raw = process.env[name];
  const hit = cachedVariables.get(name);
  if (hit && hit.raw === raw) return hit.value as TServerEnv[K];
  const parsed: Record<string, unknown> = parseEnv(z.object({ [name]: ZServerEnv.shape[name] }), { [name]: raw });
  const value = parsed[name] as TServerEnv[K];
  cachedVariables.set(name, { raw, value });
  return value;
}

/** The app's parsed environment, read once. A bad variable throws an EnvError naming it. */
export function getEnv(): TServerEnv {
  cached ??= parseEnv(ZServerEnv, process.env);
  return cached;
}
