import type { NextRequest } from "next/server";
import type { Logger } from "pino";
import { requireAuth, type AuthContext } from "@/lib/auth/session";
import type { Role } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";
import { requestLogger } from "@/lib/observability/logger";
import { metrics } from "@/lib/observability/metrics";
import { appUsesHttps, baseSecurityHeaders, requestIdFrom } from "@/lib/security/headers";
import { clientIpFromHeaders } from "./client-ip";
import { errorResponse } from "./error-response";

export type RequestContext<P> = { requestId: string; log: Logger; ip: string | null; params: P };
type NextRouteContext<P> = { params: Promise<P> };

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Wraps a route handler: request id (the caller's X-Request-Id when it is a plausible id), a logger
 * that carries it, metrics, the one mapping of thrown errors to HTTP responses, and the security
 * headers every response carries (the proxy does not run for /api/ routes). `name` is the route
 * pattern used as the metrics label.
 */
export function route<P = Record<string, never>>(name: string, handler: (request: NextRequest, context: RequestContext<P>) => Promise<Response>) {
  return async (request: NextRequest, routeContext: NextRouteContext<P>): Promise<Response> => {
    const requestId = requestIdFrom(request.headers.get("x-request-id"));
    const log = requestLogger(requestId);
    const stopTimer = metrics.httpDuration.startTimer({ route: name, method: request.method });
    let response: Response;
    try {
      const params = routeContext?.params ? await routeContext.params : ({} as P);
      response = await handler(request, { requestId, log, ip: clientIpFromHeaders(request.headers), params });
    } catch (error) {
      response = errorResponse(error, { requestId, log });
    }
    response.headers.set("X-Request-Id", requestId);
    for (const [header, value] of Object.entries(baseSecurityHeaders({ https: appUsesHttps() }))) response.headers.set(header, value);
    stopTimer();
    metrics.httpRequests.inc({ route: name, method: request.method, status: String(response.status) });
    return response;
  };
}

/**
 * Cookie-authenticated writes must come from our own pages: a cross-site form or script cannot
 * set a matching Origin (CSRF). Browsers always send Origin on POST/PATCH/DELETE.
 */
function assertSameOrigin(request: NextRequest) {
  const origin = request.headers.get("origin");
  if (origin === null) return; // non-browser clients; they cannot ride a victim's cookies
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    throw new AppError("FORBIDDEN", "Cross-site request refused.");
  }
  if (originHost !== host) throw new AppError("FORBIDDEN", "Cross-site request refused.");
}

/** `route` plus a session with at least `role`: 401 without a session, 403 with too low a role. */
export function withAuth<P = Record<string, never>>(
  name: string,
  options: { role: Role },
  handler: (request: NextRequest, context: RequestContext<P> & { auth: AuthContext }) => Promise<Response>,
) {
  return route<P>(name, async (request, context) => {
    if (!SAFE_METHODS.has(request.method)) assertSameOrigin(request);
    const session = await requireAuth(options.role);
    // The proxy does not run for /api/ routes: audit events carry this request's id from route().
    const auth = { ...session, actor: { ...session.actor, requestId: context.requestId } };
    return handler(request, { ...context, auth });
  });
}
