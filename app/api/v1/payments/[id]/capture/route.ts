import { apiRoute, readJsonBody } from "@/lib/http/api-route";
import { ZCapturePaymentBody } from "@/lib/api/api.schemas";
import { paymentIdFrom } from "@/lib/api/payment-id";
import { capturePayment } from "@/lib/payments/capture-payment";

export const dynamic = "force-dynamic";

/** Captures all (no body) or part (`{ amount }`) of an authorized card payment; the rest of the hold is released. */
export const POST = apiRoute<{ id: string }>("/api/v1/payments/{id}/capture", async (request, { db, principal, actor, params }) => {
  const paymentId = paymentIdFrom(params);
  const noBody = request.headers.get("content-type") === null || request.headers.get("content-length") === "0";
  const input = noBody ? {} : await readJsonBody(request, ZCapturePaymentBody);
  return { status: 200, body: await capturePayment(db, { organizationId: principal.organizationId, paymentId, actor, input }) };
});
