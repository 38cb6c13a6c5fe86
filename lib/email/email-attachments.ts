import { z } from "zod";
import type { Db, Tx } from "@/lib/db/client";
import type { EmailAttachmentFile } from "./mail-transport";

/** What an outbox email attaches, stored as JSON on the row and rendered at delivery. */
export const ZEmailAttachment = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("invoice_pdf"),
    invoiceId: z.string().uuid(),
    filename: z.string().min(1).max(100),
    /** The pay link printed on the PDF with its QR code. */
    payUrl: z.string().url().optional(),
  }),
  /** A payment's receipt (lib/pdf/render-receipt-pdf.tsx). */
  z.object({ type: z.literal("receipt_pdf"), paymentId: z.string().uuid(), filename: z.string().min(1).max(100) }),
]);
export type EmailAttachment = z.infer<typeof ZEmailAttachment>;

export function parseEmailAttachments(value: unknown): EmailAttachment[] {
  return z.array(ZEmailAttachment).parse(value);
}

/** Renders an email's attachments now, from the database, within the email's organization. */
export async function renderEmailAttachments(db: Db | Tx, options: { organizationId: string; attachments: EmailAttachment[] }): Promise<EmailAttachmentFile[]> {
  if (options.attachments.length === 0) return [];
  // Loaded on first use: the worker starts with the server, and in demo mode never renders a PDF.
  const { renderInvoicePdf } = await import("@/lib/pdf/render-invoice-pdf");
  return Promise.all(
    options.attachments.map(async (attachment) => ({
      filename: attachment.filename,
      contentType: "application/pdf",
      content:
        attachment.type === "receipt_pdf"
          ? (
              await (
                await import("@/lib/pdf/render-receipt-pdf")
              ).renderReceiptPdfFile(db, { organizationId: options.organizationId, paymentId: attachment.paymentId })
            ).pdf
          : await renderInvoicePdf(db, {
              organizationId: options.organizationId,
              invoiceId: attachment.invoiceId,
              ...(attachment.payUrl ? { payLink: { url: attachment.payUrl } } : {}),
            }),
    })),
  );
}
