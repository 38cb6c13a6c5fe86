import type { Db } from "@/lib/db/client";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { renderInvoicePdfFile } from "./render-invoice-pdf";

/**
 * The invoice PDF for a signed-in person or an API key. The PDF names the patient and their
 * care (PHI), so each download records an `invoice.pdf_viewed` audit entry. Another
 * organization's invoice is NOT_FOUND.
 */
export async function viewInvoicePdf(
  db: Db,
  options: { organizationId: string; invoiceId: string; actor: AuditActor },
): Promise<{ filename: string; pdf: Buffer }> {
  const file = await renderInvoicePdfFile(db, { organizationId: options.organizationId, invoiceId: options.invoiceId });
  await recordAuditEvent(db, {
    organizationId: options.organizationId,
    actor: options.actor,
    action: "invoice.pdf_viewed",
    target: { type: "invoice", id: options.invoiceId },
  });
  return file;
}
