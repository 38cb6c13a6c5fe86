import { viewCms1500Pdf } from "@/lib/claims/view-cms1500-pdf";
import { getDb } from "@/lib/db/client";
import { recordIdFromPath } from "@/lib/http/record-id";
import { withAuth } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** The claim's CMS-1500 as a PDF, shown in the browser. Any staff role; audited. */
export const GET = withAuth<{ id: string }>("/app/claims/[id]/cms1500", { role: "viewer" }, async (_request, { auth, params }) => {
  const claimId = recordIdFromPath(params.id, "That claim does not exist.");
  const { filename, pdf } = await viewCms1500Pdf(await getDb(), { organizationId: auth.organization.id, claimId, actor: auth.actor });
  return new Response(new Uint8Array(pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `inline; filename="${filename}"`,
      "Content-Length": String(pdf.length),
      // PHI: never kept by shared caches or the browser's disk cache.
      "Cache-Control": "private, no-store",
    },
  });
});
