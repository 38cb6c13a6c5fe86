import { describe, expect, it } from "vitest";
import { appUsesHttps, contentSecurityPolicy } from "./headers";

function directives(csp: string): Record<string, string> {
  return Object.fromEntries(csp.split("; ").map((directive) => [directive.split(" ")[0] ?? "", directive]));
}

describe("Content-Security-Policy and Stripe", () => {
  it("lets Stripe.js load, call Stripe's API and frame its Elements and 3-D Secure pages", () => {
    const csp = directives(contentSecurityPolicy({ nonce: "abc", isDev: false, https: true, stripeEmulatorUrl: "" }));
    expect(csp["script-src"]).toBe("script-src 'self' 'nonce-abc' 'strict-dynamic' https://js.stripe.com");
    expect(csp["connect-src"]).toBe("connect-src 'self' https://api.stripe.com");
    expect(csp["frame-src"]).toBe("frame-src 'self' https://js.stripe.com https://hooks.stripe.com");
    expect(csp["frame-ancestors"]).toBe("frame-ancestors 'none'");
  });

  it("in an emulator build, also lets the page call the emulator and frame its 3-D Secure page", () => {
    const csp = directives(contentSecurityPolicy({ nonce: "abc", isDev: false, https: false, stripeEmulatorUrl: "http://127.0.0.1:12111/" }));
    expect(csp["connect-src"]).toBe("connect-src 'self' https://api.stripe.com http://127.0.0.1:12111");
    expect(csp["frame-src"]).toBe("frame-src 'self' https://js.stripe.com https://hooks.stripe.com http://127.0.0.1:12111");
    expect(csp["script-src"]).not.toContain("127.0.0.1");
  });
});

describe("appUsesHttps", () => {
  it("follows APP_URL (lib/env.ts), re-read on each call", () => {
    const before = process.env.APP_URL;
    try {
      process.env.APP_URL = "https://billing.clinic.example";
      expect(appUsesHttps()).toBe(true);
      process.env.APP_URL = "http://localhost:3000";
      expect(appUsesHttps()).toBe(false);
      delete process.env.APP_URL;
      expect(appUsesHttps()).toBe(false);
    } finally {
      if (before === undefined) delete process.env.APP_URL;
      else process.env.APP_URL = before;
    }
  });
});
