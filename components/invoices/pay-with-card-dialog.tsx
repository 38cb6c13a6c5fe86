"use client";

import Link from "next/link";
import { useEffect, useMemo, useRef, useState, type FormEvent } from "react";
import { toast } from "sonner";
import { Elements, PaymentElement, useElements, useStripe } from "@stripe/react-stripe-js";
import { CreditCard, Lock } from "lucide-react";
import { completeDeskCardPaymentAction, startDeskCardPaymentAction } from "@/lib/actions/payments/desk-card-payment";
import { formatMoney, parseMoneyInput, toDecimalString } from "@/lib/money/currency";
import { getStripe } from "@/lib/stripe/client/get-stripe";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { AmountField } from "@/components/ui/amount-field";
import { cardBrand } from "@/components/cards/card-label";
import { SaveCardConsent } from "@/components/cards/save-card-consent";

export type DeskCardStarted = { paymentId: string; clientSecret: string; amount: number; publishableKey: string; authorizeOnly: boolean };
export type DeskCardOutcome = {
  paymentId: string;
  status: string;
  amount: number;
  receiptNumber: string | null;
  savedCard: { brand: string; last4: string } | null;
};
type Started = DeskCardStarted;
type Outcome = DeskCardOutcome;

type PayWithCardDialogProps = {
  /** A card payment is possible now (the invoice is open and owes at least the card minimum): shows the button. The dialog itself stays mounted, so it keeps its receipt after the payment settles the invoice (the action refreshes the page under it). */
  available: boolean;
  invoiceId: string;
  invoiceNumber: string | null;
  currency: string;
  /** What the invoice still asks for (the server checks again, less money already moving). */
  amountDue: number;
  minimumAmount: number;
  /** The card-on-file terms as recorded with the consent when "save this card" is ticked. */
  termsText: string;
};

/**
 * "Pay with card" at the front desk: the patient present, staff type the card into Stripe's
 * Payment Element. The amount defaults to the balance (a part may be paid); "save this card"
 * records the patient's consent to the card-on-file terms, through the staff member, before the
 * card is confirmed. A decline is shown here and another card can be tried at once.
 */
export function PayWithCardDialog(props: PayWithCardDialogProps) {
  const [open, setOpen] = useState(false);
  const [started, setStarted] = useState<Started | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [busy, setBusy] = useState(false);

  function onOpenChange(next: boolean) {
    if (busy) return;
    setOpen(next);
    if (!next) {
      setStarted(null);
      setOutcome(null);
    }
  }

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      {props.available && (
        <DialogTrigger asChild>
          <Button className="w-full">
            <CreditCard aria-hidden="true" /> Pay with card
          </Button>
        </DialogTrigger>
      )}
      <DialogContent className="max-h-[90dvh] overflow-y-auto sm:max-w-lg">
        <DialogHeader>
          <DialogTitle>Pay with card</DialogTitle>
          <DialogDescription>
            {props.invoiceNumber ? `${props.invoiceNumber} · ` : ""}
            {formatMoney(props.amountDue, props.currency)} due. Enter the card of the patient at the desk.
          </DialogDescription>
        </DialogHeader>
        {outcome ? (
          <PaidSummary outcome={outcome} currency={props.currency} onClose={() => onOpenChange(false)} />
        ) : started ? (
          <CardStep
            started={started}
            currency={props.currency}
            onBusy={setBusy}
            onBack={() => setStarted(null)}
            onPaid={(paid) => {
              setOutcome(paid);
              toast.success(
                paid.status === "succeeded" ? `Paid ${formatMoney(paid.amount, props.currency)}.` : `Authorized ${formatMoney(paid.amount, props.currency)}.`,
              );
            }}
          />
        ) : (
          <AmountStep {...props} onStarted={setStarted} />
        )}
      </DialogContent>
    </Dialog>
  );
}

