import { apiRoute, readJsonBody } from "@/lib/http/api-route";
import { recordIdFromPath } from "@/lib/http/record-id";
import { ZPatchRenderingProviderBody } from "@/lib/insurance/insurance-api.schemas";
import { archiveRenderingProvider, getRenderingProviderOrThrow, updateRenderingProvider } from "@/lib/insurance/rendering-providers";

export const dynamic = "force-dynamic";

type Params = { id: string };

const providerId = (params: Params) => recordIdFromPath(params.id, "That rendering provider does not exist.");

export const GET = apiRoute<Params>("/api/v1/rendering-providers/{id}", async (_request, { db, principal, params }) => ({
  status: 200,
  body: await getRenderingProviderOrThrow(db, { organizationId: principal.organizationId, renderingProviderId: providerId(params) }),
}));

/** The fields sent replace the provider's. */
export const PATCH = apiRoute<Params>("/api/v1/rendering-providers/{id}", async (request, { db, principal, actor, params }) => {
  const renderingProviderId = providerId(params);
  const changes = await readJsonBody(request, ZPatchRenderingProviderBody);
  const current = await getRenderingProviderOrThrow(db, { organizationId: principal.organizationId, renderingProviderId });
  const input = {
    firstName: changes.firstName ?? current.firstName,
    lastName: changes.lastName ?? current.lastName,
    npi: changes.npi ?? current.npi,
    taxonomyCode: changes.taxonomyCode === undefined ? current.taxonomyCode : changes.taxonomyCode,
  };
  return { status: 200, body: await updateRenderingProvider(db, { organizationId: principal.organizationId, actor, renderingProviderId, input }) };
});

/** Archives the provider (past visits and claims keep them). */
export const DELETE = apiRoute<Params>("/api/v1/rendering-providers/{id}", async (_request, { db, principal, actor, params }) => ({
  status: 200,
  body: await archiveRenderingProvider(db, { organizationId: principal.organizationId, actor, renderingProviderId: providerId(params) }),
}));
