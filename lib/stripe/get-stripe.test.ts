import { describe, expect, it } from "vitest";
import { EnvError, parseEnv, ZServerEnv } from "@/lib/env";
import { createStripeClient, resolveStripeConnection } from "./get-stripe";

describe("which Stripe the server talks to", () => {
  it("talks to Stripe when no emulator is configured", () => {
    expect(resolveStripeConnection({ STRIPE_SECRET_KEY: "sk_live_abc" })).toEqual({ kind: "stripe", secretKey: "sk_live_abc" });
    expect(resolveStripeConnection({ STRIPE_SECRET_KEY: "sk_test_abc" })).toEqual({ kind: "stripe", secretKey: "sk_test_abc" });
  });

  it("talks to the emulator at STRIPE_EMULATOR_URL with a test key", () => {
    expect(resolveStripeConnection({ STRIPE_SECRET_KEY: "sk_test_abc", STRIPE_EMULATOR_URL: "http://127.0.0.1:12111" })).toEqual({
      kind: "emulator",
      secretKey: "sk_test_abc",
      host: "127.0.0.1",
      port: 12111,
    });
    expect(resolveStripeConnection({ STRIPE_SECRET_KEY: "sk_test_abc", STRIPE_EMULATOR_URL: "http://[::1]:4000" })).toMatchObject({ host: "::1", port: 4000 });
  });

  it("never sends a live or restricted key to the emulator", () => {
    for (const key of ["sk_live_abc", "rk_test_abc", "rk_live_abc"]) {
      expect(() => resolveStripeConnection({ STRIPE_SECRET_KEY: key, STRIPE_EMULATOR_URL: "http://127.0.0.1:12111" })).toThrow(
        /STRIPE_SECRET_KEY: must be an sk_test_ key when STRIPE_EMULATOR_URL is set/,
      );
    }
  });

  it("names the missing key", () => {
    expect(() => resolveStripeConnection({})).toThrow(EnvError);
    expect(() => resolveStripeConnection({})).toThrow(/STRIPE_SECRET_KEY: is required/);
  });

  it("configures the SDK for the emulator over plain http", () => {
    const stripe = createStripeClient({ kind: "emulator", secretKey: "sk_test_abc", host: "127.0.0.1", port: 12111 });
    expect(stripe.getApiField("protocol")).toBe("http");
    expect(stripe.getApiField("host")).toBe("127.0.0.1");
    expect(stripe.getApiField("port")).toBe(12111);
  });

  it("validates the Stripe variables at startup", () => {
    const base = { DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/test", AUTH_SECRET: "x".repeat(40) };
    expect(() =>
      parseEnv(ZServerEnv, {
        ...base,
        STRIPE_SECRET_KEY: "pk_test_abc",
        STRIPE_PUBLISHABLE_KEY: "sk_test_abc",
        STRIPE_WEBHOOK_SECRET: "secret",
        STRIPE_EMULATOR_URL: "http://stripe.example.com:12111",
      }),
    ).toThrow(/STRIPE_SECRET_KEY[\s\S]*STRIPE_PUBLISHABLE_KEY[\s\S]*STRIPE_WEBHOOK_SECRET[\s\S]*STRIPE_EMULATOR_URL/);
    expect(parseEnv(ZServerEnv, base).STRIPE_SECRET_KEY).toBeUndefined();
  });
});
