import type { Db } from "@/lib/db/client";
import type { AuditActor } from "@/lib/audit/record-audit-event";
import type { AppErrorCode } from "@/lib/errors";
import { toAppError } from "@/lib/http/error-response";
import { logger } from "@/lib/observability/logger";
import { finalizeInvoice } from "./finalize-invoice";
import type { InvoiceView } from "./invoices.types";
import { sendInvoice } from "./send-invoice";

export type FinalizeAndSendOutcome =
  | { invoice: InvoiceView; sent: true }
  /** Finalized (numbered, posted) but not sent: the invoice stays finalized and Send can be retried. */
  | { invoice: InvoiceView; sent: false; sendError: { code: AppErrorCode; message: string } };

/**
 * Finalizes a draft, then sends it (a fresh pay link and the email with the PDF, through the
 * outbox). Two transactions, on purpose: a finalized invoice is a fact of the books that a failed
 * email must not undo. So a failed finalize changes nothing and is thrown as it is; a failed send
 * after a successful finalize is returned as `sent: false` with the reason, the invoice finalized.
 */
export async function finalizeAndSendInvoice(
  db: Db,
  options: { organizationId: string; invoiceId: string; actor: AuditActor; now?: Date },
): Promise<FinalizeAndSendOutcome> {
  const finalized = await finalizeInvoice(db, options);
  try {
    const sent = await sendInvoice(db, { organizationId: options.organizationId, invoiceId: options.invoiceId, actor: options.actor });
    return { invoice: sent, sent: true };
  } catch (error) {
    const appError = toAppError(error);
    if (appError.status >= 500) {
      logger.error({ err: appError.cause ?? appError, invoiceId: options.invoiceId }, "invoice finalized but not sent");
      return { invoice: finalized, sent: false, sendError: { code: appError.code, message: "The email could not be prepared." } };
    }
    return { invoice: finalized, sent: false, sendError: { code: appError.code, message: appError.message } };
  }
}
