import { apiRoute } from "@/lib/http/api-route";
import { recordIdFromPath } from "@/lib/http/record-id";
import { getRemittanceOrThrow } from "@/lib/remittances/list-remittances";

export const dynamic = "force-dynamic";

export const GET = apiRoute<{ id: string }>("/api/v1/remittances/{id}", async (_request, { db, principal, params }) => ({
  status: 200,
  body: await getRemittanceOrThrow(db, {
    organizationId: principal.organizationId,
    remittanceId: recordIdFromPath(params.id, "That remittance does not exist."),
  }),
}));
