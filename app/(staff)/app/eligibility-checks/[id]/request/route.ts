import { getDb } from "@/lib/db/client";
import { getEligibilityRequestFile } from "@/lib/insurance/eligibility";
import { recordIdFromPath } from "@/lib/http/record-id";
import { withAuth } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** An eligibility check's 270, downloaded to upload to the clearinghouse's portal. Any staff role (as the patient page shows the check). */
export const GET = withAuth<{ id: string }>("/app/eligibility-checks/[id]/request", { role: "viewer" }, async (_request, { auth, params }) => {
  const checkId = recordIdFromPath(params.id, "That eligibility check does not exist.");
  // On a manual connection the first download is the send (sentAt); audited as a download either way.
  const file = await getEligibilityRequestFile(await getDb(), { organizationId: auth.organization.id, checkId, actor: auth.actor });
  return new Response(file.content, {
    headers: {
      "Content-Type": "text/plain; charset=utf-8",
      "Content-Disposition": `attachment; filename="${file.fileName.replace(/[^A-Za-z0-9._-]/g, "_")}"`,
      // PHI: never kept by shared caches or the browser's disk cache.
      "Cache-Control": "private, no-store",
    },
  });
});
