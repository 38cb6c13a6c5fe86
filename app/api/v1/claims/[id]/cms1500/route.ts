import { viewCms1500Pdf } from "@/lib/claims/view-cms1500-pdf";
import { apiRoute } from "@/lib/http/api-route";
import { recordIdFromPath } from "@/lib/http/record-id";

export const dynamic = "force-dynamic";

/** The claim's CMS-1500 as a PDF (audited: it names the patient, diagnoses and care). */
export const GET = apiRoute<{ id: string }>("/api/v1/claims/{id}/cms1500", async (_request, { db, principal, actor, params }) => {
  const claimId = recordIdFromPath(params.id, "That claim does not exist.");
  const { filename, pdf } = await viewCms1500Pdf(db, { organizationId: principal.organizationId, claimId, actor });
  return new Response(new Uint8Array(pdf), {
    headers: { "Content-Type": "application/pdf", "Content-Disposition": `inline; filename="${filename}"`, "Cache-Control": "private, no-store" },
  });
});