function AmountStep({
  invoiceId,
  currency,
  amountDue,
  minimumAmount,
  termsText,
  onStarted,
}: PayWithCardDialogProps & { onStarted: (started: Started) => void }) {
  const [amountText, setAmountText] = useState(toDecimalString(amountDue, currency));
  const [saveCard, setSaveCard] = useState(false);
  const [amountError, setAmountError] = useState<string | undefined>();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const hint = `Up to ${formatMoney(amountDue, currency)}; at least ${formatMoney(minimumAmount, currency)}.`;

  async function start(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setAmountError(undefined);
    setError(null);
    const amount = parseMoneyInput(amountText, currency);
    if (amount === null) return setAmountError(`Enter an amount like ${toDecimalString(Math.min(2500, amountDue), currency)}.`);
    if (amount < minimumAmount) return setAmountError(`The smallest card payment is ${formatMoney(minimumAmount, currency)}.`);
    if (amount > amountDue) return setAmountError(`The invoice asks for ${formatMoney(amountDue, currency)}; charge at most that.`);
    setPending(true);
    try {
      const result = await startDeskCardPaymentAction({ invoiceId, amount, saveCard });
      if (!result.ok) {
        setAmountError(result.error.fields?.amount?.[0]);
        setError(result.error.fields?.amount ? null : result.error.message);
        return;
      }
      if (!result.data.publishableKey) {
        setError("Card payments are not available right now. Take the payment another way.");
        return;
      }
      onStarted({ ...result.data, publishableKey: result.data.publishableKey });
    } catch {
      setError("We couldn't reach the server. Check your connection and try again.");
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={start} noValidate className="grid gap-4">
      {error && (
        <Alert variant="destructive">
          <AlertDescription>{error}</AlertDescription>
        </Alert>
      )}
      <AmountField
        id="desk-card-amount"
        label="Amount to charge"
        error={amountError}
        hint={hint}
        value={amountText}
        onChange={(value) => {
          setAmountText(value);
          setAmountError(undefined);
        }}
      />
      <SaveCardConsent checked={saveCard} onCheckedChange={setSaveCard} termsId="desk-card-terms" termsText={termsText} termsTestId="card-terms" />
      <Button type="submit" loading={pending}>
        Continue to card details
      </Button>
    </form>
  );
}

/** The Payment Element step of a desk card payment (an invoice's, or a prepayment's on "Collect estimate"): confirm, then record the outcome. */
export function CardStep({
  started,
  currency,
  onBusy,
  onBack,
  onPaid,
}: {
  started: Started;
  currency: string;
  onBusy: (busy: boolean) => void;
  onBack: () => void;
  onPaid: (outcome: Outcome) => void;
}) {
  const stripePromise = useMemo(() => getStripe(started.publishableKey), [started.publishableKey]);
  return (
    <Elements stripe={stripePromise} options={{ clientSecret: started.clientSecret, appearance: { theme: "stripe", variables: { colorPrimary: "#0f766e" } } }}>
      <ConfirmCardPayment started={started} currency={currency} onBusy={onBusy} onBack={onBack} onPaid={onPaid} />
    </Elements>
  );
}

function ConfirmCardPayment({
  started,
  currency,
  onBusy,
  onBack,
  onPaid,
}: {
  started: Started;
  currency: string;
  onBusy: (busy: boolean) => void;
  onBack: () => void;
  onPaid: (outcome: Outcome) => void;
}) {
  const stripe = useStripe();
  const elements = useElements();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const label = `${started.authorizeOnly ? "Authorize" : "Charge"} ${formatMoney(started.amount, currency)}`;
  // The new step is announced: focus moves to its heading.
  useEffect(() => headingRef.current?.focus(), []);

  async function pay(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!stripe || !elements) return;
    setPending(true);
    onBusy(true);
    setError(null);
    try {
      const { error: submitError } = await elements.submit();
      if (submitError) return setError(submitError.message ?? "Check the card details.");
      const result = await stripe.confirmPayment({ elements, confirmParams: { return_url: window.location.href }, redirect: "if_required" });
      if (result.error) return setError(`${result.error.message ?? "The card was declined."} Try another card, or take the payment another way.`);
      const recorded = await completeDeskCardPaymentAction({ paymentId: started.paymentId });
      if (!recorded.ok) return setError(recorded.error.message);
      const { status, failureMessage } = recorded.data;
      if (status === "failed") return setError(`${failureMessage ?? "The card was declined."} Try another card, or take the payment another way.`);
      onPaid({ ...recorded.data, amount: started.amount });
    } catch {
      setError("We couldn't reach the server. Check your connection, then look at the invoice's payments before trying again.");
    } finally {
      setPending(false);
      onBusy(false);
    }
  }

  return (
    <form onSubmit={pay} className="grid gap-4">
      <h3 ref={headingRef} tabIndex={-1} className="text-sm font-medium outline-none">
        Card details · {formatMoney(started.amount, currency)}
      </h3>
      <PaymentElement options={{ layout: "tabs" }} />
      {error && (
        <Alert variant="destructive">
          <AlertDescription data-testid="desk-card-error">{error}</AlertDescription>
        </Alert>
      )}
      <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-between">
        <Button type="button" variant="outline" onClick={onBack} disabled={pending}>
          Change amount
        </Button>
        <Button type="submit" loading={pending} disabled={!stripe || !elements}>
          <Lock aria-hidden="true" /> {pending ? "Processing…" : label}
        </Button>
      </div>
    </form>
  );
}

function PaidSummary({ outcome, currency, onClose }: { outcome: Outcome; currency: string; onClose: () => void }) {
  const paid = outcome.status === "succeeded";
  return (
    <div className="grid gap-4" data-testid="desk-card-paid">
      <Alert variant="success">
        <AlertDescription>
          <span className="block font-medium">
            {paid ? "Paid" : outcome.status === "requires_capture" ? "Authorized" : "Processing"} {formatMoney(outcome.amount, currency)}
          </span>
          {outcome.receiptNumber && <span className="block">Receipt {outcome.receiptNumber}, emailed to the patient if they have an address on file.</span>}
          {outcome.savedCard && (
            <span className="block">
              {cardBrand(outcome.savedCard.brand)} •••• {outcome.savedCard.last4} is saved on file for future charges.
            </span>
          )}
        </AlertDescription>
      </Alert>
      <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        <Link href={`/app/payments/${outcome.paymentId}`} className="text-sm font-medium text-primary underline-offset-4 hover:underline sm:self-center">
          View payment and receipt
        </Link>
        <Button type="button" onClick={onClose}>
          Done
        </Button>
      </div>
    </div>
  );
}
