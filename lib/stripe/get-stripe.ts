import Stripe from "stripe";
import { EnvError, getEnv, type TServerEnv } from "@/lib/env";

/**
 * Where the server's Stripe calls go. This is the one place in the app that knows the Stripe
 * emulator exists: with STRIPE_EMULATOR_URL set (the launcher sets it in demo mode), the same
 * `stripe` SDK is pointed at the local emulator instead of api.stripe.com.
 */
export type StripeConnection = { kind: "stripe"; secretKey: string } | { kind: "emulator"; secretKey: string; host: string; port: number };

/** The API version every request uses: the one the bundled SDK's types describe. */
export const STRIPE_API_VERSION = "2026-10-28.endive" satisfies Stripe.LatestApiVersion;

export function resolveStripeConnection(env: Pick<TServerEnv, "STRIPE_SECRET_KEY" | "STRIPE_EMULATOR_URL">): StripeConnection {
  const secretKey = env.STRIPE_SECRET_KEY;
  if (!secretKey) {
    throw new EnvError([
      { name: "STRIPE_SECRET_KEY", message: "is required to take payments (or start Carebill with `npm start` to use the Stripe emulator)" },
    ]);
  }
  if (!env.STRIPE_EMULATOR_URL) return { kind: "stripe", secretKey };
  // Never send a live (or restricted) key anywhere but Stripe.
  if (!secretKey.startsWith("sk_test_")) {
    throw new EnvError([{ name: "STRIPE_SECRET_KEY", message: "must be an sk_test_ key when STRIPE_EMULATOR_URL is set (the emulator refuses live keys)" }]);
  }
  const url = new URL(env.STRIPE_EMULATOR_URL);
  return { kind: "emulator", secretKey, host: url.hostname.replace(/^\[(.*)\]$/, "$1"), port: Number(url.port) };
}

export function createStripeClient(connection: StripeConnection): Stripe {
  const config: Stripe.StripeConfig = {
    apiVersion: STRIPE_API_VERSION,
    typescript: true,
    appInfo: { name: "Carebill" },
    // Retries reuse our idempotency keys, so a retried create never creates twice.
    maxNetworkRetries: 2,
    timeout: 20_000,
  };
  if (connection.kind === "stripe") return new Stripe(connection.secretKey, config);
  return new Stripe(connection.secretKey, { ...config, host: connection.host, port: connection.port, protocol: "http", telemetry: false });
}

const globalForStripe = globalThis as unknown as { carebillStripe?: Stripe };

/**
 * The app's one Stripe client, configured from the environment on first use (real Stripe, or
 * the emulator when STRIPE_EMULATOR_URL is set) and kept on globalThis across dev reloads.
 * Throws an EnvError naming the variable when Stripe is not configured.
 */
export function getStripe(): Stripe {
  globalForStripe.carebillStripe ??= createStripeClient(resolveStripeConnection(getEnv()));
  return globalForStripe.carebillStripe;
}
