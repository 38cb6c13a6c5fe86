import type { Metadata } from "next";
import { getDb } from "@/lib/db/client";
import { requirePageAuth } from "@/lib/auth/session";
import { listApiKeys } from "@/lib/api-keys/list-api-keys";
import { ApiKeysPanel } from "@/components/settings/api-keys-panel";

export const metadata: Metadata = { title: "API keys" };

export default async function ApiKeysPage() {
  const auth = await requirePageAuth("admin");
  const keys = await listApiKeys(await getDb(), { organizationId: auth.organization.id });
  return (
    <ApiKeysPanel
      timeZone={auth.organization.timezone}
      keys={keys.map((key) => ({
        id: key.id,
        name: key.name,
        prefix: key.prefix,
        createdAt: key.createdAt.toISOString(),
        lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
        revoked: key.revokedAt !== null,
      }))}
    />
  );
}
