import type { Db, Tx } from "@/lib/db/client";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { AppError } from "@/lib/errors";
import type { InvoiceView } from "./invoices.types";
import { toInvoiceView } from "./to-invoice-view";

/** One invoice of this organization with its lines, or 404. */
export async function getInvoiceOrThrow(db: Db | Tx, options: { id: string; organizationId: string }) {
  const invoice = await db.invoice.findFirst({
    where: { id: options.id, organizationId: options.organizationId },
    include: { lines: true, organization: { select: { timezone: true } } },
  });
  if (!invoice) throw new AppError("NOT_FOUND", "That invoice does not exist.");
  return invoice;
}

export async function getInvoiceView(db: Db | Tx, options: { id: string; organizationId: string }): Promise<InvoiceView> {
  const invoice = await getInvoiceOrThrow(db, options);
  return toInvoiceView(invoice, invoice.organization.timezone);
}

/**
 * An invoice as a person or integration looks at it. It names the patient and their care, so
 * each look is recorded in the audit log (`invoice.viewed`), like a view of the patient.
 */
export async function viewInvoice(db: Db, options: { id: string; organizationId: string; actor: AuditActor }): Promise<InvoiceView> {
  const invoice = await getInvoiceView(db, options);
  await recordAuditEvent(db, {
    organizationId: options.organizationId,
    actor: options.actor,
    action: "invoice.viewed",
    target: { type: "invoice", id: invoice.id },
  });
  return invoice;
}
