import type Stripe from "stripe";
import type { Tx } from "@/lib/db/client";
import { sql, sqlOf, type Sql } from "@/lib/db/sql";

/**
 * Claims an event id inside the transaction that applies it. True for the first delivery; false
 * for a duplicate (a concurrent duplicate waits on the primary key until the first commits, then
 * sees it). If the transaction rolls back, the claim goes with it and Stripe's redelivery runs.
 */
export async function claimStripeEvent(tx: Tx | Sql, event: Stripe.Event): Promise<boolean> {
  const object = event.data.object as { id?: unknown };
  const rows = await sqlOf(tx).query<{ id: string }>(sql`
    INSERT INTO stripe_events (id, type, object_id, stripe_created_at)
    VALUES (${event.id}, ${event.type}, ${typeof object.id === "string" ? object.id : null}, to_timestamp(${event.created}::bigint))
    ON CONFLICT (id) DO NOTHING
    RETURNING id`);
  return rows.length === 1;
}
