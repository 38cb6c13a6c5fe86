import nextCoreWebVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";
import { fileURLToPath } from "node:url";

// ── Boundaries: product code vs the machinery that runs it (issue 14, arch/platform) ──────────────
// Product code (lib/, app/, components/, proxy.ts, instrumentation.ts) imports nothing from
// stripe-emulator/ (a local Stripe and its browser stand-in for Stripe.js) except the two switches
// that choose real Stripe or the emulator, and nothing from platform/ (launcher, embedded database,
// demo data, test SMTP) except the sign-in page's list of demo accounts. Tests may use the emulator
// and platform's test servers. Paths are resolved (aliases, relative paths, dynamic import()).
// A later block that sets import/no-restricted-paths for the same files replaces these zones (flat
// config does not merge a rule's options): add other zones here instead.
const boundaryBase = fileURLToPath(new URL(".", import.meta.url));
const productCode = ["lib/**", "app/**", "components/**", "proxy.ts", "instrumentation.ts"];
const productTests = ["lib/**/*.test.ts", "lib/**/*.test.tsx", "app/**/*.test.ts", "app/**/*.test.tsx", "components/**/*.test.ts", "components/**/*.test.tsx"];
const stripeSwitches = ["lib/stripe/get-stripe.ts", "lib/stripe/client/get-stripe.ts"];
const demoAccountsPage = ["app/login/page.tsx"];
const noStripeEmulator = {
  target: "./",
  from: "./stripe-emulator",
  message: "Only lib/stripe/get-stripe.ts and lib/stripe/client/get-stripe.ts may load the Stripe emulator or its browser stand-in.",
};
const noPlatform = (except = []) => ({
  target: "./",
  from: "./platform",
  except,
  message: "platform/ runs the app (launcher, embedded database, demo data, test servers); product code must not depend on it.",
});
const boundaries = (...zones) => ({ "import/no-restricted-paths": ["error", { basePath: boundaryBase, zones }] });
const boundaryRules = [
  { files: productCode, ignores: [...productTests, ...stripeSwitches, ...demoAccountsPage], rules: boundaries(noStripeEmulator, noPlatform()) },
  { files: stripeSwitches, rules: boundaries(noPlatform()) },
  // The sign-in page lists the demo accounts when the launcher runs the demo (CAREBILL_DEMO).
  { files: demoAccountsPage, rules: boundaries(noStripeEmulator, noPlatform(["./demo/demo-accounts.ts"])) },
  // Tests of lib/ run against platform's embedded database and test SMTP server.
  { files: productTests, rules: boundaries(noPlatform(["./embedded-db", "./test-smtp"])) },
];
// ── end boundaries ────────────────────────────────────────────────────────────────────────────────

const config = [
  { ignores: [".next/**", "node_modules/**", "lib/db/generated/**", ".data/**", "test-results/**", "playwright-report/**", "next-env.d.ts"] },
  ...nextCoreWebVitals,
  ...nextTypescript,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-definitions": ["error", "type"],
    },
  },
  ...boundaryRules,
];
export default config;
