import { z } from "zod";
import { AppError } from "@/lib/errors";
import { apiRoute } from "@/lib/http/api-route";
import { creditNotePdfResponse, viewCreditNotePdf } from "@/lib/pdf/render-credit-note-pdf";

export const dynamic = "force-dynamic";

export const GET = apiRoute<{ id: string }>("/api/v1/credit-notes/{id}/pdf", async (_request, { db, principal, actor, params }) => {
  if (!z.uuid().safeParse(params.id).success) throw new AppError("NOT_FOUND", "That credit note does not exist.");
  return creditNotePdfResponse(await viewCreditNotePdf(db, { organizationId: principal.organizationId, creditNoteId: params.id, actor }));
});
