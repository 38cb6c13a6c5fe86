import type { Db } from "@/lib/db/client";
import { hashApiKey } from "./api-key-secret";

export type ApiKeyPrincipal = { apiKeyId: string; organizationId: string; name: string };

const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * The organization a bearer key belongs to, or null for unknown and revoked keys. Keys are
 * looked up by hash (a unique index), so comparison time does not depend on the secret.
 * `lastUsedAt` is refreshed at most once a minute to keep reads cheap.
 */
export async function authenticateApiKey(db: Db, secret: string): Promise<ApiKeyPrincipal | null> {
  if (!secret.startsWith("cb_") || secret.length > 100) return null;
  const key = await db.apiKey.findUnique({ where: { hash: hashApiKey(secret) } });
  if (!key || key.revokedAt) return null;
  if (!key.lastUsedAt || Date.now() - key.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await db.apiKey.update({ where: { id: key.id }, data: { lastUsedAt: new Date() } });
  }
  return { apiKeyId: key.id, organizationId: key.organizationId, name: key.name };
}
