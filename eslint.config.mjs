import nextCoreWebVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

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
  // ---- Data access (docs/architecture.md, "Data access") -------------------------------------
  // Raw SQL goes through the typed layer in lib/db (the `sql` tag, `sqlOf`, `pgTransaction`, and
  // lib/db/locks.ts for row locks); everything else uses the Prisma client. So Prisma's raw-query
  // methods ($queryRaw*, $executeRaw*) and the pg pool under the client (poolOf, findPool) are for
  // lib/db only. Tests, the bench and scripts may poke the database directly.
  // Flat config: a later block that sets no-restricted-syntax/no-restricted-imports for the same
  // files replaces these settings instead of adding to them; merge new selectors into this block.
  {
    files: ["**/*.{ts,tsx,mts,mjs}"],
    ignores: [
      "lib/db/**",
      "**/*.test.ts",
      "tests/**",
      "bench/**",
      "scripts/**",
      "e2e/**",
      "stripe-emulator/**",
      // Still on the old style until the money files are converted (docs/architecture.md,
      // "Converting an old call"); remove each line with its conversion.
      "lib/refunds/apply-stripe-refund.ts",
      "lib/refunds/submit-refund.ts",
      "lib/refunds/request-refund.ts",
      "lib/refunds/restore-refund-books.ts",
      "lib/refunds/record-external-refund.ts",
      "lib/payments/reconcile-payment-attempts.ts",
      "lib/payments/void-manual-payment.ts",
    ],
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
];
export default config;
