import { describe, expect, it } from "vitest";
import { EnvError, parseEnv, readEnvVar, ZServerEnv } from "./env";

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

describe("readEnvVar", () => {
  function withVariable<T>(name: string, value: string | undefined, run: () => T): T {
    const before = process.env[name];
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
    try {
      return run();
    } finally {
      if (before === undefined) delete process.env[name];
      else process.env[name] = before;
    }
  }

  it("parses one variable by its schema entry, re-reading it when it changes; unset or empty gives the default", () => {
    expect(withVariable("APP_URL", "https://billing.clinic.example", () => readEnvVar("APP_URL"))).toBe("https://billing.clinic.example");
    expect(withVariable("APP_URL", undefined, () => readEnvVar("APP_URL"))).toBe("http://localhost:3000");
    expect(withVariable("CAREBILL_DEMO", "1", () => readEnvVar("CAREBILL_DEMO"))).toBe(true);
    expect(withVariable("CAREBILL_DEMO", "", () => readEnvVar("CAREBILL_DEMO"))).toBe(false);
    expect(withVariable("TRUSTED_PROXIES", "loopback", () => readEnvVar("TRUSTED_PROXIES"))).toHaveLength(2);
  });

  it("names a malformed variable, without needing the rest of the environment", () => {
    withVariable("AUTH_SECRET", undefined, () => {
      withVariable("LOG_LEVEL", "loud", () => expect(() => readEnvVar("LOG_LEVEL")).toThrow(/LOG_LEVEL: Invalid option/));
      withVariable("CAREBILL_DEMO", "yes", () => expect(() => readEnvVar("CAREBILL_DEMO")).toThrow(/CAREBILL_DEMO: must be 1 or 0/));
    });
  });
});
