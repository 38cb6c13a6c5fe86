import { NextResponse, type NextRequest } from "next/server";
import type { z } from "zod";
import type { AuditActor } from "@/lib/audit/record-audit-event";
import { authenticateApiKey, type ApiKeyPrincipal } from "@/lib/api-keys/authenticate-api-key";
import { getDb, type Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { zodFieldErrors } from "./error-response";
import { requestFingerprint, withIdempotency } from "./idempotency";
import { readBodyText, readJsonBody } from "./request-body";
import { route, type RequestContext } from "./route";

export type ApiContext<P> = RequestContext<P> & {
  db: Db;
  principal: ApiKeyPrincipal;
  actor: AuditActor;
  /**
   * True when this request retries, with the same Idempotency-Key, a request that died while
   * running: its effect may already be there, and the handler answers from that state.
   */
  resumed: boolean;
};

/**
 * A REST API route: bearer API key → organization, the key's audit actor, and for POST an
 * optional Idempotency-Key (same key and body → the stored response; other body or still
 * running → 409; a request that died is taken over by its retry: lib/http/idempotency.ts). Handlers return `{ status, body }`, serialized as JSON, or a Response for files.
 */
export function apiRoute<P = Record<string, never>>(
  name: string,
  handler: (request: NextRequest, context: ApiContext<P>) => Promise<{ status: number; body: unknown } | Response>,
) {
  return route<P>(name, async (request, context) => {
    const header = request.headers.get("authorization") ?? "";
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const db = await getDb();
    const principal = match ? await authenticateApiKey(db, match[1]!) : null;
    if (!principal) {
      const response = NextResponse.json(
        { error: { code: "UNAUTHORIZED", message: "Send a valid API key: Authorization: Bearer cb_…" } },
        { status: 401, headers: { "WWW-Authenticate": 'Bearer realm="carebill"' } },
      );
      return response;
    }
    const actor: AuditActor = { userId: null, apiKeyId: principal.apiKeyId, label: `api-key:${principal.name}`, ip: context.ip, requestId: context.requestId };
    const apiContext: ApiContext<P> = { ...context, db, principal, actor, resumed: false };
    const idempotencyKey = request.headers.get("idempotency-key");

    if (request.method === "POST" && idempotencyKey !== null) {
      // Buffer the body once (at most 1 MB, else 413): it is both fingerprinted and parsed.
      const bodyText = await readBodyText(request);
      const replayable = new Request(request.url, { method: request.method, headers: request.headers, body: bodyText }) as NextRequest;
      const result = await withIdempotency(
        db,
        { organizationId: principal.organizationId, key: idempotencyKey, fingerprint: requestFingerprint(request.method, request.nextUrl.pathname, bodyText) },
        async ({ resumed }) => {
          const result = await handler(replayable, { ...apiContext, resumed });
          if (result instanceof Response) throw new Error(`${name}: idempotent POSTs must answer JSON`);
          return result;
        },
      );
      return NextResponse.json(result.body, { status: result.status, headers: result.replayed ? { "Idempotent-Replayed": "true" } : {} });
    }
    const result = await handler(request, apiContext);
    // Files (e.g. PDFs) come back as a ready Response; everything else is JSON.
    return result instanceof Response ? result : NextResponse.json(result.body, { status: result.status });
  });
}

/** Parses query parameters with a zod schema (422 with field messages on failure). */
export function parseQuery<S extends z.ZodType>(request: NextRequest, schema: S): z.infer<S> {
  const params = Object.fromEntries(request.nextUrl.searchParams.entries());
  const result = schema.safeParse(params);
  if (!result.success) throw new AppError("VALIDATION_FAILED", "Some query parameters are invalid.", { fields: zodFieldErrors(result.error) });
  return result.data;
}

export { readJsonBody };
