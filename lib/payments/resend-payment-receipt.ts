import type { Db } from "@/lib/db/client";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { AppError } from "@/lib/errors";
import { queueStoredPaymentReceipt } from "./queue-receipt-email";

/**
 * Emails the receipt of a succeeded payment (again) to the patient, with the PDF attached.
 * 409 when the payment has no receipt (not succeeded) or the patient has no email address.
 */
export async function resendPaymentReceipt(db: Db, options: { organizationId: string; paymentId: string; actor: AuditActor }): Promise<{ toAddress: string }> {
  return db.$transaction(async (tx) => {
    const payment = await tx.payment.findFirst({
      where: { id: options.paymentId, organizationId: options.organizationId },
      select: { id: true, status: true, patient: { select: { email: true } } },
    });
    if (!payment) throw new AppError("NOT_FOUND", "That payment does not exist.");
    if (payment.status !== "succeeded") throw new AppError("CONFLICT", "Only completed payments have a receipt to send.");
    if (!payment.patient?.email) throw new AppError("CONFLICT", "The patient has no email address. Add one on the patient's page, or print the receipt.");
    await queueStoredPaymentReceipt(tx, { organizationId: options.organizationId, paymentId: payment.id });
    await recordAuditEvent(tx, {
      organizationId: options.organizationId,
      actor: options.actor,
      action: "payment.receipt_emailed",
      target: { type: "payment", id: payment.id },
    });
    return { toAddress: payment.patient.email };
  });
}
