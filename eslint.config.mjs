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

// ─── Layer boundaries (issue 14) ──────────────────────────────────────────────────────────────
// components/ is presentational: it gets data and actions from the route that renders it, and
// server actions from lib/actions; it never reaches into routes (app/) or the database (lib/db,
// type-only imports included: each domain exports its own types from lib/<domain>/*.types.ts).
// lib/ is below both: it never imports routes (app/) or UI (components/); only its integration
// tests may call a route handler. Relative paths are caught as well as the @/ alias.
// Uses the typescript-eslint variant of no-restricted-imports so that other blocks may use the
// core rule for other files or imports without replacing these options (a rule's options are
// not merged across config entries: a later entry for the same files replaces an earlier one).
const importOf = (folder) => `^(@/|(\\.\\./)+)${folder}(/|$)`;
const noAppImports = (message) => ({ regex: importOf("app"), message });
const noComponentImports = { regex: importOf("components"), message: "lib/ is below the UI: move what components/ and lib/ share into lib/." };
const layerBoundaries = [
  {
    files: ["components/**/*.{ts,tsx}"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            noAppImports("components/ is presentational: the page or its _components/ folder loads data and passes it in; server actions live in lib/actions."),
            {
              regex: importOf("lib/db"),
              message: "components/ never touches the database: load data in the route (app/), and import types from lib/<domain>/*.types.ts.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["lib/**/*.{ts,tsx}"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        { patterns: [noAppImports("lib/ is below the routes: move what app/ and lib/ share into lib/."), noComponentImports] },
      ],
    },
  },
  {
    // Integration tests beside domain code may drive a route end to end (lib/payments/captures.test.ts).
    files: ["lib/**/*.test.{ts,tsx}"],
    rules: { "@typescript-eslint/no-restricted-imports": ["error", { patterns: [noComponentImports] }] },
  },
];
// ─── end of layer boundaries ──────────────────────────────────────────────────────────────────

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
  ...layerBoundaries,
  // ---- Data access (docs/architecture.md, "Data access") -------------------------------------
  // Raw SQL goes through the typed layer in lib/db (the `sql` tag, `sqlOf`, `pgTransaction`, and
  // lib/db/locks.ts for row locks); everything else uses the Prisma client. So Prisma's raw-query
  // methods ($queryRaw*, $executeRaw*) and the pg pool under the client (poolOf, findPool) are for
  // lib/db only. Tests, the bench and scripts may poke the database directly.
  // Flat config: a later block that sets no-restricted-syntax/no-restricted-imports for the same
  // files replaces these settings instead of adding to them; merge new selectors into this block.
  {
    files: ["**/*.{ts,tsx,mts,mjs}"],
    ignores: ["lib/db/**", "**/*.test.ts", "tests/**", "bench/**", "scripts/**", "e2e/**", "stripe-emulator/**", "platform/**"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "MemberExpression[property.name=/^\\$(queryRaw|executeRaw)/]",
          message: "Raw SQL outside lib/db: use sqlOf(tx).query(sql`…`) from @/lib/db/sql (row locks: @/lib/db/locks), or the Prisma client.",
        },
      ],
      "no-restricted-imports": [
        "error",
        {
          paths: [
            {
              name: "@/lib/db/client",
              importNames: ["poolOf", "findPool"],
              message: "The pg pool is lib/db's: use pgTransaction(db, …) or sqlOf(db) from @/lib/db/sql.",
            },
          ],
        },
      ],
    },
  },
  ...boundaryRules,
];
export default config;
