import { NextResponse } from "next/server";
import { ZodError } from "zod";
import { AppError, type FieldErrors } from "@/lib/errors";
import { isDatabaseUnavailable } from "@/lib/db/errors";
import { unrecognizedFieldMessage } from "@/lib/validation/fields";
import type { Logger } from "pino";

export type ErrorBody = { error: { code: string; message: string; fields?: FieldErrors; requestId?: string } };

/**
 * Field path (dot-joined) → messages. A field the schema does not accept is reported under its own
 * name; an issue with the input as a whole (not an object at all) has no field and is left to
 * `zodSummary`.
 */
export function zodFieldErrors(error: ZodError): FieldErrors {
  const fields: FieldErrors = {};
  const add = (path: PropertyKey[], message: string) => (fields[path.map(String).join(".")] ??= []).push(message);
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) add([...issue.path, key], unrecognizedFieldMessage(key));
    } else if (issue.path.length > 0) {
      add(issue.path, issue.message);
    }
  }
  return fields;
}

/** The error's headline: what is wrong with the input as a whole, else a pointer to the fields. */
export function zodSummary(error: ZodError, fallback = "Some fields are invalid."): string {
  return error.issues.find((issue) => issue.path.length === 0 && issue.code !== "unrecognized_keys")?.message ?? fallback;
}

/** Turns anything thrown into an AppError; unknown errors become INTERNAL and keep their cause. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof ZodError) {
    const fields = zodFieldErrors(error);
    return new AppError("VALIDATION_FAILED", zodSummary(error), Object.keys(fields).length > 0 ? { fields } : {});
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
