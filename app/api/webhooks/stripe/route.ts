import { NextResponse } from "next/server";
import { getDb } from "@/lib/db/client";
import { readBodyBytes } from "@/lib/http/request-body";
import { route } from "@/lib/http/route";
import { constructWebhookEvent } from "@/lib/stripe/construct-webhook-event";
import { processStripeEvent } from "@/lib/webhooks/process-stripe-event";

export const dynamic = "force-dynamic";

/**
 * Stripe's deliveries: the raw body (at most 1 MB, else 413 without reading further) is verified
 * against Stripe-Signature (400 and nothing written when it fails, or when the signed body is not
 * an event), then applied. 200 for handled, duplicate and ignored events, and for events naming an
 * object Stripe does not know (logged); a failure to apply is a 500 so that Stripe delivers again.
 */
export const POST = route("/api/webhooks/stripe", async (request, { log }) => {
  const rawBody = await readBodyBytes(request);
  const event = constructWebhookEvent(rawBody, request.headers.get("stripe-signature"));
  const outcome = await processStripeEvent(await getDb(), event);
  const objectId = (event.data.object as { id?: unknown }).id;
  if (outcome === "unknown_object")
    log.warn({ eventId: event.id, type: event.type, objectId, outcome }, "stripe event names an object Stripe does not know; ignored");
  else log.info({ eventId: event.id, type: event.type, outcome }, "stripe event");
  return NextResponse.json({ received: true, outcome });
});
