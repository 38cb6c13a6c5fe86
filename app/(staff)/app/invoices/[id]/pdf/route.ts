import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { withAuth } from "@/lib/http/route";
import { viewInvoicePdf } from "@/lib/pdf/view-invoice-pdf";

export const dynamic = "force-dynamic";

const ZId = z.string().uuid();

/** The invoice as a PDF, shown in the browser (drafts carry a DRAFT watermark). Any staff role. */
export const GET = withAuth<{ id: string }>("/app/invoices/[id]/pdf", { role: "viewer" }, async (_request, { auth, params }) => {
  // A malformed id names no invoice: 404, like another organization's id.
  if (!ZId.safeParse(params.id).success) throw new AppError("NOT_FOUND", "That invoice does not exist.");
  const { filename, pdf } = await viewInvoicePdf(await getDb(), { organizationId: auth.organization.id, invoiceId: params.id, actor: auth.actor });
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
