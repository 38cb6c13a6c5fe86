import { defineConfig } from "@playwright/test";
import main from "../playwright.config";

/**
 * Runs e2e/stripe-elements.spec.ts alone, without building and starting the app (the spec
 * serves its own page): `npx playwright test -c e2e/stripe-elements.config.ts`. The main
 * config runs it too, with the rest of the suite.
 */
export default defineConfig({
  testDir: ".",
  testMatch: "stripe-elements.spec.ts",
  outputDir: "../test-results/stripe-elements",
  timeout: main.timeout,
  expect: main.expect,
  fullyParallel: true,
  workers: 2,
  reporter: [["list"]],
  use: { launchOptions: main.use?.launchOptions },
});
