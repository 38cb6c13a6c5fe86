import { apiRoute } from "@/lib/http/api-route";
import { recordIdFromPath } from "@/lib/http/record-id";
import { removeCard } from "@/lib/cards-on-file/remove-card";

export const dynamic = "force-dynamic";

/** Removes a card on file: detached in Stripe, never charged again (its consent stays on record). 204. */
export const DELETE = apiRoute<{ id: string; pmId: string }>(
  "/api/v1/patients/{id}/payment-methods/{pmId}",
  async (_request, { db, principal, actor, params }) => {
    await removeCard(db, {
      organizationId: principal.organizationId,
      patientId: recordIdFromPath(params.id, "That patient does not exist."),
      cardId: recordIdFromPath(params.pmId, "That card is not on file for this patient."),
      actor,
    });
    return new Response(null, { status: 204 });
  },
);
