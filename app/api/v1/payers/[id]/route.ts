import { apiRoute, readJsonBody } from "@/lib/http/api-route";
import { recordIdFromPath } from "@/lib/http/record-id";
import { ZPatchPayerBody } from "@/lib/insurance/insurance-api.schemas";
import { archivePayer, getPayerOrThrow, updatePayer, type ClaimFilingIndicator } from "@/lib/insurance/payers";

export const dynamic = "force-dynamic";

type Params = { id: string };

const payerId = (params: Params) => recordIdFromPath(params.id, "That payer does not exist.");

export const GET = apiRoute<Params>("/api/v1/payers/{id}", async (_request, { db, principal, params }) => ({
  status: 200,
  body: await getPayerOrThrow(db, { organizationId: principal.organizationId, payerId: payerId(params) }),
}));

/** The fields sent replace the payer's. */
export const PATCH = apiRoute<Params>("/api/v1/payers/{id}", async (request, { db, principal, actor, params }) => {
  const id = payerId(params);
  const changes = await readJsonBody(request, ZPatchPayerBody);
  const current = await getPayerOrThrow(db, { organizationId: principal.organizationId, payerId: id });
  const input = {
    name: changes.name ?? current.name,
    payerId: changes.payerId ?? current.payerId,
    claimFilingIndicator: changes.claimFilingIndicator ?? (current.claimFilingIndicator as ClaimFilingIndicator),
    address: changes.address === undefined ? current.address : changes.address,
  };
  return { status: 200, body: await updatePayer(db, { organizationId: principal.organizationId, actor, payerId: id, input }) };
});

/** Archives the payer (its coverages and claims stay). */
export const DELETE = apiRoute<Params>("/api/v1/payers/{id}", async (_request, { db, principal, actor, params }) => ({
  status: 200,
  body: await archivePayer(db, { organizationId: principal.organizationId, actor, payerId: payerId(params) }),
}));
