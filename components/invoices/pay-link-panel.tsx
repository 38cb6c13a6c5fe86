"use client";

import { toast } from "sonner";
import { useState, useTransition } from "react";
import { Check, Copy, Link2, RefreshCw } from "lucide-react";
import { createPaymentLinkAction } from "@/lib/actions/payment-links/create-payment-link";
import { revokePaymentLinksAction } from "@/lib/actions/payment-links/revoke-payment-links";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/confirm-button";

type PayLinkPanelProps = { invoiceId: string; link: { url: string; expiresLabel: string } | null; canWrite: boolean; payable: boolean };

/** The invoice's pay link: copy it, issue a new one (the old stops working) or revoke it. */
export function PayLinkPanel({ invoiceId, link, canWrite, payable }: PayLinkPanelProps) {
  const [copied, setCopied] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  const run = (action: () => Promise<{ ok: boolean; error?: { message: string } }>, success: string) => {
    setError(null);
    startTransition(async () => {
      const result = await action();
      if (!result.ok) setError(result.error?.message ?? "That didn't work. Try again.");
      else toast.success(success);
    });
  };

  if (!payable) return <p className="text-sm text-muted-foreground">Only open invoices can be paid online.</p>;
  return (
    <div className="grid gap-3 text-sm">
      {error && (
        <Alert variant="destructive">
          <AlertDescription>{error}</AlertDescription>
        </Alert>
      )}
      {link ? (
        <>
          <p className="flex items-center gap-2">
            <Link2 aria-hidden="true" className="size-4 text-success" /> Active, {link.expiresLabel}
          </p>
          <div className="flex flex-wrap gap-2">
            <Button
              variant="outline"
              size="sm"
              onClick={() => void navigator.clipboard?.writeText(link.url).then(() => setCopied(true))}
              data-testid="copy-pay-link"
              data-url={link.url}
            >
              {copied ? <Check aria-hidden="true" /> : <Copy aria-hidden="true" />} {copied ? "Copied" : "Copy link"}
            </Button>
            {canWrite && (
              <>
                <ConfirmButton
                  title="Issue a new pay link?"
                  description="The current link stops working. Send or copy the new one to the patient."
                  confirmLabel="Issue new link"
                  disabled={pending}
                  onConfirm={() => run(() => createPaymentLinkAction({ invoiceId }), "New pay link issued. The previous link no longer works.")}
                >
                  <RefreshCw aria-hidden="true" /> New link
                </ConfirmButton>
                <ConfirmButton
                  title="Revoke the pay link?"
                  description="The patient can no longer pay with it. You can issue a new link later."
                  confirmLabel="Revoke link"
                  destructive
                  disabled={pending}
                  onConfirm={() => run(() => revokePaymentLinksAction({ invoiceId }), "Pay link revoked.")}
                >
                  Revoke
                </ConfirmButton>
              </>
            )}
          </div>
        </>
      ) : (
        <>
          <p className="text-muted-foreground">No active link. Sending the invoice creates one.</p>
          {canWrite && (
            <div>
              <Button variant="outline" size="sm" loading={pending} onClick={() => run(() => createPaymentLinkAction({ invoiceId }), "Pay link created.")}>
                <Link2 aria-hidden="true" /> Create pay link
              </Button>
            </div>
          )}
        </>
      )}
    </div>
  );
}
