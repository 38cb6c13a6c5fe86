"use client";

import { useRef, useState } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { Ban, CircleSlash, Download, MoreHorizontal, Pencil, Send, Stamp, Trash2 } from "lucide-react";
import { deleteDraftInvoiceAction } from "@/lib/actions/invoices/delete-draft-invoice";
import { finalizeAndSendInvoiceAction } from "@/lib/actions/invoices/finalize-and-send-invoice";
import { finalizeInvoiceAction } from "@/lib/actions/invoices/finalize-invoice";
import { markInvoiceUncollectibleAction } from "@/lib/actions/invoices/mark-invoice-uncollectible";
import { sendInvoiceAction } from "@/lib/actions/invoices/send-invoice";
import { voidInvoiceAction } from "@/lib/actions/invoices/void-invoice";
import type { ActionResult } from "@/lib/http/action";
import type { InvoiceStatus } from "@/lib/invoices/invoices.types";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button, buttonVariants } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuTrigger } from "@/components/ui/dropdown-menu";
import { ReasonDialog } from "./reason-dialog";

type InvoiceActionsProps = {
  invoice: { id: string; number: string | null; status: InvoiceStatus; amountPaid: number; sentAt: string | null };
  patient: { id: string; email: string | null };
  canWrite: boolean;
};

type MenuDialog = "void" | "uncollectible" | "delete" | null;

/**
 * What can be done with an invoice in its current state; viewers only get the PDF. The everyday
 * steps (finalize, send) are buttons; what cannot be undone (void, write-off, deleting a draft)
 * sits in the "More" menu, away from Send, and still asks for confirmation.
 */
