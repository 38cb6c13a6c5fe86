import type { Stripe, StripeConstructorOptions } from "@stripe/stripe-js";
import { loadStripe } from "@stripe/stripe-js/pure";

const loaded = new Map<string, Promise<Stripe | null>>();

async function load(publishableKey: string, options: StripeConstructorOptions | undefined): Promise<Stripe | null> {
  if (typeof window === "undefined") return null;
  // Inlined at build time. In a build without it this branch is dead code, so the bundler
  // drops it and the stand-in with it: production bundles never contain the emulator. This is
  // the one client module allowed to import stripe-emulator/ (eslint.config.mjs).
  if (process.env.NEXT_PUBLIC_STRIPE_EMULATOR_URL) {
    const { installEmulatorStandIn } = await import("@/stripe-emulator/browser/stand-in");
    installEmulatorStandIn(process.env.NEXT_PUBLIC_STRIPE_EMULATOR_URL);
  }
  return loadStripe(publishableKey, options);
}

/**
 * Stripe.js for `<Elements stripe={getStripe(publishableKey)}>`: the real one from
 * js.stripe.com, or, in a build made for the Stripe emulator (the launcher sets
 * NEXT_PUBLIC_STRIPE_EMULATOR_URL for `next build` and `next dev`), a local stand-in that talks
 * to the emulator and loads nothing from stripe.com (stripe-emulator/browser/stand-in.ts).
 * Resolves to null on the server.
 *
 * Memoized per key and options, so every render passes the same promise to `<Elements>`.
 * Imports the `pure` entry of @stripe/stripe-js, which, unlike the default entry, does not
 * inject js.stripe.com as a side effect of being imported.
 */
export function getStripe(publishableKey: string, options?: StripeConstructorOptions): Promise<Stripe | null> {
  const cacheKey = `${publishableKey}:${JSON.stringify(options ?? {})}`;
  let promise = loaded.get(cacheKey);
  if (!promise) {
    promise = load(publishableKey, options);
    loaded.set(cacheKey, promise);
  }
  return promise;
}
