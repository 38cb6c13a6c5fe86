import { apiRoute } from "@/lib/http/api-route";
import { recordIdFromPath } from "@/lib/http/record-id";
import { creditNotePdfResponse, viewCreditNotePdf } from "@/lib/pdf/render-credit-note-pdf";

export const dynamic = "force-dynamic";

export const GET = apiRoute<{ id: string }>("/api/v1/credit-notes/{id}/pdf", async (_request, { db, principal, actor, params }) => {
  const creditNoteId = recordIdFromPath(params.id, "That credit note does not exist.");
  return creditNotePdfResponse(await viewCreditNotePdf(db, { organizationId: principal.organizationId, creditNoteId, actor }));
});
