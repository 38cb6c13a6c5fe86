import pino from "pino";
import { describe, expect, it } from "vitest";
import { prepareRuntime } from "./prepare-runtime";

describe("prepareRuntime", () => {
  it("refuses to start in production without the secrets it would otherwise generate", async () => {
    await expect(prepareRuntime({ source: { NODE_ENV: "production" }, log: pino({ level: "silent" }) })).rejects.toThrow(
      /AUTH_SECRET: is required when NODE_ENV=production[\s\S]*PAYMENT_LINK_SECRET: is required[\s\S]*DATABASE_URL: is required when NODE_ENV=production/,
    );
  });
});
