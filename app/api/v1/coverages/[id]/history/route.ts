import { apiRoute } from "@/lib/http/api-route";
import { recordIdFromPath } from "@/lib/http/record-id";
import { listCoverageRevisions } from "@/lib/insurance/coverages";

export const dynamic = "force-dynamic";

export const GET = apiRoute<{ id: string }>("/api/v1/coverages/{id}/history", async (_request, { db, principal, params }) => ({
  status: 200,
  body: {
    data: await listCoverageRevisions(db, {
      organizationId: principal.organizationId,
      coverageId: recordIdFromPath(params.id, "That coverage does not exist."),
    }),
  },
}));
