import { apiRoute, parseQuery, readJsonBody } from "@/lib/http/api-route";
import { ZListPaymentPlansQuery } from "@/lib/api/api.schemas";
import { ZCreatePaymentPlanInput } from "@/lib/payment-plans/create-payment-plan";
import { listPaymentPlans } from "@/lib/payment-plans/get-payment-plan";
import { startPaymentPlan } from "@/lib/payment-plans/start-payment-plan";

export const dynamic = "force-dynamic";

export const GET = apiRoute("/api/v1/payment-plans", async (request, { db, principal }) => {
  const query = parseQuery(request, ZListPaymentPlansQuery);
  return { status: 200, body: await listPaymentPlans(db, { organizationId: principal.organizationId, ...query }) };
});

export const POST = apiRoute("/api/v1/payment-plans", async (request, { db, principal, actor }) => {
  const input = await readJsonBody(request, ZCreatePaymentPlanInput);
  return { status: 201, body: await startPaymentPlan(db, { organizationId: principal.organizationId, actor, input, now: new Date() }) };
});
