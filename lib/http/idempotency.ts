import { createHash, randomUUID } from "node:crypto";
import type { Db } from "@/lib/db/client";
import { sql, sqlOf } from "@/lib/db/sql";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/observability/logger";

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
const RETENTION_HOURS = 24;
/**
 * How long a running request's claim lasts without renewal. The request renews it every third of
 * this while it runs, so only a request that died (its process killed, its host gone) lets it run
 * out; a retry may then take the key over. Also the longest a client waits after such a crash.
 */
export const IDEMPOTENCY_LEASE_MS = 30_000;

export type StoredResponse = { status: number; body: unknown };

/** What `execute` learns about the attempt it runs. */
export type IdempotentAttempt = {
  /**
   * True when an earlier request with this key died while running: its effect may have committed
   * before it died, so the operation must answer from the state it finds when its effect is
   * already there (e.g. finalizing an invoice that is already finalized returns the invoice).
   */
  resumed: boolean;
};

export function requestFingerprint(method: string, path: string, body: string): string {
  return createHash("sha256").update(`${method}\n${path}\n${body}`).digest("hex");
}

/**
 * Runs `execute` at most once at a time per (organization, Idempotency-Key), and once to
 * completion. The same key with the same request returns the stored response; with another
 * request, or while the first is still running, it is a 409. A running request holds a lease on
 * its key and renews it as it runs; when the request dies (process killed), the lease runs out
 * and a retry with the same request takes the key over (`resumed`), so no key stays stuck. Two
 * requests never run together: the claim is one atomic statement, and only the attempt holding
 * it renews it or stores its response. Server errors are not stored, so the client may retry
 * them. Keys are kept for 24 hours.
 */
export async function withIdempotency(
  db: Db,
  options: { organizationId: string; key: string; fingerprint: string; leaseMs?: number },
  execute: (attempt: IdempotentAttempt) => Promise<StoredResponse>,
): Promise<StoredResponse & { replayed: boolean }> {
  if (!KEY_PATTERN.test(options.key)) {
    throw new AppError("BAD_REQUEST", "Idempotency-Key must be 1–255 printable ASCII characters.");
  }
  const leaseMs = options.leaseMs ?? IDEMPOTENCY_LEASE_MS;
  const token = randomUUID();
  // Claims the key when it is new, expired (older than 24 hours, a new request), or held by a
  // request of the same fingerprint whose lease ran out (it died: take over, counting attempts).
  const claimed = await sqlOf(db).query<{ attempts: number }>(sql`
    INSERT INTO idempotency_records (organization_id, key, fingerprint, locked_until, lease_token)
    VALUES (${options.organizationId}::uuid, ${options.key}, ${options.fingerprint}, now() + make_interval(secs => ${leaseMs / 1000}), ${token}::uuid)
    ON CONFLICT (organization_id, key) DO UPDATE
      SET fingerprint = EXCLUDED.fingerprint, response_status = NULL, response_body = NULL, completed_at = NULL,
          locked_until = EXCLUDED.locked_until, lease_token = EXCLUDED.lease_token,
          attempts = CASE WHEN idempotency_records.created_at < now() - make_interval(hours => ${RETENTION_HOURS}) THEN 1 ELSE idempotency_records.attempts + 1 END,
          created_at = CASE WHEN idempotency_records.created_at < now() - make_interval(hours => ${RETENTION_HOURS}) THEN now() ELSE idempotency_records.created_at END
      WHERE idempotency_records.created_at < now() - make_interval(hours => ${RETENTION_HOURS})
         OR (idempotency_records.completed_at IS NULL
             AND idempotency_records.fingerprint = EXCLUDED.fingerprint
             AND (idempotency_records.locked_until IS NULL OR idempotency_records.locked_until < now()))
    RETURNING attempts`);

  if (claimed.length === 0) {
    const existing = await db.idempotencyRecord.findUnique({ where: { organizationId_key: { organizationId: options.organizationId, key: options.key } } });
    if (!existing) throw new AppError("CONFLICT", "A request with this Idempotency-Key is still being processed. Retry shortly.");
    if (existing.fingerprint !== options.fingerprint) {
      throw new AppError("CONFLICT", "This Idempotency-Key was already used with a different request.");
    }
    if (existing.responseStatus === null) {
      throw new AppError("CONFLICT", "A request with this Idempotency-Key is still being processed. Retry shortly.");
    }
    return { status: existing.responseStatus, body: existing.responseBody, replayed: true };
  }

  const claim = { ...options, token };
  const stopRenewing = renewWhileRunning(db, claim, leaseMs);
  let response: StoredResponse;
  try {
    response = await execute({ resumed: claimed[0]!.attempts > 1 });
  } catch (error) {
    await stopRenewing();
    const status = error instanceof AppError ? error.status : 500;
    if (status >= 500) {
      await releaseClaim(db, claim);
    } else {
      const appError = error as AppError;
      await storeResponse(db, claim, {
        status,
        body: { error: { code: appError.code, message: appError.message, ...(appError.fields ? { fields: appError.fields } : {}) } },
      });
    }
    throw error;
  }
  await stopRenewing();
  if (response.status >= 500) {
    await releaseClaim(db, claim);
  } else {
    await storeResponse(db, claim, response);
  }
  return { ...response, replayed: false };
}

type Claim = { organizationId: string; key: string; token: string };

/** Renews the claim's lease every third of its length until stopped (resolves once no renewal is in flight). */
function renewWhileRunning(db: Db, claim: Claim, leaseMs: number): () => Promise<void> {
  let inFlight: Promise<unknown> = Promise.resolve();
  const timer = setInterval(
    () => {
      inFlight = sqlOf(db)
        .write(
          sql`
      UPDATE idempotency_records SET locked_until = now() + make_interval(secs => ${leaseMs / 1000})
      WHERE organization_id = ${claim.organizationId}::uuid AND key = ${claim.key} AND lease_token = ${claim.token}::uuid AND completed_at IS NULL`,
        )
        .catch((error: unknown) => {
          // A missed renewal only shortens the lease; the next one may succeed.
          logger.warn({ err: error, component: "idempotency" }, "could not renew an Idempotency-Key lease");
        });
    },
    Math.max(1, Math.floor(leaseMs / 3)),
  );
  return async () => {
    clearInterval(timer);
    await inFlight;
  };
}

/** Gives the key up (after a server error), so the client may retry; only the attempt holding it may. */
async function releaseClaim(db: Db, claim: Claim) {
  await sqlOf(db).write(sql`
    DELETE FROM idempotency_records
    WHERE organization_id = ${claim.organizationId}::uuid AND key = ${claim.key} AND lease_token = ${claim.token}::uuid AND completed_at IS NULL`);
}

async function storeResponse(db: Db, claim: Claim, response: StoredResponse) {
  await sqlOf(db).write(sql`
    UPDATE idempotency_records
    SET response_status = ${response.status}, response_body = ${JSON.stringify(response.body)}::jsonb, completed_at = now(), locked_until = NULL
    WHERE organization_id = ${claim.organizationId}::uuid AND key = ${claim.key} AND lease_token = ${claim.token}::uuid AND completed_at IS NULL`);
}
