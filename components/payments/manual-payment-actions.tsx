"use client";

import { useState, useTransition, type FormEvent } from "react";
import { Ban, Mail, Printer } from "lucide-react";
import { emailPaymentReceiptAction } from "@/lib/actions/payments/email-payment-receipt";
import { voidManualPaymentAction } from "@/lib/actions/payments/void-manual-payment";
import { Alert, AlertDescription } from "@/components/ui/alert";
import {
  AlertDialog,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
  AlertDialogTrigger,
} from "@/components/ui/alert-dialog";
import { Button, buttonVariants } from "@/components/ui/button";
import { FormField, fieldControlProps } from "@/components/ui/form-field";
import { Textarea } from "@/components/ui/textarea";

const REASON_HINT = "Kept with the payment and in the audit log.";

/** Receipt print/email and, for manual payments, void; shown on the payment page. */
export function ManualPaymentActions(props: { paymentId: string; hasReceipt: boolean; canEmail: boolean; canVoid: boolean; amountLabel: string }) {
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [emailing, startEmail] = useTransition();
  const [voiding, startVoid] = useTransition();
  const [open, setOpen] = useState(false);
  const [reasonError, setReasonError] = useState<string | undefined>();
  const [dialogError, setDialogError] = useState<string | null>(null);

  function emailReceipt() {
    setNotice(null);
    setError(null);
    startEmail(async () => {
      const result = await emailPaymentReceiptAction({ paymentId: props.paymentId });
      if (result.ok) setNotice(`Receipt queued for ${result.data.toAddress}.`);
      else setError(result.error.message);
    });
  }

  function onVoid(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const reason = String(new FormData(event.currentTarget).get("reason") ?? "").trim();
    setDialogError(null);
    if (reason.length < 3) {
      setReasonError("Give a reason (at least 3 characters).");
      return;
    }
    setReasonError(undefined);
    startVoid(async () => {
      const result = await voidManualPaymentAction({ paymentId: props.paymentId, reason });
      if (result.ok) {
        setOpen(false);
        setNotice("Payment voided. The invoices owe again what it had paid.");
        return;
      }
      const fieldError = result.error.fields?.reason?.[0];
      if (fieldError) setReasonError(fieldError);
      else setDialogError(result.error.message);
    });
  }

  return (
    <div className="grid gap-3">
      <div className="flex flex-wrap gap-2">
        {props.hasReceipt && (
          <a href={`/app/payments/${props.paymentId}/receipt`} target="_blank" rel="noopener" className={buttonVariants({ variant: "default" })}>
            <Printer aria-hidden="true" /> Print receipt
          </a>
        )}
        {props.hasReceipt && props.canEmail && (
          <Button type="button" variant="outline" onClick={emailReceipt} loading={emailing}>
            <Mail aria-hidden="true" /> Email receipt
          </Button>
        )}
        {props.canVoid && (
          <AlertDialog
            open={open}
            onOpenChange={(next) => {
              if (voiding) return;
              setOpen(next);
              setReasonError(undefined);
              setDialogError(null);
            }}
          >
            <AlertDialogTrigger asChild>
              <Button type="button" variant="outline">
                <Ban aria-hidden="true" /> Void payment
              </Button>
            </AlertDialogTrigger>
            <AlertDialogContent
              onOpenAutoFocus={(event) => {
                // The reason is required, so start there rather than on Cancel.
                event.preventDefault();
                document.getElementById("void-payment-reason")?.focus();
              }}
            >
              <form onSubmit={onVoid} noValidate className="grid gap-4">
                <AlertDialogHeader>
                  <AlertDialogTitle>Void this {props.amountLabel} payment?</AlertDialogTitle>
                  <AlertDialogDescription>
                    For a payment recorded by mistake. It stays on record as voided; its invoices owe again what it paid, and any credit it left is taken back.
                  </AlertDialogDescription>
                </AlertDialogHeader>
                {dialogError && (
                  <Alert variant="destructive">
                    <AlertDescription>{dialogError}</AlertDescription>
                  </Alert>
                )}
                <FormField label="Reason" htmlFor="void-payment-reason" error={reasonError} hint={REASON_HINT} required>
                  <Textarea {...fieldControlProps("void-payment-reason", { error: reasonError, hint: REASON_HINT, required: true })} name="reason" rows={3} maxLength={500} />
                </FormField>
                <AlertDialogFooter>
                  <AlertDialogCancel type="button" disabled={voiding}>
                    Cancel
                  </AlertDialogCancel>
                  <Button type="submit" variant="destructive" loading={voiding}>
                    Void payment
                  </Button>
                </AlertDialogFooter>
              </form>
            </AlertDialogContent>
          </AlertDialog>
        )}
      </div>
      {notice && (
        <Alert variant="success" role="status">
          <AlertDescription>{notice}</AlertDescription>
        </Alert>
      )}
      {error && (
        <Alert variant="destructive">
          <AlertDescription>{error}</AlertDescription>
        </Alert>
      )}
    </div>
  );
}
