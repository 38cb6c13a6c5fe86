import { apiRoute } from "@/lib/http/api-route";
import { invoiceIdFrom } from "@/lib/api/invoice-id";
import { viewInvoicePdf } from "@/lib/pdf/view-invoice-pdf";

export const dynamic = "force-dynamic";

/** The invoice as a PDF (audited: it names the patient and their care). */
export const GET = apiRoute<{ id: string }>("/api/v1/invoices/{id}/pdf", async (_request, { db, principal, actor, params }) => {
  const { filename, pdf } = await viewInvoicePdf(db, { organizationId: principal.organizationId, invoiceId: invoiceIdFrom(params), actor });
  return new Response(new Uint8Array(pdf), {
    headers: { "Content-Type": "application/pdf", "Content-Disposition": `inline; filename="${filename}"`, "Cache-Control": "private, no-store" },
  });
});
