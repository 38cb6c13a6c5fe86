import { apiRoute } from "@/lib/http/api-route";
import { recordIdFromPath } from "@/lib/http/record-id";
import { listPaymentMethods } from "@/lib/cards-on-file/list-payment-methods";
import { setDefaultCard } from "@/lib/cards-on-file/set-default-card";

export const dynamic = "force-dynamic";

/** Makes a card on file the patient's default; answers with the patient's cards. */
export const POST = apiRoute<{ id: string; pmId: string }>(
  "/api/v1/patients/{id}/payment-methods/{pmId}/default",
  async (_request, { db, principal, actor, params }) => {
    const patientId = recordIdFromPath(params.id, "That patient does not exist.");
    await setDefaultCard(db, {
      organizationId: principal.organizationId,
      patientId,
      cardId: recordIdFromPath(params.pmId, "That card is not on file for this patient."),
      actor,
    });
    return { status: 200, body: { data: await listPaymentMethods(db, { organizationId: principal.organizationId, patientId }) } };
  },
);
