import { apiRoute, readJsonBody } from "@/lib/http/api-route";
import { recordIdFromPath } from "@/lib/http/record-id";
import { getPaymentPlanOrThrow } from "@/lib/payment-plans/get-payment-plan";
import { changePlanCard, ZChangePlanCardInput } from "@/lib/payment-plans/manage-payment-plan";

export const dynamic = "force-dynamic";

/** Charges another of the patient's cards on file (saved with their consent) from the plan's next attempt on; answers with the plan. */
export const POST = apiRoute<{ id: string }>("/api/v1/payment-plans/{id}/change-card", async (request, { db, principal, actor, params }) => {
  const planId = recordIdFromPath(params.id, "That payment plan does not exist.");
  const input = await readJsonBody(request, ZChangePlanCardInput);
  await changePlanCard(db, { organizationId: principal.organizationId, planId, actor, now: new Date(), input });
  return { status: 200, body: await getPaymentPlanOrThrow(db, { organizationId: principal.organizationId, planId }) };
});
