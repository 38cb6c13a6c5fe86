import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

const alias = { "@": fileURLToPath(new URL(".", import.meta.url)) };

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "app",
          include: [
            "lib/**/*.test.ts",
            "app/**/*.test.ts",
            "platform/**/*.test.ts",
            "scripts/**/*.test.ts",
            "tests/**/*.test.ts",
            "clearinghouse-emulator/**/*.test.ts",
            "components/**/*.test.ts",
          ],
          environment: "node",
          globalSetup: ["tests/global-setup.ts"],
          env: {
            LOG_LEVEL: "warn",
            AUTH_SECRET: "test-secret-test-secret-test-secret-0123",
            PAYMENT_LINK_SECRET: "test-link-secret-test-link-secret-0123",
            APP_URL: "http://localhost:3000",
          },
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: "stripe-emulator",
          include: ["stripe-emulator/**/*.test.ts"],
          environment: "node",
          testTimeout: 30_000,
        },
      },
    ],
  },
});
