import type { Db } from "@/lib/db/client";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { getCurrentPaymentLink } from "@/lib/payment-links/get-current-payment-link";
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
  // The invoice's live pay link, if any, is printed with its QR code, like on the emailed copy.
  const link = await getCurrentPaymentLink(db, { organizationId: options.organizationId, invoiceId: options.invoiceId });
  const file = await renderInvoicePdfFile(db, {
    organizationId: options.organizationId,
    invoiceId: options.invoiceId,
    payLink: link ? { url: link.url } : undefined,
  });
  await recordAuditEvent(db, {
    organizationId: options.organizationId,
    actor: options.actor,
    action: "invoice.pdf_viewed",
    target: { type: "invoice", id: options.invoiceId },
  });
  return file;
}
