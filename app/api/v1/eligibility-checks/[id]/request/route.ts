import { apiRoute } from "@/lib/http/api-route";
import { recordIdFromPath } from "@/lib/http/record-id";
import { getEligibilityRequestFile } from "@/lib/insurance/eligibility";

export const dynamic = "force-dynamic";

/** The 270 file of an eligibility check, as written (X12 text); on a manual connection the first download marks it sent. */
export const GET = apiRoute<{ id: string }>("/api/v1/eligibility-checks/{id}/request", async (_request, { db, principal, actor, params }) => {
  const { fileName, content } = await getEligibilityRequestFile(db, {
    organizationId: principal.organizationId,
    checkId: recordIdFromPath(params.id, "That eligibility check does not exist."),
    actor,
  });
  return new Response(content, {
    headers: { "Content-Type": "text/plain; charset=utf-8", "Content-Disposition": `attachment; filename="${fileName}"`, "Cache-Control": "private, no-store" },
  });
});
