import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { withAuth } from "@/lib/http/route";
import { viewReceiptPdf } from "@/lib/pdf/view-receipt-pdf";

export const dynamic = "force-dynamic";

const ZId = z.string().uuid();

/** A succeeded payment's receipt as a PDF, shown in the browser to print. Any staff role; audited. */
export const GET = withAuth<{ id: string }>("/app/payments/[id]/receipt", { role: "viewer" }, async (_request, { auth, params }) => {
  if (!ZId.safeParse(params.id).success) throw new AppError("NOT_FOUND", "That payment does not exist.");
  const { filename, pdf } = await viewReceiptPdf(await getDb(), { organizationId: auth.organization.id, paymentId: params.id, actor: auth.actor });
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
