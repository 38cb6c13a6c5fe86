import { apiRoute } from "@/lib/http/api-route";
import { recordIdFromPath } from "@/lib/http/record-id";
import { listPaymentMethods } from "@/lib/cards-on-file/list-payment-methods";

export const dynamic = "force-dynamic";

/** The patient's cards on file: brand, last 4, expiry, default, source and consent; no other card data. */
export const GET = apiRoute<{ id: string }>("/api/v1/patients/{id}/payment-methods", async (_request, { db, principal, params }) => ({
  status: 200,
  body: {
    data: await listPaymentMethods(db, { organizationId: principal.organizationId, patientId: recordIdFromPath(params.id, "That patient does not exist.") }),
  },
}));
