import { headers } from "next/headers";
import type { z } from "zod";
import { requireAuth, type AuthContext } from "@/lib/auth/session";
import type { Role } from "@/lib/auth/roles";
import type { AppErrorCode, FieldErrors } from "@/lib/errors";
import { requestLogger } from "@/lib/observability/logger";
import { clientIpFromHeaders } from "./client-ip";
import { toAppError } from "./error-response";

export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: { code: AppErrorCode; message: string; fields?: FieldErrors; requestId?: string } };

type ActionContext = { ip: string | null; requestId: string };

/** Runs an action's body, returning thrown errors as values: 5xx carry only a request id. */
async function runAction<R>(name: string, body: (context: ActionContext) => Promise<R>): Promise<ActionResult<R>> {
  const requestHeaders = await headers();
  const requestId = requestHeaders.get("x-request-id") ?? "unknown";
  const log = requestLogger(requestId).child({ action: name });
  try {
    return { ok: true, data: await body({ ip: clientIpFromHeaders(requestHeaders), requestId }) };
  } catch (error) {
    const appError = toAppError(error);
    if (appError.status >= 500) {
      log.error({ err: appError.cause ?? appError }, "action failed");
      return { ok: false, error: { code: appError.code, message: appError.message, requestId } };
    }
    log.info({ code: appError.code }, "action refused");
    return { ok: false, error: { code: appError.code, message: appError.message, fields: appError.fields } };
  }
}

/**
 * Builds a server action that checks the session and role, parses its input with `schema`, and
 * returns errors as values (forms show `fields` inline) instead of throwing to the client.
 */
export function authedAction<S extends z.ZodType, R>(
  options: { role: Role; schema: S; name: string },
  handler: (input: z.infer<S>, auth: AuthContext) => Promise<R>,
) {
  return async (input: z.input<S>): Promise<ActionResult<R>> =>
    runAction(options.name, async () => {
      const auth = await requireAuth(options.role);
      return handler(options.schema.parse(input), auth);
    });
}

/**
 * A server action without authedAction's session check: for accepting an invitation (anyone
 * holding the link) and choosing a clinic (the handler checks the session itself).
 */
export function publicAction<S extends z.ZodType, R>(options: { schema: S; name: string }, handler: (input: z.infer<S>, context: ActionContext) => Promise<R>) {
  return async (input: z.input<S>): Promise<ActionResult<R>> => runAction(options.name, (context) => handler(options.schema.parse(input), context));
}
