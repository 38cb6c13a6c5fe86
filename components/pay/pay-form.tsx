"use client";

import { useEffect, useMemo, useRef, useState, type FormEvent } from "react";
import { Elements, PaymentElement, useElements, useStripe } from "@stripe/react-stripe-js";
import { Lock } from "lucide-react";
import { formatMoney, parseMoneyInput, toDecimalString } from "@/lib/money/currency";
import { getStripe } from "@/lib/stripe/client/get-stripe";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { FormField, fieldControlProps } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";

type Started = { clientSecret: string; amount: number; publishableKey: string; authorizeOnly: boolean };

type PayFormProps = {
  token: string;
  clinicName: string;
  currency: string;
  amountDue: number;
  minimumAmount: number;
  /** The clinic authorizes the card now and charges it later. */
  authorizeOnly?: boolean;
  declined: boolean;
};

function AuthorizeOnlyNote({ clinicName }: { clinicName: string }) {
  return (
    <Alert data-testid="authorize-only-note">
      <AlertDescription>
        {clinicName} authorizes your card now and charges it later: you will see a pending hold for this amount, and the clinic may charge it or less.
      </AlertDescription>
    </Alert>
  );
}

export function PayForm({ token, clinicName, currency, amountDue, minimumAmount, authorizeOnly = false, declined }: PayFormProps) {
  const [saveCard, setSaveCard] = useState(false);
  const [keepExcessAsCredit, setKeepExcessAsCredit] = useState(false);
  const [choice, setChoice] = useState<"full" | "other">("full");
  const [otherAmount, setOtherAmount] = useState("");
  const [amountError, setAmountError] = useState<string | undefined>();
  const [error, setError] = useState<string | null>(declined ? "Your payment didn't go through. Please try again or use another card." : null);
  const [pending, setPending] = useState(false);
  const [started, setStarted] = useState<Started | null>(null);

  async function start(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setAmountError(undefined);
    setError(null);
    let amount = amountDue;
    if (choice === "other") {
      const parsed = parseMoneyInput(otherAmount, currency);
      if (parsed === null) return setAmountError(`Enter an amount like ${toDecimalString(Math.min(2500, amountDue), currency)}.`);
      if (parsed < minimumAmount) return setAmountError(`The smallest payment is ${formatMoney(minimumAmount, currency)}.`);
      if (parsed > amountDue) return setAmountError(`You owe ${formatMoney(amountDue, currency)}; you can't pay more than that.`);
      amount = parsed;
    }
    setPending(true);
    try {
      const response = await fetch(`/api/pay/${token}/payments`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ amount, saveCard, keepExcessAsCredit }),
      });
      const body = (await response.json()) as {
        clientSecret?: string;
        amount?: number;
        authorizeOnly?: boolean;
        publishableKey?: string | null;
        error?: { message: string; fields?: Record<string, string[]> };
      };
      if (!response.ok || !body.clientSecret || !body.amount) {
        setAmountError(body.error?.fields?.amount?.[0]);
        setError(body.error?.fields?.amount ? null : (body.error?.message ?? "We couldn't start the payment. Please try again."));
        return;
      }
      if (!body.publishableKey) {
        setError(`Online card payments are not available right now. Please contact ${clinicName}.`);
        return;
      }
      setStarted({ clientSecret: body.clientSecret, amount: body.amount, publishableKey: body.publishableKey, authorizeOnly: body.authorizeOnly === true });
    } catch {
      setError("We couldn't reach the payment service. Check your connection and try again.");
    } finally {
      setPending(false);
    }
  }

  const amountHint = `Between ${formatMoney(minimumAmount, currency)} and ${formatMoney(amountDue, currency)}`;

  if (started) {
    return <CardPayment token={token} clinicName={clinicName} currency={currency} started={started} onChangeAmount={() => setStarted(null)} />;
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle as="h2">How much would you like to pay?</CardTitle>
      </CardHeader>
      <CardContent>
        <form onSubmit={start} noValidate className="grid gap-4">
          {authorizeOnly && <AuthorizeOnlyNote clinicName={clinicName} />}
          {error && (
            <Alert variant="destructive">
              <AlertDescription>{error}</AlertDescription>
            </Alert>
          )}
          <fieldset className="grid gap-2">
            <legend className="sr-only">Amount</legend>
            <label className="flex cursor-pointer items-center gap-3 rounded-lg border p-3 has-checked:border-primary has-checked:bg-primary/5">
              <input type="radio" name="choice" value="full" checked={choice === "full"} onChange={() => setChoice("full")} className="size-4 accent-primary" />
              <span className="flex-1">Pay the full balance</span>
              <span className="font-semibold tabular-nums">{formatMoney(amountDue, currency)}</span>
            </label>
            <label className="flex cursor-pointer items-center gap-3 rounded-lg border p-3 has-checked:border-primary has-checked:bg-primary/5">
              <input
                type="radio"
                name="choice"
                value="other"
                checked={choice === "other"}
                onChange={() => setChoice("other")}
                className="size-4 accent-primary"
              />
              <span className="flex-1">Pay part of it</span>
            </label>
          </fieldset>
          {choice === "other" && (
            <FormField label="Amount to pay" htmlFor="amount" error={amountError} hint={amountHint}>
              <Input
                {...fieldControlProps("amount", { error: amountError, hint: amountHint })}
                inputMode="decimal"
                autoComplete="off"
                value={otherAmount}
                onChange={(event) => setOtherAmount(event.target.value)}
                placeholder={toDecimalString(Math.min(2500, amountDue), currency)}
                autoFocus
              />
            </FormField>
          )}
          <label className="flex items-start gap-3 text-sm">
            <input type="checkbox" checked={saveCard} onChange={(event) => setSaveCard(event.target.checked)} className="mt-0.5 size-4 accent-primary" />
            <span>
              Save my card so {clinicName} can charge it for future visits.{" "}
              <span className="text-muted-foreground">You can ask the clinic to remove it at any time.</span>
            </span>
          </label>
          <label className="flex items-start gap-3 text-sm">
            <input
              type="checkbox"
              checked={keepExcessAsCredit}
              onChange={(event) => setKeepExcessAsCredit(event.target.checked)}
              className="mt-0.5 size-4 accent-primary"
            />
            <span>
              If this invoice gets paid another way while I pay, keep what I paid beyond it as credit with {clinicName}.{" "}
              <span className="text-muted-foreground">Otherwise it goes back to my card automatically.</span>
            </span>
          </label>
          <Button type="submit" size="lg" loading={pending}>
            Continue to payment
          </Button>
        </form>
      </CardContent>
    </Card>
  );
}

