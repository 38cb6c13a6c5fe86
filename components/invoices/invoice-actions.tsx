"use client";

import { useState } from "react";
import Link from "next/link";
import { Ban, CircleSlash, Download, Pencil, Send, Stamp } from "lucide-react";
import { finalizeInvoiceAction } from "@/lib/actions/invoices/finalize-invoice";
import { markInvoiceUncollectibleAction } from "@/lib/actions/invoices/mark-invoice-uncollectible";
import { sendInvoiceAction } from "@/lib/actions/invoices/send-invoice";
import { voidInvoiceAction } from "@/lib/actions/invoices/void-invoice";
import type { ActionResult } from "@/lib/http/action";
import type { InvoiceStatus } from "@/lib/invoices/invoices.types";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button, buttonVariants } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { ReasonDialog } from "./reason-dialog";

type InvoiceActionsProps = {
  invoice: { id: string; number: string | null; status: InvoiceStatus; amountPaid: number; sentAt: string | null };
  patient: { id: string; email: string | null };
  canWrite: boolean;
};

/** What can be done with an invoice in its current state; viewers only get the PDF. */
export function InvoiceActions({ invoice, patient, canWrite }: InvoiceActionsProps) {
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const name = invoice.number ?? "this draft";
  const isDraft = invoice.status === "draft";
  const isReceivable = invoice.status === "open" || invoice.status === "partially_paid";

  /** Finalize and send: the dialog closes when the action answers, and the outcome shows under the buttons. */
  async function run(action: () => Promise<ActionResult<unknown>>, success: string) {
    setError(null);
    setNotice(null);
    const result = await action();
    if (result.ok) setNotice(success);
    else setError(result.error.message);
  }

  async function withResult(action: Promise<ActionResult<unknown>>, success: string) {
    const result = await action;
    if (result.ok) {
      setError(null);
      setNotice(success);
    }
    return result;
  }

  return (
    <div className="grid gap-3 sm:justify-items-end">
      <div className="flex flex-wrap gap-2 sm:justify-end">
        {canWrite && isDraft && (
          <>
            <Link href={`/app/invoices/${invoice.id}/edit`} className={buttonVariants({ variant: "outline" })}>
              <Pencil aria-hidden="true" /> Edit
            </Link>
            <ConfirmButton
              variant="default"
              size="default"
              title="Finalize this invoice?"
              description="It gets the next invoice number and its due date, and is posted to the books. After that it can no longer be edited, only voided."
              confirmLabel="Finalize invoice"
              pendingLabel="Finalizing…"
              onConfirm={() => run(() => finalizeInvoiceAction({ invoiceId: invoice.id }), "Invoice finalized. You can send it to the patient now.")}
            >
              <Stamp aria-hidden="true" /> Finalize
            </ConfirmButton>
          </>
        )}
        {canWrite && isReceivable && (
          <ConfirmButton
            variant="default"
            size="default"
            title={invoice.sentAt ? `Resend ${name}?` : `Send ${name}?`}
            description={
              patient.email
                ? `Carebill emails the invoice, with its PDF attached, to ${patient.email}.`
                : "This patient has no email address. Add one to send the invoice."
            }
            confirmLabel="Send invoice"
            pendingLabel="Sending…"
            blockedAction={
              patient.email ? undefined : (
                <Link href={`/app/patients/${patient.id}/edit`} className={buttonVariants()}>
                  Add an email address
                </Link>
              )
            }
            onConfirm={() => run(() => sendInvoiceAction({ invoiceId: invoice.id }), `Invoice emailed to ${patient.email}.`)}
          >
            <Send aria-hidden="true" /> {invoice.sentAt ? "Resend" : "Send"}
          </ConfirmButton>
        )}
        {!isDraft && (
          <a href={`/app/invoices/${invoice.id}/pdf`} className={buttonVariants({ variant: "outline" })}>
            <Download aria-hidden="true" /> Download PDF
          </a>
        )}
        {canWrite && invoice.status === "open" && invoice.amountPaid === 0 && (
          <ReasonDialog
            id="void"
            trigger={
              <Button variant="outline">
                <Ban aria-hidden="true" /> Void
              </Button>
            }
            title={`Void ${name}?`}
            description="The invoice stays on record but no longer asks for payment, and its amounts are reversed in the books. This cannot be undone."
            confirmLabel="Void invoice"
            onConfirm={(reason) => withResult(voidInvoiceAction({ invoiceId: invoice.id, reason }), "Invoice voided.")}
          />
        )}
        {canWrite && isReceivable && (
          <ReasonDialog
            id="uncollectible"
            trigger={
              <Button variant="outline">
                <CircleSlash aria-hidden="true" /> Mark uncollectible
              </Button>
            }
            title={`Write off ${name}?`}
            description="The balance still due is written off as bad debt and the invoice stops asking for payment. This cannot be undone."
            confirmLabel="Mark uncollectible"
            onConfirm={(reason) => withResult(markInvoiceUncollectibleAction({ invoiceId: invoice.id, reason }), "Balance written off.")}
          />
        )}
      </div>
      {error && (
        <Alert variant="destructive" className="sm:max-w-md">
          <AlertDescription>{error}</AlertDescription>
        </Alert>
      )}
      {notice && !error && (
        <p role="status" className="text-sm text-muted-foreground">
          {notice}
        </p>
      )}
    </div>
  );
}
