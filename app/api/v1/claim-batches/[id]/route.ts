import { apiRoute } from "@/lib/http/api-route";
import { recordIdFromPath } from "@/lib/http/record-id";
import { getClaimBatchOrThrow } from "@/lib/claims/submit-claims";

export const dynamic = "force-dynamic";

export const GET = apiRoute<{ id: string }>("/api/v1/claim-batches/{id}", async (_request, { db, principal, params }) => ({
  status: 200,
  body: await getClaimBatchOrThrow(db, { organizationId: principal.organizationId, batchId: recordIdFromPath(params.id, "That claim batch does not exist.") }),
}));
