import type { z } from "zod";
import { AppError } from "@/lib/errors";

/** The largest request body any route reads (JSON, webhooks, sign-in forms). Stripe's events are a few KB. */
export const MAX_BODY_BYTES = 1024 * 1024;

function tooLarge(limit: number): AppError {
  const size = limit >= 1024 * 1024 ? `${limit / 1024 / 1024} MB` : `${Math.floor(limit / 1024)} KB`;
  return new AppError("PAYLOAD_TOO_LARGE", `The request body is larger than ${size}, the most this endpoint accepts.`);
}

/**
 * Reads a request body as bytes, refusing (413) anything over `limit` without buffering it: a
 * declared Content-Length above the limit is refused before reading, and the stream is cancelled
 * as soon as more than `limit` bytes have arrived (Content-Length may be absent or lie).
 */
export async function readBodyBytes(request: Request, limit: number = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = request.headers.get("content-length");
  if (declared !== null && /^\d+$/.test(declared.trim()) && Number(declared) > limit) throw tooLarge(limit);
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** readBodyBytes decoded as UTF-8; a body that is not UTF-8 text is a 400. */
export async function readBodyText(request: Request, limit: number = MAX_BODY_BYTES): Promise<string> {
  const bytes = await readBodyBytes(request, limit);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new AppError("BAD_REQUEST", "The request body is not valid UTF-8 text.");
  }
}

/**
 * Parses a JSON request body with a zod schema: 415 for another content type, 413 above 1 MB,
 * 400 for malformed JSON, 422 with field messages when the schema rejects it.
 */
export async function readJsonBody<S extends z.ZodType>(request: Request, schema: S): Promise<z.infer<S>> {
  const contentType = request.headers.get("content-type") ?? "";
  if (!/^application\/json\b/i.test(contentType)) {
    throw new AppError("UNSUPPORTED_MEDIA_TYPE", "Send the body as JSON with Content-Type: application/json.");
  }
  const text = await readBodyText(request);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError("BAD_REQUEST", "The request body is not valid JSON.");
  }
  return schema.parse(value);
}
