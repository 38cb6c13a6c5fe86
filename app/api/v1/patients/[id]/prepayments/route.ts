import { ZSavedCardPrepaymentBody } from "@/lib/api/api.schemas";
import { apiRoute, readJsonBody } from "@/lib/http/api-route";
import { recordIdFromPath } from "@/lib/http/record-id";
import { chargeSavedCardPrepayment } from "@/lib/payments/charge-saved-card";
import { getPaymentView } from "@/lib/payments/payment-view";

export const dynamic = "force-dynamic";

/**
 * A prepayment by the patient's saved card (the estimate collected at check-in): charged at once,
 * kept as the patient's credit when it succeeds. 201 with the payment, whatever the outcome (a
 * decline is `failed` with its reason). Cash, check and terminal prepayments go through POST /payments.
 */
export const POST = apiRoute<{ id: string }>("/api/v1/patients/{id}/prepayments", async (request, { db, principal, actor, params }) => {
  const patientId = recordIdFromPath(params.id, "That patient does not exist.");
  const input = await readJsonBody(request, ZSavedCardPrepaymentBody);
  const result = await chargeSavedCardPrepayment(db, { organizationId: principal.organizationId, actor, input: { ...input, patientId } });
  return { status: 201, body: await getPaymentView(db, { organizationId: principal.organizationId, paymentId: result.paymentId }) };
});
