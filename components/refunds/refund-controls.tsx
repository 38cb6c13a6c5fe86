"use client";

import { useEffect, useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { Send } from "lucide-react";
import { resendRefundAction } from "@/lib/actions/refunds/resend-refund";
import { formatMoney } from "@/lib/money/currency";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { RefundDialog, type RefundDialogProps } from "./refund-dialog";

/** The Refund button and, once a refund was requested, what happens next in plain words. */
export function RefundRequestControl({ anyPending, ...props }: Omit<RefundDialogProps, "onRequested"> & { anyPending: boolean }) {
  const [message, setMessage] = useState<{ variant: "success" | "warning"; text: string } | null>(null);
  // "Requested, pending" stops being news once Stripe has answered: the list then shows the outcome.
  const shown = message && (message.variant === "warning" || anyPending) ? message : null;
  return (
    <div className="grid gap-3">
      {shown && (
        <Alert variant={shown.variant} role="status">
          <AlertDescription>{shown.text}</AlertDescription>
        </Alert>
      )}
      <div>
        <RefundDialog
          {...props}
          onRequested={({ stripeUnreachable, amount }) =>
            setMessage(
              stripeUnreachable
                ? {
                    variant: "warning",
                    text: `The refund of ${formatMoney(amount, props.currency)} is saved but Stripe could not be reached, so nothing has been sent yet. Use “Send again” below in a few minutes.`,
                  }
                : {
                    variant: "success",
                    text: `Refund of ${formatMoney(amount, props.currency)} requested. It shows as pending until Stripe confirms it, usually within seconds.`,
                  },
            )
          }
        />
      </div>
    </div>
  );
}

/** Sends a booked refund that never reached Stripe, with the same idempotency key (never twice). */
export function ResendRefundButton({ refundId }: { refundId: string }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <span className="grid justify-items-end gap-1">
      <Button
        size="sm"
        variant="outline"
        loading={pending}
        onClick={() =>
          startTransition(async () => {
            setError(null);
            const result = await resendRefundAction({ refundId });
            if (!result.ok) setError(result.error.message);
            else if (result.data.stripeUnreachable) setError("Stripe still cannot be reached. Try again in a few minutes.");
          })
        }
      >
        <Send aria-hidden="true" /> Send again
      </Button>
      {error && (
        <span role="alert" className="text-xs text-destructive">
          {error}
        </span>
      )}
    </span>
  );
}

/** While a refund is pending, refreshes the page every few seconds (for two minutes) to show Stripe's answer. */
export function RefreshWhilePending({ intervalMs = 2_000, forMs = 120_000 }: { intervalMs?: number; forMs?: number }) {
  const router = useRouter();
  useEffect(() => {
    const started = Date.now();
    const timer = setInterval(() => {
      if (Date.now() - started > forMs) return clearInterval(timer);
      router.refresh();
    }, intervalMs);
    return () => clearInterval(timer);
  }, [router, intervalMs, forMs]);
  return null;
}
