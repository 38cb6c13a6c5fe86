import { describe, expect, it } from "vitest";
import { safeRedirectPath } from "./safe-redirect-path";

/** Values a `callbackUrl` may carry (as the page receives it, i.e. after one URL decoding) that must not leave the site. */
const KNOWN_BYPASSES = [
  "/\\evil.example/x", // ?callbackUrl=/%5Cevil.example/x
  "/%5Cevil.example/x", // ?callbackUrl=/%255Cevil.example/x
  "/%255Cevil.example/x",
  "\\\\evil.example",
  "\\/evil.example",
  "/\\/evil.example",
  "//evil.example",
  "///evil.example",
  "////evil.example/x",
  "/%2F%2Fevil.example",
  "/%2f/evil.example",
  "%2F%2Fevil.example",
  "/%252F%252Fevil.example",
  "/\t/evil.example",
  "/\n/evil.example",
  "/\r\n/evil.example",
  "/%09/evil.example",
  "/%0d%0a/evil.example",
  "/.//evil.example",
  "/..//evil.example",
  "/app/..//evil.example",
  "/%2e%2e//evil.example",
  "https://evil.example",
  "HTTPS://evil.example/app",
  "http:evil.example",
  "http:/evil.example",
  "https:\\\\evil.example",
  "javascript:alert(1)",
  "JaVaScRiPt:alert(1)",
  "java\tscript:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "evil.example",
  "@evil.example",
  " //evil.example",
  "/%",
  "%E0%A4%A",
  "/" + "%25".repeat(8) + "5Cevil.example",
];

describe("safeRedirectPath", () => {
  it.each(KNOWN_BYPASSES)("refuses %j", (value) => {
    expect(safeRedirectPath(value)).toBe("/app");
  });

  it.each([
    ["/app", "/app"],
    ["/app/patients?search=Smith&status=open", "/app/patients?search=Smith&status=open"],
    ["/app/patients?search=a%20b", "/app/patients?search=a%20b"],
    ["/app/invoices/6a1e0f4e-2f44-4c53-9b58-1f5d2a3f9a10#lines", "/app/invoices/6a1e0f4e-2f44-4c53-9b58-1f5d2a3f9a10#lines"],
    ["/app/./settings/../settings/users", "/app/settings/users"],
    ["/app/patients?search=%2F%2Fnot-a-host", "/app/patients?search=%2F%2Fnot-a-host"],
  ])("keeps the same-site path %j", (value, expected) => {
    expect(safeRedirectPath(value)).toBe(expected);
  });

  it("uses the fallback for a missing value and the first of several", () => {
    expect(safeRedirectPath(undefined)).toBe("/app");
    expect(safeRedirectPath("", "/select-organization")).toBe("/select-organization");
    expect(safeRedirectPath(["/app/payments", "//evil.example"])).toBe("/app/payments");
  });
});
