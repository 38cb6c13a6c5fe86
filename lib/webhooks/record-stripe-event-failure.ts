import Stripe from "stripe";
import type { Db } from "@/lib/db/client";
import { sql, sqlOf } from "@/lib/db/sql";
import { readStripeMetadata } from "@/lib/stripe/metadata";

/** The error's class and code (never its message, which may carry data), at most 200 characters. */
function errorLabel(error: unknown): string {
  if (error instanceof Stripe.errors.StripeError) return `${error.type}${error.code ? `:${error.code}` : ""}`.slice(0, 200);
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return `${error.name}${typeof code === "string" || typeof code === "number" ? `:${code}` : ""}`.slice(0, 200);
  }
  return "unknown";
}

/**
 * Records that applying a Stripe event failed (the delivery is answered 5xx and Stripe delivers it
 * again), for the webhook-failures alert. Runs only on that failure path, after the handler's
 * transaction rolled back, as one INSERT: the clinic is the one our metadata on the object names,
 * else the one of the payment its PaymentIntent belongs to (a dispute's or a charge's). Never
 * throws: the database may be what failed, and the caller's error is the one that matters.
 */
export async function recordStripeEventFailure(db: Db, event: Stripe.Event, error: unknown): Promise<boolean> {
  const object = event.data.object as { metadata?: Stripe.Metadata | null; payment_intent?: unknown; object?: unknown; id?: unknown };
  const organizationId = readStripeMetadata(object.metadata)?.organizationId ?? null;
  const paymentIntent = object.object === "payment_intent" ? object.id : object.payment_intent;
  const paymentIntentId = typeof paymentIntent === "string" ? paymentIntent : ((paymentIntent as { id?: unknown } | null)?.id ?? null);
  try {
    await sqlOf(db).execute(sql`
      INSERT INTO stripe_event_failures (event_id, type, organization_id, error)
      VALUES (${event.id}, ${event.type},
        COALESCE(${organizationId}::uuid, (SELECT organization_id FROM payments WHERE stripe_payment_intent_id = ${typeof paymentIntentId === "string" ? paymentIntentId : null}::text)),
        ${errorLabel(error)})`);
    return true;
  } catch {
    return false;
  }
}
