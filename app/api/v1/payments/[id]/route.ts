import { apiRoute } from "@/lib/http/api-route";
import { paymentIdFrom } from "@/lib/api/payment-id";
import { getPaymentView } from "@/lib/payments/payment-view";

export const dynamic = "force-dynamic";

export const GET = apiRoute<{ id: string }>("/api/v1/payments/{id}", async (_request, { db, principal, params }) => {
  return { status: 200, body: await getPaymentView(db, { organizationId: principal.organizationId, paymentId: paymentIdFrom(params) }) };
});
