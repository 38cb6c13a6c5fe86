import { NextResponse } from "next/server";
import { getDb } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { readJsonBody } from "@/lib/http/request-body";
import { route } from "@/lib/http/route";
import { resolvePaymentLink } from "@/lib/payment-links/resolve-payment-link";
import { createPaymentAttempt, ZPaymentAmount } from "@/lib/payments/create-payment-attempt";
import { assertPayPageRate } from "@/lib/payments/pay-page-rate-limit";

export const dynamic = "force-dynamic";

/**
 * Starts a card payment from the pay page (no sign-in: the signed link is the authority). The
 * server decides what may be paid; the browser only proposes an amount.
 */
export const POST = route<{ token: string }>("/api/pay/{token}/payments", async (request, { params, ip }) => {
  const db = await getDb();
  const link = await resolvePaymentLink(db, params.token);
  if (!link.ok) throw new AppError("NOT_FOUND", link.reason === "expired" ? "This payment link has expired." : "This payment link is not valid.");
  await assertPayPageRate(db, { kind: "attempt", ip, linkId: link.linkId });
  const { amount, saveCard, keepExcessAsCredit } = await readJsonBody(request, ZPaymentAmount);
  const attempt = await createPaymentAttempt(db, {
    organizationId: link.organizationId,
    invoiceId: link.invoiceId,
    amount,
    saveCard,
    keepExcessAsCredit,
    paymentLinkId: link.linkId,
    client: { ip, userAgent: request.headers.get("user-agent") },
  });
  return NextResponse.json(
    {
      paymentId: attempt.paymentId,
      clientSecret: attempt.clientSecret,
      amount: attempt.amount,
      currency: attempt.currency,
      authorizeOnly: attempt.paymentIntent.capture_method === "manual",
      publishableKey: getEnv().STRIPE_PUBLISHABLE_KEY ?? null,
    },
    { status: 201, headers: { "Cache-Control": "no-store" } },
  );
});
