import { randomBytes } from "node:crypto";
import { join } from "node:path";
import type { Logger } from "pino";
import { z } from "zod";
import { EnvError } from "@/lib/env";
import { loadOrCreateDemoSecrets } from "./demo-secrets";
import { startEmulatorProcess } from "./stripe-emulator-process";

/** Which Stripe the app uses, decided by the launcher from the environment. */
export type StripeMode = { kind: "emulator"; port: number; url: string; keys: "demo" | "configured" } | { kind: "stripe"; live: boolean } | { kind: "none" };

const DEFAULT_STRIPE_EMULATOR_PORT = 12111;

const ZLauncherStripeEnv = z.object({
  STRIPE_EMULATOR: z.enum(["0", "1"], { message: "must be 1 (use the emulator) or 0 (never)" }).optional(),
  STRIPE_EMULATOR_PORT: z.coerce.number().int().min(1).max(65535).default(DEFAULT_STRIPE_EMULATOR_PORT),
});

/**
 * The emulator runs when no real Stripe is configured: no `STRIPE_SECRET_KEY`, or an
 * `sk_test_` key together with `STRIPE_EMULATOR=1`. Never with NODE_ENV=production.
 */
export function resolveStripeMode(source: Record<string, string | undefined>): StripeMode {
  const parsed = ZLauncherStripeEnv.safeParse({
    STRIPE_EMULATOR: source.STRIPE_EMULATOR || undefined,
    STRIPE_EMULATOR_PORT: source.STRIPE_EMULATOR_PORT || undefined,
  });
  if (!parsed.success) {
    throw new EnvError(parsed.error.issues.map((issue) => ({ name: String(issue.path[0]), message: issue.message })));
  }
  const { STRIPE_EMULATOR: emulatorSwitch, STRIPE_EMULATOR_PORT: port } = parsed.data;
  const secretKey = source.STRIPE_SECRET_KEY || undefined;
  if (source.NODE_ENV === "production") {
    if (emulatorSwitch === "1") throw new EnvError([{ name: "STRIPE_EMULATOR", message: "cannot be 1 when NODE_ENV=production" }]);
    return secretKey ? { kind: "stripe", live: secretKey.includes("_live_") } : { kind: "none" };
  }
  const emulator = { kind: "emulator" as const, port, url: `http://127.0.0.1:${port}` };
  if (!secretKey) return emulatorSwitch === "0" ? { kind: "none" } : { ...emulator, keys: "demo" };
  if (emulatorSwitch !== "1") return { kind: "stripe", live: secretKey.includes("_live_") };
  if (!secretKey.startsWith("sk_test_")) {
    throw new EnvError([{ name: "STRIPE_SECRET_KEY", message: "must be an sk_test_ key with STRIPE_EMULATOR=1 (the emulator refuses live keys)" }]);
  }
  return { ...emulator, keys: "configured" };
}

/**
 * What `next build` and `next dev` must see: the browser bundle decides at build time whether
 * it contains the emulator's Stripe.js stand-in (lib/stripe/client/get-stripe.ts). Always set,
 * empty when not emulating, so the bundler can drop the stand-in.
 */
export function stripeBuildEnv(mode: StripeMode): { NEXT_PUBLIC_STRIPE_EMULATOR_URL: string } {
  return { NEXT_PUBLIC_STRIPE_EMULATOR_URL: mode.kind === "emulator" ? mode.url : "" };
}

export type StripeRuntime = {
  /** Variables for the Next.js process. */
  env: Record<string, string>;
  /** Stops the emulator if one runs; with `leaveEmulatorRunning` (the app crashed) leaves it running for the next start. */
  stop(options?: { leaveEmulatorRunning?: boolean }): Promise<void>;
};

const randomAlphanumeric = (length: number) => randomBytes(length).toString("hex").slice(0, length);

/**
 * Starts the emulator when the mode says so (keys generated once under the data dir, state in
 * `<dataDir>/stripe-emulator.json`, webhooks to `<appUrl>/api/webhooks/stripe`) and returns the
 * Stripe variables for the app. Logs which Stripe is in use, never a key.
 */
export async function startStripeRuntime(options: {
  mode: StripeMode;
  source: Record<string, string | undefined>;
  dataDir: string;
  appUrl: string;
  log: Logger;
}): Promise<StripeRuntime> {
  const { mode, source, dataDir, log } = options;
  const buildEnv = stripeBuildEnv(mode);
  if (mode.kind === "none") {
    log.warn("Stripe is not configured (STRIPE_SECRET_KEY unset): online payments are unavailable");
    return { env: { ...buildEnv, STRIPE_EMULATOR_URL: "" }, stop: async () => undefined };
  }
  if (mode.kind === "stripe") {
    log.info({ stripe: mode.live ? "live" : "test" }, `Stripe: api.stripe.com in ${mode.live ? "LIVE" : "test"} mode`);
    if (!source.STRIPE_PUBLISHABLE_KEY || !source.STRIPE_WEBHOOK_SECRET) {
      log.warn("STRIPE_PUBLISHABLE_KEY and STRIPE_WEBHOOK_SECRET should be set with STRIPE_SECRET_KEY: the pay page and webhooks need them");
    }
    return { env: { ...buildEnv, STRIPE_EMULATOR_URL: "" }, stop: async () => undefined };
  }

  const demo = await loadOrCreateDemoSecrets(dataDir, ["STRIPE_EMULATOR_SECRET_KEY", "STRIPE_EMULATOR_WEBHOOK_SECRET"], {
    STRIPE_EMULATOR_SECRET_KEY: () => `sk_test_demo${randomAlphanumeric(24)}`,
    STRIPE_EMULATOR_WEBHOOK_SECRET: () => `whsec_demo${randomAlphanumeric(32)}`,
  });
  const secretKey = mode.keys === "configured" && source.STRIPE_SECRET_KEY ? source.STRIPE_SECRET_KEY : demo.STRIPE_EMULATOR_SECRET_KEY;
  // The emulator lets pk_test_X act on sk_test_X's objects, so the pair must share its suffix.
  const publishableKey = `pk_test_${secretKey.slice("sk_test_".length)}`;
  if (source.STRIPE_PUBLISHABLE_KEY && source.STRIPE_PUBLISHABLE_KEY !== publishableKey) {
    log.warn("STRIPE_PUBLISHABLE_KEY ignored: with the emulator it is derived from STRIPE_SECRET_KEY");
  }
  const webhookSecret = source.STRIPE_WEBHOOK_SECRET || demo.STRIPE_EMULATOR_WEBHOOK_SECRET;
  const stateFile = join(dataDir, "stripe-emulator.json");
  const webhookUrl = new URL("/api/webhooks/stripe", options.appUrl).toString();
  const emulator = await startEmulatorProcess({ port: mode.port, stateFile, webhook: { url: webhookUrl, secret: webhookSecret }, log });
  log.info(
    { stripe: "emulator", url: emulator.url, stateFile, webhookUrl },
    `Stripe: the local emulator at ${emulator.url} (test mode, ${mode.keys === "demo" ? "demo keys" : "your sk_test_ key"}); test card 4242 4242 4242 4242`,
  );
  return {
    env: {
      ...buildEnv,
      STRIPE_EMULATOR_URL: emulator.url,
      STRIPE_SECRET_KEY: secretKey,
      STRIPE_PUBLISHABLE_KEY: publishableKey,
      STRIPE_WEBHOOK_SECRET: webhookSecret,
    },
    stop: async (stopOptions) => {
      if (stopOptions?.leaveEmulatorRunning) emulator.leaveRunning();
      else await emulator.stop();
    },
  };
}
