import { NextResponse } from "next/server";
import { getDb } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { route } from "@/lib/http/route";
import { resolvePaymentLink } from "@/lib/payment-links/resolve-payment-link";
import { syncPaymentIntent } from "@/lib/payments/sync-payment-intent";

export const dynamic = "force-dynamic";

/**
 * Where the browser lands after paying (and after 3-D Secure). The server asks Stripe for the
 * intent's state and records it with the same code the webhook runs, so the receipt never waits
 * for a webhook that may be late or never come.
 */
export const GET = route<{ token: string }>("/pay/{token}/return", async (request, { params }) => {
  const base = getEnv().APP_URL.replace(/\/$/, "");
  const payPage = `${base}/pay/${params.token}`;
  const db = await getDb();
  const link = await resolvePaymentLink(db, params.token);
  const paymentIntentId = request.nextUrl.searchParams.get("payment_intent");
  if (!link.ok || !paymentIntentId || !/^pi_[\w]+$/.test(paymentIntentId)) return NextResponse.redirect(payPage, 303);

  const payment = await db.payment.findFirst({ where: { stripePaymentIntentId: paymentIntentId, invoiceId: link.invoiceId }, select: { id: true } });
  if (!payment) return NextResponse.redirect(payPage, 303);
  const result = await syncPaymentIntent(db, paymentIntentId);
  if (result && (result.status === "succeeded" || result.status === "processing" || result.status === "requires_capture")) {
    return NextResponse.redirect(`${payPage}/receipt/${payment.id}`, 303);
  }
  return NextResponse.redirect(`${payPage}?declined=1`, 303);
});
