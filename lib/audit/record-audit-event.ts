import type { Db, Tx } from "@/lib/db/client";
import { sql, sqlOf, type Sql } from "@/lib/db/sql";
import type { InputJsonValue } from "@/lib/db/generated/internal/prismaNamespace";

/** Who acted: a signed-in user, an API key (integrations), or the system (userId and apiKeyId null). */
export type AuditActor = { userId: string | null; apiKeyId?: string | null; label: string; ip: string | null; requestId: string | null };

/** Carebill itself, acting on its own (automatic refunds of overpayments, the payments janitor). */
export const AUTOMATIC_ACTOR: AuditActor = { userId: null, label: "carebill (automatic)", ip: null, requestId: null };

/**
 * Appends one audit event. Call it with the transaction that makes the change, so the change
 * and its record commit together. The table is append-only at the database level.
 */
export async function recordAuditEvent(
  db: Db | Tx | Sql,
  options: {
    organizationId: string | null;
    actor: AuditActor;
    action: string;
    target?: { type: string; id: string };
    before?: InputJsonValue;
    after?: InputJsonValue;
  },
): Promise<void> {
  // One INSERT, no row back (this runs in every money transaction): sent with the next read or COMMIT.
  const { organizationId, actor, action, target, before, after } = options;
  await sqlOf(db).write(
    sql`
    INSERT INTO audit_events (organization_id, actor_user_id, actor_api_key_id, actor_label, action, target_type, target_id, ip, request_id, before, after)
    VALUES (${organizationId}::uuid, ${actor.userId}::uuid, ${actor.apiKeyId ?? null}::uuid, ${actor.label}, ${action}, ${target?.type ?? null}, ${target?.id ?? null},
            ${actor.ip}, ${actor.requestId}, ${before === undefined ? null : JSON.stringify(before)}::jsonb, ${after === undefined ? null : JSON.stringify(after)}::jsonb)`,
    { joins: ["audit_events"] },
  );
}
