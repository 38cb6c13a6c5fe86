import { apiRoute, parseQuery, readJsonBody } from "@/lib/http/api-route";
import { ZListPaymentsQuery, ZRecordPaymentBody } from "@/lib/api/api.schemas";
import { listPayments } from "@/lib/payments/list-payments";
import { toPaymentSummary } from "@/lib/payments/payment-view";
import { recordManualPayment } from "@/lib/payments/record-manual-payment";

export const dynamic = "force-dynamic";

export const GET = apiRoute("/api/v1/payments", async (request, { db, principal }) => {
  const query = parseQuery(request, ZListPaymentsQuery);
  const page = await listPayments(db, {
    organizationId: principal.organizationId,
    input: {
      status: query.status,
      source: query.source,
      methodType: query.method,
      patientId: query.patientId,
      invoiceId: query.invoiceId,
      createdFrom: query.createdFrom ? new Date(query.createdFrom) : undefined,
      createdTo: query.createdTo ? new Date(query.createdTo) : undefined,
      cursor: query.cursor,
      limit: query.limit,
    },
  });
  return { status: 200, body: { data: page.data.map((item) => toPaymentSummary(item.row, item.display.refunded)), nextCursor: page.nextCursor } };
});

/** Records a manual payment (money received outside Stripe) and applies it to invoices. */
export const POST = apiRoute("/api/v1/payments", async (request, { db, principal, actor }) => {
  const input = await readJsonBody(request, ZRecordPaymentBody);
  return { status: 201, body: await recordManualPayment(db, { organizationId: principal.organizationId, actor, input }) };
});
