import { apiRoute } from "@/lib/http/api-route";
import { recordIdFromPath } from "@/lib/http/record-id";
import { getPaymentPlanOrThrow } from "@/lib/payment-plans/get-payment-plan";
import { cancelPaymentPlan } from "@/lib/payment-plans/manage-payment-plan";

export const dynamic = "force-dynamic";

export const POST = apiRoute<{ id: string }>("/api/v1/payment-plans/{id}/cancel", async (_request, { db, principal, actor, params }) => {
  const planId = recordIdFromPath(params.id, "That payment plan does not exist.");
  await cancelPaymentPlan(db, { organizationId: principal.organizationId, planId, actor, now: new Date() });
  return { status: 200, body: await getPaymentPlanOrThrow(db, { organizationId: principal.organizationId, planId }) };
});
