import { getDb } from "@/lib/db/client";
import { recordIdFromPath } from "@/lib/http/record-id";
import { withAuth } from "@/lib/http/route";
import { viewReceiptPdf } from "@/lib/pdf/view-receipt-pdf";

export const dynamic = "force-dynamic";

/** A succeeded payment's receipt as a PDF, shown in the browser to print. Any staff role; audited. */
export const GET = withAuth<{ id: string }>("/app/payments/[id]/receipt", { role: "viewer" }, async (_request, { auth, params }) => {
  const paymentId = recordIdFromPath(params.id, "That payment does not exist.");
  const { filename, pdf } = await viewReceiptPdf(await getDb(), { organizationId: auth.organization.id, paymentId, actor: auth.actor });
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
