import { getDb } from "@/lib/db/client";
import { recordIdFromPath } from "@/lib/http/record-id";
import { withAuth } from "@/lib/http/route";
import { getClaimBatchFile } from "@/lib/claims/submit-claims";

export const dynamic = "force-dynamic";

/** A batch's 837P file, downloaded to upload at the clearinghouse's portal (audited). Billing staff. */
export const GET = withAuth<{ id: string }>("/app/claims/batches/[id]/file", { role: "billing" }, async (_request, { auth, params }) => {
  const batchId = recordIdFromPath(params.id, "That claim file does not exist.");
  const { fileName, content } = await getClaimBatchFile(await getDb(), { organizationId: auth.organization.id, batchId, actor: auth.actor });
  return new Response(content, {
    headers: {
      "Content-Type": "text/plain; charset=utf-8",
      "Content-Disposition": `attachment; filename="${fileName.replace(/[^\w.-]/g, "_")}"`,
      // PHI: never kept by shared caches or the browser's disk cache.
      "Cache-Control": "private, no-store",
    },
  });
});
