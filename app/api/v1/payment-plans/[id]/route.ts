import { apiRoute } from "@/lib/http/api-route";
import { recordIdFromPath } from "@/lib/http/record-id";
import { getPaymentPlanOrThrow } from "@/lib/payment-plans/get-payment-plan";

export const dynamic = "force-dynamic";

export const GET = apiRoute<{ id: string }>("/api/v1/payment-plans/{id}", async (_request, { db, principal, params }) => ({
  status: 200,
  body: await getPaymentPlanOrThrow(db, { organizationId: principal.organizationId, planId: recordIdFromPath(params.id, "That payment plan does not exist.") }),
}));
