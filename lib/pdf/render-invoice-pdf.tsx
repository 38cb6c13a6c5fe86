import { renderToBuffer } from "@react-pdf/renderer";
import type { Db, Tx } from "@/lib/db/client";
import { InvoiceDocument } from "./invoice-document";
import { loadInvoicePdfData, type PayLink } from "./load-invoice-pdf-data";

export type { PayLink };

/** The file name a downloaded or attached invoice PDF gets: the invoice number, or "draft-…". */
export function invoicePdfFilename(invoice: { id: string; number: string | null }): string {
  return invoice.number ? `${invoice.number}.pdf` : `draft-${invoice.id.slice(0, 8)}.pdf`;
}

/**
 * Renders one invoice of this organization as a PDF, with its file name. Drafts render with a
 * DRAFT watermark and void invoices with VOID; another organization's invoice is NOT_FOUND.
 * Pass `payLink` to print the link and its QR code.
 */
export async function renderInvoicePdfFile(
  db: Db | Tx,
  options: { organizationId: string; invoiceId: string; payLink?: PayLink },
): Promise<{ filename: string; pdf: Buffer }> {
  const data = await loadInvoicePdfData(db, options);
  const pdf = await renderToBuffer(<InvoiceDocument data={data} />);
  return { filename: invoicePdfFilename({ id: options.invoiceId, number: data.invoice.number }), pdf };
}

/** `renderInvoicePdf(db, { organizationId, invoiceId, payLink? })`: the invoice PDF's bytes. */
export async function renderInvoicePdf(db: Db | Tx, options: { organizationId: string; invoiceId: string; payLink?: PayLink }): Promise<Buffer> {
  return (await renderInvoicePdfFile(db, options)).pdf;
}
