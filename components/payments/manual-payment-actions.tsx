"use client";

import { toast } from "sonner";
import { useState, useTransition } from "react";
import { Ban, Mail, Printer } from "lucide-react";
import { emailPaymentReceiptAction } from "@/lib/actions/payments/email-payment-receipt";
import { voidManualPaymentAction } from "@/lib/actions/payments/void-manual-payment";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button, buttonVariants } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/confirm-button";

const REASON_HINT = "Kept with the payment and in the audit log.";

/** Receipt print/email and, for manual payments, void; shown on the payment page. */
export function ManualPaymentActions(props: { paymentId: string; hasReceipt: boolean; canEmail: boolean; canVoid: boolean; amountLabel: string }) {
  const [error, setError] = useState<string | null>(null);
  const [emailing, startEmail] = useTransition();

  function emailReceipt() {
    setError(null);
    startEmail(async () => {
      const result = await emailPaymentReceiptAction({ paymentId: props.paymentId });
      if (result.ok) toast.success(`Receipt queued for ${result.data.toAddress}.`);
      else setError(result.error.message);
    });
  }

  async function voidPayment(reason: string) {
    const result = await voidManualPaymentAction({ paymentId: props.paymentId, reason });
    if (result.ok) toast.success("Payment voided. The invoices owe again what it had paid.");
    return result;
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
          <ConfirmButton
            variant="outline"
            size="default"
            title={`Void this ${props.amountLabel} payment?`}
            description="For a payment recorded by mistake. It stays on record as voided; its invoices owe again what it paid, and any credit it left is taken back."
            confirmLabel="Void payment"
            destructive
            reason={{ id: "void-payment-reason", hint: REASON_HINT }}
            onConfirm={voidPayment}
          >
            <Ban aria-hidden="true" /> Void payment
          </ConfirmButton>
        )}
      </div>
      {error && (
        <Alert variant="destructive">
          <AlertDescription>{error}</AlertDescription>
        </Alert>
      )}
    </div>
  );
}
