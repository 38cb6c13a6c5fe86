import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/**
 * Measurements that need the test database but are not tests (no pass/fail on time):
 *   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test npx vitest run --config bench/vitest.measure.config.ts
 */
const alias = { "@": fileURLToPath(new URL("..", import.meta.url)) };
export default defineConfig({
  resolve: { alias },
  test: {
    root: fileURLToPath(new URL("..", import.meta.url)),
    include: ["bench/**/*.measure.ts"],
    environment: "node",
    globalSetup: ["tests/global-setup.ts"],
    env: {
      LOG_LEVEL: "warn",
      AUTH_SECRET: "test-secret-test-secret-test-secret-0123",
      PAYMENT_LINK_SECRET: "test-link-secret-test-link-secret-0123",
      APP_URL: "http://localhost:3000",
    },
    testTimeout: 600_000,
    hookTimeout: 60_000,
  },
});
