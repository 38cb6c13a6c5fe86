import { apiRoute } from "@/lib/http/api-route";
import { paymentIdFrom } from "@/lib/api/payment-id";
import { releasePayment } from "@/lib/payments/capture-payment";

export const dynamic = "force-dynamic";

/** Releases an authorized card payment without charging it. */
export const POST = apiRoute<{ id: string }>("/api/v1/payments/{id}/release", async (_request, { db, principal, actor, params }) => {
  const paymentId = paymentIdFrom(params);
  return { status: 200, body: await releasePayment(db, { organizationId: principal.organizationId, paymentId, actor }) };
});
