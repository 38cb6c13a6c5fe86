import { headers } from "next/headers";
import type { z } from "zod";
import { requireAuth, type AuthContext } from "@/lib/auth/session";
import type { Role } from "@/lib/auth/roles";
import type { AppErrorCode, FieldErrors } from "@/lib/errors";
import { requestLogger } from "@/lib/observability/logger";
import { toAppError } from "./error-response";

export type ActionResult<T> =
  | { ok: true; data: T }
  | { ok: false; error: { code: AppErrorCode; message: string; fields?: FieldErrors; requestId?: string } };

/**
 * Builds a server action that checks the session and role, parses its input with `schema`, and
 * returns errors as values (forms show `fields` inline) instead of throwing to the client.
 */
export function authedAction<S extends z.ZodType, R>(
  options: { role: Role; schema: S; name: string },
  handler: (input: z.infer<S>, auth: AuthContext) => Promise<R>,
) {
  return async (input: z.input<S>): Promise<ActionResult<R>> => {
    const requestId = (await headers()).get("x-request-id") ?? "unknown";
    const log = requestLogger(requestId).child({ action: options.name });
    try {
      const auth = await requireAuth(options.role);
      const parsed = options.schema.parse(input);
      return { ok: true, data: await handler(parsed, auth) };
    } catch (error) {
      const appError = toAppError(error);
      if (appError.status >= 500) {
        log.error({ err: appError.cause ?? appError }, "action failed");
        return { ok: false, error: { code: appError.code, message: appError.message, requestId } };
      }
      log.info({ code: appError.code }, "action refused");
      return { ok: false, error: { code: appError.code, message: appError.message, fields: appError.fields } };
    }
  };
}
