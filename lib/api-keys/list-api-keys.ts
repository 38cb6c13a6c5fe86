import type { Db, Tx } from "@/lib/db/client";

export type ApiKeyView = { id: string; name: string; prefix: string; createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null };

export async function listApiKeys(db: Db | Tx, options: { organizationId: string }): Promise<ApiKeyView[]> {
  return db.apiKey.findMany({
    where: { organizationId: options.organizationId },
    select: { id: true, name: true, prefix: true, createdAt: true, lastUsedAt: true, revokedAt: true },
    orderBy: [{ revokedAt: { sort: "asc", nulls: "first" } }, { createdAt: "desc" }],
  });
}
