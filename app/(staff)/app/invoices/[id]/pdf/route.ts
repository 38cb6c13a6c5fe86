import { getDb } from "@/lib/db/client";
import { recordIdFromPath } from "@/lib/http/record-id";
import { withAuth } from "@/lib/http/route";
import { viewInvoicePdf } from "@/lib/pdf/view-invoice-pdf";

export const dynamic = "force-dynamic";

/** The invoice as a PDF, shown in the browser (drafts carry a DRAFT watermark). Any staff role. */
export const GET = withAuth<{ id: string }>("/app/invoices/[id]/pdf", { role: "viewer" }, async (_request, { auth, params }) => {
  const invoiceId = recordIdFromPath(params.id, "That invoice does not exist.");
  const { filename, pdf } = await viewInvoicePdf(await getDb(), { organizationId: auth.organization.id, invoiceId, actor: auth.actor });
  return new Response(new Uint8Array(pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `inline; filename="${filename}"`,
      "Content-Length": String(pdf.length),
      // PHI: never kept by shared caches or the browser's disk cache.
      "Cache-Control": "private, no-store",
    },
  });
});
