import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { withAuth } from "@/lib/http/route";
import { creditNotePdfResponse, viewCreditNotePdf } from "@/lib/pdf/render-credit-note-pdf";

export const dynamic = "force-dynamic";

/** A credit note as a PDF, shown in the browser. Any staff role. */
export const GET = withAuth<{ id: string }>("/app/credit-notes/[id]/pdf", { role: "viewer" }, async (_request, { auth, params }) => {
  if (!z.uuid().safeParse(params.id).success) throw new AppError("NOT_FOUND", "That credit note does not exist.");
  return creditNotePdfResponse(await viewCreditNotePdf(await getDb(), { organizationId: auth.organization.id, creditNoteId: params.id, actor: auth.actor }));
});
