import { apiRoute, readJsonBody } from "@/lib/http/api-route";
import { recordIdFromPath } from "@/lib/http/record-id";
import { saveCoverageBenefits, ZCoverageBenefitsInput } from "@/lib/insurance/coverage-benefits";

export const dynamic = "force-dynamic";

/** Benefits taken down by hand (a phone call, the payer's portal): they replace the coverage's, verified now. */
export const PUT = apiRoute<{ id: string }>("/api/v1/coverages/{id}/benefits", async (request, { db, principal, actor, params }) => {
  const coverageId = recordIdFromPath(params.id, "That coverage does not exist.");
  const input = await readJsonBody(request, ZCoverageBenefitsInput);
  return { status: 200, body: await saveCoverageBenefits(db, { organizationId: principal.organizationId, actor, coverageId, input, source: "manual" }) };
});
