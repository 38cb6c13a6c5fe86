import type { Db, Tx } from "@/lib/db/client";
import { sqlOf, type Sql } from "@/lib/db/sql";
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
  // One INSERT, no row back (this runs in every money transaction).
  await sqlOf(db).write(
    `INSERT INTO audit_events (organization_id, actor_user_id, actor_api_key_id, actor_label, action, target_type, target_id, ip, request_id, before, after)
     VALUES ($1::uuid, $2::uuid, $3::uuid, $4, $5, $6, $7, $8, $9, $10::jsonb, $11::jsonb)`,
    [
      options.organizationId,
      options.actor.userId,
      options.actor.apiKeyId ?? null,
      options.actor.label,
      options.action,
      options.target?.type ?? null,
      options.target?.id ?? null,
      options.actor.ip,
      options.actor.requestId,
      options.before === undefined ? null : JSON.stringify(options.before),
      options.after === undefined ? null : JSON.stringify(options.after),
    ],
  );
}
