import { defineConfig, devices } from "@playwright/test";

const PORT = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://localhost:${PORT}`;

/**
 * Browser tests run against a production build started the way a newcomer starts Carebill
 * (scripts/start.ts with no configuration: embedded database, generated secrets, demo clinic),
 * in Debian's Chromium.
 *
 * Budgets are sized for a slow, shared machine (2 cores running the app, its embedded database,
 * the Stripe emulator, Chromium and the runner at once, often beside other work): a page can take
 * several seconds to answer there, so a flow of a dozen pages needs minutes, not 30 s. Tests wait on
 * conditions only; a budget only says how long a healthy but busy machine may take. The longest
 * flows add `test.slow()` (three times this).
 */
export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  timeout: 120_000,
  expect: { timeout: 20_000 },
  fullyParallel: true,
  workers: 2,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-dev-shm-usage"],
    },
  },
  projects: [
    { name: "setup", testMatch: /.*\.setup\.ts/ },
    { name: "desktop", dependencies: ["setup"], use: { ...devices["Desktop Chrome"] } },
  ],
  webServer: {
    command: `rm -rf .data/e2e-${PORT} && node --import tsx scripts/start.ts build && node --import tsx scripts/start.ts start`,
    url: `${baseURL}/api/health`,
    // A production build on a busy 2-core machine: minutes (about 2 when idle, 8 with the CPU saturated).
    timeout: 900_000,
    reuseExistingServer: false,
    stdout: "ignore",
    stderr: "pipe",
    env: {
      CAREBILL_DATA_DIR: `.data/e2e-${PORT}`,
      PORT: String(PORT),
      APP_URL: baseURL,
      // The zero-configuration path: no database URL, no secrets.
      DATABASE_URL: "",
      AUTH_SECRET: "",
      // No Stripe keys: the launcher runs the Stripe emulator, on a port of this run's own.
      STRIPE_SECRET_KEY: "",
      STRIPE_EMULATOR_PORT: String(PORT + 10_000),
      LOG_LEVEL: "warn",
    },
  },
});
