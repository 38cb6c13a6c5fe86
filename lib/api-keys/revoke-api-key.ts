import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { AppError } from "@/lib/errors";

export const ZRevokeApiKeyInput = z.object({ apiKeyId: z.string().uuid("Unknown API key.") });

/** Revokes a key: every later request with it gets 401. Revoking twice is harmless. */
export async function revokeApiKey(db: Db, options: { organizationId: string; actor: AuditActor; input: z.input<typeof ZRevokeApiKeyInput> }): Promise<void> {
  const { apiKeyId } = ZRevokeApiKeyInput.parse(options.input);
  await db.$transaction(async (tx) => {
    const key = await tx.apiKey.findFirst({ where: { id: apiKeyId, organizationId: options.organizationId } });
    if (!key) throw new AppError("NOT_FOUND", "That API key does not exist.");
    if (key.revokedAt) return;
    await tx.apiKey.update({ where: { id: key.id }, data: { revokedAt: new Date() } });
    await recordAuditEvent(tx, {
      organizationId: options.organizationId,
      actor: options.actor,
      action: "api_key.revoked",
      target: { type: "api_key", id: key.id },
    });
  });
}
