import { apiRoute } from "@/lib/http/api-route";
import { paymentIdFrom } from "@/lib/api/payment-id";
import { viewReceiptPdf } from "@/lib/pdf/view-receipt-pdf";

export const dynamic = "force-dynamic";

/** A succeeded payment's receipt as a PDF (audited: it names the patient). */
export const GET = apiRoute<{ id: string }>("/api/v1/payments/{id}/receipt", async (_request, { db, principal, actor, params }) => {
  const { filename, pdf } = await viewReceiptPdf(db, { organizationId: principal.organizationId, paymentId: paymentIdFrom(params), actor });
  return new Response(new Uint8Array(pdf), {
    headers: { "Content-Type": "application/pdf", "Content-Disposition": `inline; filename="${filename}"`, "Cache-Control": "private, no-store" },
  });
});
