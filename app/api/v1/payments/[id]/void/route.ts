import { apiRoute, readJsonBody } from "@/lib/http/api-route";
import { ZVoidPaymentBody } from "@/lib/api/api.schemas";
import { paymentIdFrom } from "@/lib/api/payment-id";
import { voidManualPayment } from "@/lib/payments/void-manual-payment";

export const dynamic = "force-dynamic";

export const POST = apiRoute<{ id: string }>("/api/v1/payments/{id}/void", async (request, { db, principal, actor, params }) => {
  const paymentId = paymentIdFrom(params);
  const input = await readJsonBody(request, ZVoidPaymentBody);
  return { status: 200, body: await voidManualPayment(db, { organizationId: principal.organizationId, paymentId, actor, input }) };
});
