import { NextResponse } from "next/server";
import { ZodError } from "zod";
import { AppError, type FieldErrors } from "@/lib/errors";
import { isDatabaseUnavailable } from "@/lib/db/errors";
import type { Logger } from "pino";

export type ErrorBody = { error: { code: string; message: string; fields?: FieldErrors; requestId?: string } };

export function zodFieldErrors(error: ZodError): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length > 0 ? issue.path.join(".") : "_";
    (fields[key] ??= []).push(issue.message);
  }
  return fields;
}

/** Turns anything thrown into an AppError; unknown errors become INTERNAL and keep their cause. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof ZodError) {
    return new AppError("VALIDATION_FAILED", "Some fields are invalid.", { fields: zodFieldErrors(error) });
  }
  if (isDatabaseUnavailable(error)) {
    return new AppError("SERVICE_UNAVAILABLE", "The database is unavailable. Please try again shortly.", {
      cause: error,
    });
  }
  return new AppError("INTERNAL", "Something went wrong on our side.", { cause: error });
}

/**
 * The single mapping from errors to HTTP. 5xx bodies carry the request id and nothing internal;
 * the full error goes to the log.
 */
export function errorResponse(error: unknown, context: { requestId: string; log: Logger }): NextResponse<ErrorBody> {
  const appError = toAppError(error);
  const status = appError.status;
  if (status >= 500) {
    context.log.error({ err: appError.cause ?? appError, code: appError.code }, "request failed");
  } else {
    context.log.info({ code: appError.code, status }, "request refused");
  }
  const body: ErrorBody = {
    error: {
      code: appError.code,
      message: appError.message,
      ...(appError.fields ? { fields: appError.fields } : {}),
      ...(status >= 500 ? { requestId: context.requestId } : {}),
    },
  };
  const headers: Record<string, string> = { "X-Request-Id": context.requestId };
  if (status === 503) headers["Retry-After"] = "5";
  return NextResponse.json(body, { status, headers });
}
