import { ZRefundPatientCreditBody } from "@/lib/api/api.schemas";
import { apiRoute, readJsonBody } from "@/lib/http/api-route";
import { recordIdFromPath } from "@/lib/http/record-id";
import { refundPatientCredit } from "@/lib/patient-credit/refund-patient-credit";

export const dynamic = "force-dynamic";

/**
 * Gives back unused credit one of the patient's payments made: a card's to the card through Stripe
 * (201, pending until Stripe answers; 202 when Stripe could not be reached), a front-desk payment's
 * recorded as handed back (201, succeeded). Never more than the unused credit (422 on `amount`).
 */
export const POST = apiRoute<{ id: string }>("/api/v1/patients/{id}/credit-refunds", async (request, { db, principal, actor, params }) => {
  const patientId = recordIdFromPath(params.id, "That patient does not exist.");
  const input = await readJsonBody(request, ZRefundPatientCreditBody);
  const result = await refundPatientCredit(db, { organizationId: principal.organizationId, patientId, actor, input });
  return { status: result.stripeUnreachable ? 202 : 201, body: result };
});
