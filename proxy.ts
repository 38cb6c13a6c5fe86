import { NextResponse, type NextRequest } from "next/server";
import { appUsesHttps, baseSecurityHeaders, contentSecurityPolicy, requestIdFrom } from "@/lib/security/headers";

/**
 * Runs before pages (and next-auth's endpoints): gives the request an id (echoed on the response
 * and used by every log line), a CSP nonce, and security headers. Authorization is NOT done here:
 * each page, action and route handler checks the session itself.
 *
 * Our own route handlers under /api/ are left out (see `config.matcher`): `route()` gives them their
 * request id and security headers itself. Running the proxy cost each API request ~0.8 ms on the
 * one Node thread (health route 415 → 622 req/s without it; bench/README.md).
 */
export function proxy(request: NextRequest) {
  const requestId = requestIdFrom(request.headers.get("x-request-id"));
  const https = appUsesHttps();
  const { pathname } = request.nextUrl;
  const isPage = !pathname.startsWith("/api/");
  const nonce = isPage ? btoa(crypto.randomUUID()) : undefined;
  const csp = nonce ? contentSecurityPolicy({ nonce, isDev: process.env.NODE_ENV === "development", https }) : undefined;

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-request-id", requestId);
  requestHeaders.set("x-pathname", request.nextUrl.pathname + request.nextUrl.search);
  if (nonce && csp) {
    requestHeaders.set("x-nonce", nonce);
    // Next reads the nonce from this request header and puts it on its own script tags.
    requestHeaders.set("content-security-policy", csp);
  }

  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("X-Request-Id", requestId);
  for (const [name, value] of Object.entries(baseSecurityHeaders({ https }))) response.headers.set(name, value);
  if (csp) response.headers.set("Content-Security-Policy", csp);
  return response;
}

export const config = {
  // Pages, plus next-auth's handler (it reads the request id for its audit events). Not our other
  // /api/ routes (route() does this for them) nor /_next/ files (next.config.ts headers()).
  matcher: ["/((?!api/|_next/).*)", "/api/auth/:path*"],
};
