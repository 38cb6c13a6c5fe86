import { apiRoute } from "@/lib/http/api-route";
import { recordIdFromPath } from "@/lib/http/record-id";
import { getClaimBatchFile } from "@/lib/claims/submit-claims";

export const dynamic = "force-dynamic";

export const GET = apiRoute<{ id: string }>("/api/v1/claim-batches/{id}/file", async (_request, { db, principal, actor, params }) => {
  const batchId = recordIdFromPath(params.id, "That claim batch does not exist.");
  const file = await getClaimBatchFile(db, { organizationId: principal.organizationId, batchId, actor });
  return new Response(file.content, {
    status: 200,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Content-Disposition": `attachment; filename="${file.fileName}"`, "Cache-Control": "no-store" },
  });
});
