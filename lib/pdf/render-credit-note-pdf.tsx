import { renderToBuffer } from "@react-pdf/renderer";
import type { Db, Tx } from "@/lib/db/client";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { AppError } from "@/lib/errors";
import { CreditNoteDocument, type CreditNotePdfData } from "./credit-note-document";
import { pdfLetterhead } from "./letterhead";
import { dayFormatter } from "@/lib/dates/format-date";

/** Loads what the credit note PDF shows; another organization's credit note is NOT_FOUND. */
export async function loadCreditNotePdfData(db: Db | Tx, options: { organizationId: string; creditNoteId: string }): Promise<CreditNotePdfData> {
  const creditNote = await db.creditNote.findFirst({
    where: { id: options.creditNoteId, organizationId: options.organizationId },
    include: {
      invoice: { select: { number: true, total: true, finalizedAt: true } },
      patient: { select: { firstName: true, lastName: true, externalId: true } },
      organization: { include: { logo: true } },
    },
  });
  if (!creditNote) throw new AppError("NOT_FOUND", "That credit note does not exist.");
  const organization = creditNote.organization;
  const dateFormat = dayFormatter({ timeZone: organization.timezone });
  return {
    ...pdfLetterhead(organization),
    patient: { name: `${creditNote.patient.firstName} ${creditNote.patient.lastName}`, externalId: creditNote.patient.externalId },
    creditNote: {
      number: creditNote.number,
      status: creditNote.status,
      currency: creditNote.currency,
      issueDate: dateFormat.format(creditNote.createdAt),
      disposition: creditNote.disposition,
      reason: creditNote.reason,
      amount: creditNote.amount,
      taxAmount: creditNote.taxAmount,
    },
    invoice: {
      number: creditNote.invoice.number ?? "",
      total: creditNote.invoice.total,
      issueDate: creditNote.invoice.finalizedAt ? dateFormat.format(creditNote.invoice.finalizedAt) : null,
    },
  };
}

/** One credit note of this organization as a PDF with its file name (CN-00001.pdf). */
export async function renderCreditNotePdf(db: Db | Tx, options: { organizationId: string; creditNoteId: string }): Promise<{ filename: string; pdf: Buffer }> {
  const data = await loadCreditNotePdfData(db, options);
  const pdf = await renderToBuffer(<CreditNoteDocument data={data} />);
  return { filename: `${data.creditNote.number}.pdf`, pdf };
}

/**
 * The credit note PDF for a signed-in person or an API key. It names the patient (PHI), so each
 * download records a `credit_note.pdf_viewed` audit entry.
 */
export async function viewCreditNotePdf(
  db: Db,
  options: { organizationId: string; creditNoteId: string; actor: AuditActor },
): Promise<{ filename: string; pdf: Buffer }> {
  const file = await renderCreditNotePdf(db, options);
  await recordAuditEvent(db, {
    organizationId: options.organizationId,
    actor: options.actor,
    action: "credit_note.pdf_viewed",
    target: { type: "credit_note", id: options.creditNoteId },
  });
  return file;
}

/** The Response that serves a credit note PDF inline, never cached (PHI). */
export function creditNotePdfResponse(file: { filename: string; pdf: Buffer }): Response {
  return new Response(new Uint8Array(file.pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `inline; filename="${file.filename}"`,
      "Content-Length": String(file.pdf.length),
      "Cache-Control": "private, no-store",
    },
  });
}
