"use client";

import { toast } from "sonner";
import { useState, useTransition, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { capturePaymentAction } from "@/lib/actions/payments/capture-payment";
import { releasePaymentAction } from "@/lib/actions/payments/release-payment";
import { formatMoney, parseMoneyInput, toDecimalString } from "@/lib/money/currency";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { FormField, fieldControlProps } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";

export type CapturePanelProps = {
  paymentId: string;
  currency: string;
  amountCapturable: number;
  /** Pre-formatted in the clinic's time zone. */
  authorizedAtLabel: string | null;
  captureBeforeLabel: string | null;
  expiry: { label: string; tone: "ok" | "warning" | "expired" };
  /** What the invoice still owes, for the hint. */
  invoiceAmountDue: number;
  canAct: boolean;
};

/**
 * An authorized card payment awaiting capture: how much the hold covers and until when, a Capture
 * dialog (all or less, validated as you type) and Release hold behind a confirmation.
 */
export function CapturePanel(props: CapturePanelProps) {
  const money = (amount: number) => formatMoney(amount, props.currency);
  const expired = props.expiry.tone === "expired";
  return (
    <Card data-testid="capture-panel">
      <CardHeader>
        <CardTitle>Card authorized, awaiting capture</CardTitle>
        <CardDescription>
          The patient&apos;s card is on hold. Nothing is charged until you capture; capture less to charge less, and the rest is released.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
          <dt className="text-muted-foreground">Authorized</dt>
          <dd className="text-right font-semibold tabular-nums" data-testid="amount-capturable">
            {money(props.amountCapturable)}
          </dd>
          {props.authorizedAtLabel && (
            <>
              <dt className="text-muted-foreground">Authorized on</dt>
              <dd className="text-right">{props.authorizedAtLabel}</dd>
            </>
          )}
          <dt className="text-muted-foreground">Hold expires</dt>
          <dd className="flex flex-wrap items-center justify-end gap-2 text-right">
            {props.captureBeforeLabel}
            <Badge variant={props.expiry.tone === "ok" ? "secondary" : props.expiry.tone === "warning" ? "warning" : "destructive"}>{props.expiry.label}</Badge>
          </dd>
        </dl>
        {props.expiry.tone === "warning" && (
          <Alert variant="warning">
            <AlertDescription>Capture soon: after the hold expires the card can no longer be charged and the patient has to pay again.</AlertDescription>
          </Alert>
        )}
        {expired && (
          <Alert variant="destructive">
            <AlertTitle>The hold has expired</AlertTitle>
            <AlertDescription>Stripe will release it shortly. Send the patient a new pay link to collect this amount.</AlertDescription>
          </Alert>
        )}
      </CardContent>
      {props.canAct && (
        <CardFooter className="flex flex-wrap justify-end gap-2">
          <ReleaseButton paymentId={props.paymentId} amount={money(props.amountCapturable)} />
          <CaptureDialog {...props} />
        </CardFooter>
      )}
    </Card>
  );
}

function CaptureDialog(props: CapturePanelProps) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [value, setValue] = useState(toDecimalString(props.amountCapturable, props.currency));
  const [touched, setTouched] = useState(false);
  const [serverError, setServerError] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [pending, startTransition] = useTransition();
  const money = (amount: number) => formatMoney(amount, props.currency);

  const parsed = parseMoneyInput(value, props.currency);
  const localError =
    parsed === null
      ? `Enter an amount like ${toDecimalString(props.amountCapturable, props.currency)}.`
      : parsed <= 0
        ? "Enter an amount greater than zero."
        : parsed > props.amountCapturable
          ? `Capture at most ${money(props.amountCapturable)}, the authorized amount.`
          : undefined;
  const error = touched ? (localError ?? fieldError) : fieldError;
  const hint = `Up to ${money(props.amountCapturable)}. The invoice owes ${money(props.invoiceAmountDue)}.`;
  const partial = parsed !== null && !localError && parsed < props.amountCapturable;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setTouched(true);
    setServerError(null);
    if (localError || parsed === null) return;
    startTransition(async () => {
      const result = await capturePaymentAction({ paymentId: props.paymentId, amount: parsed });
      if (result.ok) {
        setOpen(false);
        toast.success(`Captured ${money(parsed)}.`);
        router.refresh();
        return;
      }
      const amountError = result.error.fields?.amount?.[0];
      if (amountError) setFieldError(amountError);
      else setServerError(result.error.message);
    });
  }

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (pending) return;
        setOpen(next);
        setTouched(false);
        setFieldError(undefined);
        setServerError(null);
        setValue(toDecimalString(props.amountCapturable, props.currency));
      }}
    >
      <DialogTrigger asChild>
        <Button>Capture…</Button>
      </DialogTrigger>
      <DialogContent>
        <form onSubmit={onSubmit} noValidate className="grid gap-4">
          <DialogHeader>
            <DialogTitle>Capture the card payment</DialogTitle>
            <DialogDescription>
              Charges the patient&apos;s card now. A smaller amount releases the rest of the hold; the invoice keeps owing the difference.
            </DialogDescription>
          </DialogHeader>
          {serverError && (
            <Alert variant="destructive">
              <AlertDescription>{serverError}</AlertDescription>
            </Alert>
          )}
          <FormField label="Amount to capture" htmlFor="capture-amount" error={error} hint={hint} required>
            <Input
              {...fieldControlProps("capture-amount", { error, hint, required: true })}
              name="amount"
              inputMode="decimal"
              autoComplete="off"
              value={value}
              onChange={(event) => {
                setValue(event.target.value);
                setTouched(true);
                setFieldError(undefined);
              }}
            />
          </FormField>
          {partial && parsed !== null && (
            <p className="text-sm text-muted-foreground" data-testid="capture-release-note">
              {money(props.amountCapturable - parsed)} of the hold will be released.
            </p>
          )}
          {parsed !== null && !localError && parsed > props.invoiceAmountDue && (
            <Alert variant="warning">
              <AlertDescription>
                The invoice now owes only {money(props.invoiceAmountDue)}; the other {money(parsed - props.invoiceAmountDue)} would become the patient&apos;s
                credit. Capture less to charge only what is owed.
              </AlertDescription>
            </Alert>
          )}
          <DialogFooter>
            <DialogClose asChild>
              <Button type="button" variant="outline" disabled={pending}>
                Cancel
              </Button>
            </DialogClose>
            <Button type="submit" loading={pending}>
              {parsed !== null && !localError ? `Capture ${money(parsed)}` : "Capture"}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

function ReleaseButton({ paymentId, amount }: { paymentId: string; amount: string }) {
  const router = useRouter();
  return (
    <ConfirmButton
      variant="outline"
      size="default"
      title={`Release the ${amount} hold?`}
      description="The patient's card will not be charged and the hold disappears from their statement. The invoice keeps owing its balance. This cannot be undone."
      cancelLabel="Keep the hold"
      confirmLabel="Release hold"
      pendingLabel="Releasing…"
      destructive
      onConfirm={async () => {
        const result = await releasePaymentAction({ paymentId });
        if (result.ok) {
          toast.success("Hold released. The patient's card is not charged.");
          router.refresh();
        }
        return result;
      }}
    >
      Release hold
    </ConfirmButton>
  );
}
