import { apiRoute, readJsonBody } from "@/lib/http/api-route";
import { recordIdFromPath } from "@/lib/http/record-id";
import { getPaymentPlanOrThrow } from "@/lib/payment-plans/get-payment-plan";
import { rescheduleInstallment, ZRescheduleInstallmentInput } from "@/lib/payment-plans/manage-payment-plan";

export const dynamic = "force-dynamic";

/** Moves one scheduled installment to another day (today or later on the clinic's calendar); answers with the plan. */
export const POST = apiRoute<{ id: string; installmentId: string }>(
  "/api/v1/payment-plans/{id}/installments/{installmentId}/reschedule",
  async (request, { db, principal, actor, params }) => {
    const planId = recordIdFromPath(params.id, "That payment plan does not exist.");
    const installmentId = recordIdFromPath(params.installmentId, "That installment is not part of this plan.");
    const input = await readJsonBody(request, ZRescheduleInstallmentInput);
    await rescheduleInstallment(db, { organizationId: principal.organizationId, planId, installmentId, actor, now: new Date(), input });
    return { status: 200, body: await getPaymentPlanOrThrow(db, { organizationId: principal.organizationId, planId }) };
  },
);
