import { describe, expect, it } from "vitest";
import { EnvError, parseEnv, ZServerEnv } from "./env";

const valid = { DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/test", AUTH_SECRET: "x".repeat(40) };

describe("environment", () => {
  it("parses a valid environment with defaults", () => {
    const env = parseEnv(ZServerEnv, valid);
    expect(env).toMatchObject({ APP_URL: "http://localhost:3000", LOG_LEVEL: "info", DATABASE_POOL_SIZE: 10 });
  });

  it("names every bad variable", () => {
    const error = (() => {
      try {
        parseEnv(ZServerEnv, { DATABASE_URL: "mysql://nope", AUTH_SECRET: "short", LOG_LEVEL: "loud", DATABASE_POOL_SIZE: "many" });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(EnvError);
    expect((error as EnvError).issues.map((issue) => issue.name).sort()).toEqual(["AUTH_SECRET", "DATABASE_POOL_SIZE", "DATABASE_URL", "LOG_LEVEL"]);
    expect((error as EnvError).message).toContain("AUTH_SECRET: must be at least 32 characters");
  });

  it("says a required variable is not set", () => {
    expect(() => parseEnv(ZServerEnv, { DATABASE_URL: valid.DATABASE_URL })).toThrow(/AUTH_SECRET: is required but not set/);
  });
});
