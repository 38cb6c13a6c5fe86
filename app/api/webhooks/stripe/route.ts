import { NextResponse } from "next/server";
import { getDb } from "@/lib/db/client";
import { route } from "@/lib/http/route";
import { constructWebhookEvent } from "@/lib/stripe/construct-webhook-event";
import { processStripeEvent } from "@/lib/webhooks/process-stripe-event";

export const dynamic = "force-dynamic";

const MAX_WEBHOOK_BYTES = 512 * 1024;

/**
 * Stripe's deliveries: the raw body is verified against Stripe-Signature (400 and nothing
 * written when it fails), then applied. 200 for handled, duplicate and ignored events; a failure
 * to apply is a 500 so that Stripe delivers again.
 */
export const POST = route("/api/webhooks/stripe", async (request, { log }) => {
  const rawBody = await request.text();
  if (rawBody.length > MAX_WEBHOOK_BYTES) return NextResponse.json({ error: { code: "PAYLOAD_TOO_LARGE", message: "Body too large." } }, { status: 413 });
  const event = constructWebhookEvent(rawBody, request.headers.get("stripe-signature"));
  const outcome = await processStripeEvent(await getDb(), event);
  log.info({ eventId: event.id, type: event.type, outcome }, "stripe event");
  return NextResponse.json({ received: true, outcome });
});
