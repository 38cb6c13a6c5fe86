import type { Db } from "@/lib/db/client";
import { sql, sqlOf } from "@/lib/db/sql";
import { hashApiKey } from "./api-key-secret";

export type ApiKeyPrincipal = { apiKeyId: string; organizationId: string; name: string };

const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * The organization a bearer key belongs to, or null for unknown and revoked keys. Keys are
 * looked up by hash (a unique index), so comparison time does not depend on the secret.
 * `lastUsedAt` is refreshed at most once a minute to keep reads cheap. Every API request runs
 * this, so it reads through the typed SQL layer, which runs on the `pg` pool directly outside a
 * transaction (Prisma's per-query work is several times a point read's; bench/README.md).
 */
export async function authenticateApiKey(db: Db, secret: string): Promise<ApiKeyPrincipal | null> {
  if (!secret.startsWith("cb_") || secret.length > 100) return null;
  const rows = await sqlOf(db).query<{ id: string; organizationId: string; name: string; lastUsedAt: Date | null; revoked: boolean }>(sql`
    SELECT id::text AS "id", organization_id::text AS "organizationId", name, last_used_at AS "lastUsedAt", revoked_at IS NOT NULL AS revoked
    FROM api_keys WHERE hash = ${hashApiKey(secret)}`);
  const key = rows[0];
  if (!key || key.revoked) return null;
  if (!key.lastUsedAt || Date.now() - key.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await db.apiKey.update({ where: { id: key.id }, data: { lastUsedAt: new Date() } });
  }
  return { apiKeyId: key.id, organizationId: key.organizationId, name: key.name };
}
