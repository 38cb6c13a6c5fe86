import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { zSingleLineText } from "@/lib/validation/fields";
import { displayPrefix, generateApiKey, hashApiKey } from "./api-key-secret";

export const ZCreateApiKeyInput = z.object({ name: zSingleLineText().min(1, "Name the key, e.g. the system that uses it.").max(100) });
export type TCreateApiKeyInput = z.input<typeof ZCreateApiKeyInput>;

/**
 * Creates an API key for the organization and returns the secret. This is the only time the
 * secret exists outside the caller: only its SHA-256 hash is stored.
 */
export async function createApiKey(
  db: Db,
  options: { organizationId: string; actor: AuditActor; input: TCreateApiKeyInput },
): Promise<{ id: string; name: string; prefix: string; secret: string }> {
  const { name } = ZCreateApiKeyInput.parse(options.input);
  const secret = generateApiKey();
  return db.$transaction(async (tx) => {
    const key = await tx.apiKey.create({
      data: { organizationId: options.organizationId, name, prefix: displayPrefix(secret), hash: hashApiKey(secret), createdById: options.actor.userId },
    });
    await recordAuditEvent(tx, {
      organizationId: options.organizationId,
      actor: options.actor,
      action: "api_key.created",
      target: { type: "api_key", id: key.id },
      after: { name, prefix: key.prefix },
    });
    return { id: key.id, name: key.name, prefix: key.prefix, secret };
  });
}