export function InvoiceActions({ invoice, patient, canWrite }: InvoiceActionsProps) {
  const router = useRouter();
  const [error, setError] = useState<{ title?: string; message: string } | null>(null);
  const [menuDialog, setMenuDialog] = useState<MenuDialog>(null);
  const moreRef = useRef<HTMLButtonElement>(null);
  const name = invoice.number ?? "this draft";
  const isDraft = invoice.status === "draft";
  const isReceivable = invoice.status === "open" || invoice.status === "partially_paid";
  const canVoid = invoice.status === "open" && invoice.amountPaid === 0;
  const addEmail = (
    <Link href={`/app/patients/${patient.id}/edit`} className={buttonVariants()}>
      Add an email address
    </Link>
  );

  /** The dialog stays open until the action answers; success is a toast, failure shows in the dialog. */
  async function run<T>(action: () => Promise<ActionResult<T>>, success: (data: T) => string): Promise<ActionResult<T>> {
    setError(null);
    const result = await action();
    if (result.ok) toast.success(success(result.data));
    return result;
  }

  async function finalizeAndSend() {
    setError(null);
    const result = await finalizeAndSendInvoiceAction({ invoiceId: invoice.id });
    if (!result.ok) return result;
    if (result.data.sent) {
      toast.success(`Invoice ${result.data.number} finalized and emailed to ${patient.email}.`);
    } else {
      // The invoice is finalized whatever happened to the email: say so, and how to finish.
      setError({
        title: `Invoice ${result.data.number} is finalized, but it was not sent`,
        message: `${result.data.sendError ?? "The email could not be prepared."} Use Send to try again.`,
      });
    }
    return result;
  }

  const menuItems = canWrite
    ? [
        ...(isDraft ? [{ key: "delete" as const, label: "Delete draft", icon: Trash2 }] : []),
        ...(canVoid ? [{ key: "void" as const, label: "Void invoice", icon: Ban }] : []),
        ...(isReceivable ? [{ key: "uncollectible" as const, label: "Mark uncollectible", icon: CircleSlash }] : []),
      ]
    : [];

  return (
    <div className="grid gap-3 sm:justify-items-end">
      <div className="flex flex-wrap gap-2 sm:justify-end">
        {canWrite && isDraft && (
          <>
            <Link href={`/app/invoices/${invoice.id}/edit`} className={buttonVariants({ variant: "outline" })}>
              <Pencil aria-hidden="true" /> Edit
            </Link>
            <ConfirmButton
              variant="outline"
              size="default"
              title="Finalize this invoice?"
              description="It gets the next invoice number and its due date, and is posted to the books. After that it can no longer be edited, only voided."
              confirmLabel="Finalize invoice"
              pendingLabel="Finalizing…"
              onConfirm={() =>
                run(
                  () => finalizeInvoiceAction({ invoiceId: invoice.id }),
                  (data) => `Invoice ${data.number} finalized. You can send it to the patient now.`,
                )
              }
            >
              <Stamp aria-hidden="true" /> Finalize
            </ConfirmButton>
            <ConfirmButton
              variant="default"
              size="default"
              title="Finalize and send this invoice?"
              description={
                patient.email
                  ? `It gets the next invoice number and is posted to the books, then Carebill emails it with its PDF and a pay link to ${patient.email}. After that it can no longer be edited, only voided.`
                  : "This patient has no email address. Add one to send the invoice, or finalize it without sending."
              }
              confirmLabel="Finalize and send"
              pendingLabel="Finalizing and sending…"
              blockedAction={patient.email ? undefined : addEmail}
              onConfirm={finalizeAndSend}
            >
              <Send aria-hidden="true" /> Finalize and send
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
            blockedAction={patient.email ? undefined : addEmail}
            onConfirm={() =>
              run(
                () => sendInvoiceAction({ invoiceId: invoice.id }),
                () => `Invoice ${name} emailed to ${patient.email}.`,
              )
            }
          >
            <Send aria-hidden="true" /> {invoice.sentAt ? "Resend" : "Send"}
          </ConfirmButton>
        )}
        {!isDraft && (
          <a href={`/app/invoices/${invoice.id}/pdf`} className={buttonVariants({ variant: "outline" })}>
            <Download aria-hidden="true" /> Download PDF
          </a>
        )}
        {menuItems.length > 0 && (
          // Not modal: a dialog opened from an item then owns focus, and gives it back to this button.
          <DropdownMenu modal={false}>
            <DropdownMenuTrigger asChild>
              <Button ref={moreRef} variant="outline" aria-label="More actions">
                <MoreHorizontal aria-hidden="true" /> More
              </Button>
            </DropdownMenuTrigger>
            <DropdownMenuContent align="end">
              {menuItems.map((item) => (
                <DropdownMenuItem key={item.key} variant="destructive" onSelect={() => setMenuDialog(item.key)}>
                  <item.icon aria-hidden="true" /> {item.label}…
                </DropdownMenuItem>
              ))}
            </DropdownMenuContent>
          </DropdownMenu>
        )}
      </div>
      {canWrite && isDraft && (
        <ConfirmButton
          open={menuDialog === "delete"}
          onOpenChange={(open) => setMenuDialog(open ? "delete" : null)}
          returnFocusRef={moreRef}
          destructive
          title="Delete this draft?"
          description="The draft and its lines are removed for good. It was never numbered, so no invoice number is lost. The audit log keeps a record."
          confirmLabel="Delete draft"
          pendingLabel="Deleting…"
          onConfirm={async () => {
            const result = await deleteDraftInvoiceAction({ invoiceId: invoice.id });
            if (result.ok) {
              toast.success("Draft deleted.");
              router.push("/app/invoices");
            }
            return result;
          }}
        />
      )}
      {canWrite && canVoid && (
        <ReasonDialog
          id="void"
          open={menuDialog === "void"}
          onOpenChange={(open) => setMenuDialog(open ? "void" : null)}
          returnFocusRef={moreRef}
          title={`Void ${name}?`}
          description="The invoice stays on record but no longer asks for payment, and its amounts are reversed in the books. This cannot be undone."
          confirmLabel="Void invoice"
          onConfirm={(reason) =>
            run(
              () => voidInvoiceAction({ invoiceId: invoice.id, reason }),
              () => `Invoice ${name} voided.`,
            )
          }
        />
      )}
      {canWrite && isReceivable && (
        <ReasonDialog
          id="uncollectible"
          open={menuDialog === "uncollectible"}
          onOpenChange={(open) => setMenuDialog(open ? "uncollectible" : null)}
          returnFocusRef={moreRef}
          title={`Write off ${name}?`}
          description="The balance still due is written off as bad debt and the invoice stops asking for payment. This cannot be undone."
          confirmLabel="Mark uncollectible"
          onConfirm={(reason) =>
            run(
              () => markInvoiceUncollectibleAction({ invoiceId: invoice.id, reason }),
              () => `Balance of ${name} written off.`,
            )
          }
        />
      )}
      {error && (
        <Alert variant={error.title ? "warning" : "destructive"} className="sm:max-w-md">
          {error.title && <AlertTitle>{error.title}</AlertTitle>}
          <AlertDescription>{error.message}</AlertDescription>
        </Alert>
      )}
    </div>
  );
}
