import type { Db } from "@/lib/db/client";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { renderReceiptPdfFile } from "./render-receipt-pdf";

/**
 * A payment's receipt PDF for a signed-in person or an API key. It names the patient, so each
 * view records a `payment.receipt_viewed` audit entry (like the invoice PDF).
 */
export async function viewReceiptPdf(
  db: Db,
  options: { organizationId: string; paymentId: string; actor: AuditActor },
): Promise<{ filename: string; pdf: Buffer }> {
  const file = await renderReceiptPdfFile(db, { organizationId: options.organizationId, paymentId: options.paymentId });
  await recordAuditEvent(db, {
    organizationId: options.organizationId,
    actor: options.actor,
    action: "payment.receipt_viewed",
    target: { type: "payment", id: options.paymentId },
  });
  return file;
}
