import { getDb } from "@/lib/db/client";
import { recordIdFromPath } from "@/lib/http/record-id";
import { withAuth } from "@/lib/http/route";
import { creditNotePdfResponse, viewCreditNotePdf } from "@/lib/pdf/render-credit-note-pdf";

export const dynamic = "force-dynamic";

/** A credit note as a PDF, shown in the browser. Any staff role. */
export const GET = withAuth<{ id: string }>("/app/credit-notes/[id]/pdf", { role: "viewer" }, async (_request, { auth, params }) => {
  const creditNoteId = recordIdFromPath(params.id, "That credit note does not exist.");
  return creditNotePdfResponse(await viewCreditNotePdf(await getDb(), { organizationId: auth.organization.id, creditNoteId, actor: auth.actor }));
});
