import { ZRequestRefundBody } from "@/lib/api/api.schemas";
import { paymentIdFrom } from "@/lib/api/payment-id";
import { apiRoute, readJsonBody } from "@/lib/http/api-route";
import { listRefunds } from "@/lib/refunds/list-refunds";
import { requestRefund } from "@/lib/refunds/request-refund";

export const dynamic = "force-dynamic";

export const GET = apiRoute<{ id: string }>("/api/v1/payments/{id}/refunds", async (_request, { db, principal, params }) => {
  const paymentId = paymentIdFrom(params);
  return { status: 200, body: { data: await listRefunds(db, { organizationId: principal.organizationId, paymentId }) } };
});

/** 201 with the refund (pending until Stripe settles it); 202 when Stripe could not be reached and the booked refund waits to be sent again. */
export const POST = apiRoute<{ id: string }>("/api/v1/payments/{id}/refunds", async (request, { db, principal, actor, params }) => {
  const paymentId = paymentIdFrom(params);
  const input = await readJsonBody(request, ZRequestRefundBody);
  const result = await requestRefund(db, { organizationId: principal.organizationId, paymentId, actor, input });
  return { status: result.stripeUnreachable ? 202 : 201, body: result.refund };
});
