import { apiRoute, readJsonBody } from "@/lib/http/api-route";
import { recordIdFromPath } from "@/lib/http/record-id";
import { archiveCoverage, coverageInputOf, getCoverageOrThrow, updateCoverage } from "@/lib/insurance/coverages";
import { ZPatchCoverageBody } from "@/lib/insurance/insurance-api.schemas";

export const dynamic = "force-dynamic";

type Params = { id: string };

const coverageId = (params: Params) => recordIdFromPath(params.id, "That coverage does not exist.");

export const GET = apiRoute<Params>("/api/v1/coverages/{id}", async (_request, { db, principal, params }) => ({
  status: 200,
  body: await getCoverageOrThrow(db, { organizationId: principal.organizationId, coverageId: coverageId(params) }),
}));

/** The fields sent replace the coverage's; relationship 18 sent without a subscriber clears the subscriber. */
export const PATCH = apiRoute<Params>("/api/v1/coverages/{id}", async (request, { db, principal, actor, params }) => {
  const id = coverageId(params);
  const changes = await readJsonBody(request, ZPatchCoverageBody);
  const current = coverageInputOf(await getCoverageOrThrow(db, { organizationId: principal.organizationId, coverageId: id }));
  const clearsSubscriber = changes.relationshipCode === "18" && changes.subscriber === undefined;
  const input = { ...current, ...changes, ...(clearsSubscriber ? { subscriber: null } : {}) };
  return { status: 200, body: await updateCoverage(db, { organizationId: principal.organizationId, actor, coverageId: id, input }) };
});

/** Archives the coverage (it stays on past claims and in its history). */
export const DELETE = apiRoute<Params>("/api/v1/coverages/{id}", async (_request, { db, principal, actor, params }) => ({
  status: 200,
  body: await archiveCoverage(db, { organizationId: principal.organizationId, actor, coverageId: coverageId(params) }),
}));
