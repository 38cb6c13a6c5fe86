import { apiRoute, readJsonBody } from "@/lib/http/api-route";
import { recordIdFromPath } from "@/lib/http/record-id";
import { requestClearinghousePoll } from "@/lib/clearinghouse/request-clearinghouse-poll";
import {
  getEligibilityCheckOrThrow,
  getEligibilityRequestFile,
  listEligibilityChecks,
  requestEligibilityCheck,
  ZEligibilityCheckInput,
} from "@/lib/insurance/eligibility";

export const dynamic = "force-dynamic";

const NOT_FOUND = "That coverage does not exist.";

/** The coverage's eligibility checks, newest first. */
export const GET = apiRoute<{ id: string }>("/api/v1/coverages/{id}/eligibility", async (_request, { db, principal, params }) => ({
  status: 200,
  body: { data: await listEligibilityChecks(db, { organizationId: principal.organizationId, coverageId: recordIdFromPath(params.id, NOT_FOUND) }) },
}));

/**
 * Writes a 270 for the coverage (body optional: { serviceTypeCodes }) and answers the check with its
 * file: on an SFTP connection the poll job sends it now; on a manual one the file handed out is sent.
 */
export const POST = apiRoute<{ id: string }>("/api/v1/coverages/{id}/eligibility", async (request, { db, principal, actor, params }) => {
  const organizationId = principal.organizationId;
  const coverageId = recordIdFromPath(params.id, NOT_FOUND);
  const input = request.headers.get("content-type") ? await readJsonBody(request, ZEligibilityCheckInput) : {};
  const created = await requestEligibilityCheck(db, { organizationId, actor, coverageId, serviceTypeCodes: input.serviceTypeCodes });
  const file = await getEligibilityRequestFile(db, { organizationId, checkId: created.id, actor });
  await requestClearinghousePoll(db, { organizationId });
  return { status: 201, body: { check: await getEligibilityCheckOrThrow(db, { organizationId, checkId: created.id }), request: file } };
});
