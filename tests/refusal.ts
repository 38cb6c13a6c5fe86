import { ZodError } from "zod";
import { AppError } from "@/lib/errors";
import { toAppError } from "@/lib/http/error-response";

/**
 * What refused an operation: its code, message and field messages. Domain code throws zod's error
 * for bad input, which the HTTP layer maps to a 422 with fields; fails when the operation succeeds.
 */
export async function refusal(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    const appError = error instanceof ZodError ? toAppError(error) : error;
    if (appError instanceof AppError) return { code: appError.code, message: appError.message, fields: appError.fields };
    throw error;
  }
  throw new Error("expected the operation to be refused");
}