function CardPayment({
  token,
  clinicName,
  currency,
  started,
  onChangeAmount,
}: {
  token: string;
  clinicName: string;
  currency: string;
  started: Started;
  onChangeAmount: () => void;
}) {
  const verb = started.authorizeOnly ? "Authorize" : "Pay";
  const stripePromise = useMemo(() => getStripe(started.publishableKey), [started.publishableKey]);
  const headingRef = useRef<HTMLHeadingElement>(null);
  // Shown after "Continue to payment" (never on first load): screen readers hear the new step.
  useEffect(() => headingRef.current?.focus(), []);
  return (
    <Card>
      <CardHeader>
        <CardTitle as="h2" ref={headingRef} tabIndex={-1}>
          {verb} {formatMoney(started.amount, currency)}
        </CardTitle>
      </CardHeader>
      <CardContent className="grid gap-4">
        {started.authorizeOnly && <AuthorizeOnlyNote clinicName={clinicName} />}
        <Elements
          stripe={stripePromise}
          options={{ clientSecret: started.clientSecret, appearance: { theme: "stripe", variables: { colorPrimary: "#0f766e" } } }}
        >
          <ConfirmPayment token={token} label={`${verb} ${formatMoney(started.amount, currency)}`} onChangeAmount={onChangeAmount} />
        </Elements>
      </CardContent>
    </Card>
  );
}

function ConfirmPayment({ token, label, onChangeAmount }: { token: string; label: string; onChangeAmount: () => void }) {
  const stripe = useStripe();
  const elements = useElements();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function pay(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!stripe || !elements) return;
    setPending(true);
    setError(null);
    const returnUrl = `${window.location.origin}/pay/${token}/return`;
    const { error: submitError } = await elements.submit();
    if (submitError) {
      setError(submitError.message ?? "Check your card details.");
      setPending(false);
      return;
    }
    const result = await stripe.confirmPayment({ elements, confirmParams: { return_url: returnUrl }, redirect: "if_required" });
    if (result.error) {
      setError(result.error.message ?? "Your card was declined. Try another card.");
      setPending(false);
      return;
    }
    // A full navigation on purpose: /return is a route handler that records the outcome and redirects.
    // eslint-disable-next-line @next/next/no-location-assign-relative-destination
    window.location.assign(`${returnUrl}?payment_intent=${encodeURIComponent(result.paymentIntent.id)}`);
  }

  return (
    <form onSubmit={pay} className="grid gap-4">
      <PaymentElement options={{ layout: "tabs" }} />
      {error && (
        <Alert variant="destructive">
          <AlertDescription data-testid="payment-error">{error}</AlertDescription>
        </Alert>
      )}
      <Button type="submit" size="lg" loading={pending} disabled={!stripe || !elements}>
        <Lock aria-hidden="true" /> {pending ? "Processing…" : label}
      </Button>
      <Button type="button" variant="link" onClick={onChangeAmount} disabled={pending}>
        Change the amount
      </Button>
    </form>
  );
}
