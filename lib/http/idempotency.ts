import { createHash } from "node:crypto";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
const RETENTION_HOURS = 24;

export type StoredResponse = { status: number; body: unknown };

export function requestFingerprint(method: string, path: string, body: string): string {
  return createHash("sha256").update(`${method}\n${path}\n${body}`).digest("hex");
}

/**
 * Runs `execute` at most once per (organization, Idempotency-Key). The same key with the same
 * request returns the stored response; with another request, or while the first is still
 * running, it is a 409. Server errors are not stored, so the client may retry them. Keys are
 * kept for 24 hours.
 */
export async function withIdempotency(
  db: Db,
  options: { organizationId: string; key: string; fingerprint: string },
  execute: () => Promise<StoredResponse>,
): Promise<StoredResponse & { replayed: boolean }> {
  if (!KEY_PATTERN.test(options.key)) {
    throw new AppError("BAD_REQUEST", "Idempotency-Key must be 1–255 printable ASCII characters.");
  }
  const claimed = await db.$queryRaw<{ key: string }[]>`
    INSERT INTO idempotency_records (organization_id, key, fingerprint)
    VALUES (${options.organizationId}::uuid, ${options.key}, ${options.fingerprint})
    ON CONFLICT (organization_id, key) DO UPDATE
      SET fingerprint = EXCLUDED.fingerprint, created_at = now(), response_status = NULL, response_body = NULL, completed_at = NULL
      WHERE idempotency_records.created_at < now() - make_interval(hours => ${RETENTION_HOURS})
    RETURNING key`;

  if (claimed.length === 0) {
    const existing = await db.idempotencyRecord.findUnique({ where: { organizationId_key: { organizationId: options.organizationId, key: options.key } } });
    if (!existing) throw new AppError("CONFLICT", "A request with this Idempotency-Key is still being processed.");
    if (existing.fingerprint !== options.fingerprint) {
      throw new AppError("CONFLICT", "This Idempotency-Key was already used with a different request.");
    }
    if (existing.responseStatus === null) {
      throw new AppError("CONFLICT", "A request with this Idempotency-Key is still being processed. Retry shortly.");
    }
    return { status: existing.responseStatus, body: existing.responseBody, replayed: true };
  }

  let response: StoredResponse;
  try {
    response = await execute();
  } catch (error) {
    const status = error instanceof AppError ? error.status : 500;
    if (status >= 500) {
      await db.idempotencyRecord.deleteMany({ where: { organizationId: options.organizationId, key: options.key } });
    } else {
      const appError = error as AppError;
      await storeResponse(db, options, { status, body: { error: { code: appError.code, message: appError.message, ...(appError.fields ? { fields: appError.fields } : {}) } } });
    }
    throw error;
  }
  if (response.status >= 500) {
    await db.idempotencyRecord.deleteMany({ where: { organizationId: options.organizationId, key: options.key } });
  } else {
    await storeResponse(db, options, response);
  }
  return { ...response, replayed: false };
}

async function storeResponse(db: Db, options: { organizationId: string; key: string }, response: StoredResponse) {
  await db.idempotencyRecord.update({
    where: { organizationId_key: { organizationId: options.organizationId, key: options.key } },
    data: { responseStatus: response.status, responseBody: response.body as object, completedAt: new Date() },
  });
}
