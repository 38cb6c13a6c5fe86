import type { Db, Tx } from "@/lib/db/client";
import type { InputJsonValue } from "@/lib/db/generated/internal/prismaNamespace";

/** Who acted: a signed-in user, an API key (integrations), or the system (userId and apiKeyId null). */
export type AuditActor = { userId: string | null; apiKeyId?: string | null; label: string; ip: string | null; requestId: string | null };

/**
 * Appends one audit event. Call it with the transaction that makes the change, so the change
 * and its record commit together. The table is append-only at the database level.
 */
export async function recordAuditEvent(
  db: Db | Tx,
  options: {
    organizationId: string | null;
    actor: AuditActor;
    action: string;
    target?: { type: string; id: string };
    before?: InputJsonValue;
    after?: InputJsonValue;
  },
): Promise<void> {
  // createMany: no row comes back (this runs in every money transaction).
  await db.auditEvent.createMany({
    data: {
      organizationId: options.organizationId,
      actorUserId: options.actor.userId,
      actorApiKeyId: options.actor.apiKeyId ?? null,
      actorLabel: options.actor.label,
      ip: options.actor.ip,
      requestId: options.actor.requestId,
      action: options.action,
      targetType: options.target?.type,
      targetId: options.target?.id,
      before: options.before,
      after: options.after,
    },
  });
}
