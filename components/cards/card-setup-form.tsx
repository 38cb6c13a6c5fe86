"use client";

import { useEffect, useMemo, useRef, useState, type FormEvent, type ReactNode } from "react";
import { Elements, PaymentElement, useElements, useStripe } from "@stripe/react-stripe-js";
import { Lock } from "lucide-react";
import { getStripe } from "@/lib/stripe/client/get-stripe";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

export type StartedSetup = { setupId: string; clientSecret: string; publishableKey: string | null };
export type StartResult = { ok: true; data: StartedSetup } | { ok: false; message: string; fieldError?: string };
export type CompleteResult = { ok: true; state: "saved" | "pending" | "failed"; message?: string | null } | { ok: false; message: string };

type CardSetupFormProps = {
  /** The terms exactly as they are recorded with the consent. */
  termsText: string;
  /** The box's label: "The patient agreed to these terms" (desk) or "I agree to these terms" (patient). */
  acceptLabel: string;
  /** Extra choices shown above the terms (e.g. replace the current card). */
  children?: ReactNode;
  /** Records the consent and starts the SetupIntent; called when the box is ticked and Continue pressed. */
  onStart: () => Promise<StartResult>;
  /** Applies the confirmed SetupIntent (the webhook may have done it first). */
  onComplete: (setupId: string) => Promise<CompleteResult>;
  onSaved: () => void;
  onCancel?: () => void;
  saveLabel?: string;
};

/**
 * Keeping a card on file, in two steps: the terms with a box to tick (nothing starts without
 * it), then Stripe Elements for the card, confirmed with `confirmSetup` (3-D Secure in a modal,
 * no redirect for cards), then the server applies the outcome.
 */
export function CardSetupForm({ termsText, acceptLabel, children, onStart, onComplete, onSaved, onCancel, saveLabel = "Save card" }: CardSetupFormProps) {
  const [accepted, setAccepted] = useState(false);
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [started, setStarted] = useState<StartedSetup | null>(null);

  async function start(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    setFieldError(undefined);
    if (!accepted) {
      setFieldError("Tick the box to accept the terms first.");
      return;
    }
    setPending(true);
    try {
      const result = await onStart();
      if (!result.ok) {
        setFieldError(result.fieldError);
        setError(result.fieldError ? null : result.message);
        return;
      }
      if (!result.data.publishableKey) {
        setError("Saving cards is not available right now. Please try again later.");
        return;
      }
      setStarted(result.data);
    } catch {
      setError("We couldn't reach the server. Check your connection and try again.");
    } finally {
      setPending(false);
    }
  }

  if (started?.publishableKey) {
    return (
      <CardEntry
        started={{ ...started, publishableKey: started.publishableKey }}
        onComplete={onComplete}
        onSaved={onSaved}
        onCancel={onCancel}
        saveLabel={saveLabel}
      />
    );
  }

  return (
    <form onSubmit={start} noValidate className="grid gap-4">
      {children}
      <div className="grid gap-2">
        <h3 className="text-sm font-medium">Terms for keeping a card on file</h3>
        <p className="rounded-md border bg-muted/40 p-3 text-sm leading-relaxed" data-testid="card-terms">
          {termsText}
        </p>
      </div>
      <label className="flex items-start gap-3 text-sm">
        <input
          type="checkbox"
          name="acceptedTerms"
          checked={accepted}
          onChange={(event) => setAccepted(event.target.checked)}
          className="mt-0.5 size-4 accent-primary"
          aria-invalid={fieldError ? true : undefined}
          aria-describedby={fieldError ? "accepted-terms-error" : undefined}
        />
        <span>{acceptLabel}</span>
      </label>
      {fieldError && (
        <p id="accepted-terms-error" className="text-sm text-destructive" role="alert">
          {fieldError}
        </p>
      )}
      {error && (
        <Alert variant="destructive">
          <AlertDescription>{error}</AlertDescription>
        </Alert>
      )}
      <div className="flex flex-wrap gap-2">
        <Button type="submit" loading={pending}>
          Continue to card details
        </Button>
        {onCancel && (
          <Button type="button" variant="outline" onClick={onCancel} disabled={pending}>
            Cancel
          </Button>
        )}
      </div>
    </form>
  );
}

function CardEntry({
  started,
  onComplete,
  onSaved,
  onCancel,
  saveLabel,
}: {
  started: StartedSetup & { publishableKey: string };
  onComplete: CardSetupFormProps["onComplete"];
  onSaved: () => void;
  onCancel?: () => void;
  saveLabel: string;
}) {
  const stripePromise = useMemo(() => getStripe(started.publishableKey), [started.publishableKey]);
  return (
    <Elements stripe={stripePromise} options={{ clientSecret: started.clientSecret, appearance: { theme: "stripe", variables: { colorPrimary: "#0f766e" } } }}>
      <ConfirmCard setupId={started.setupId} onComplete={onComplete} onSaved={onSaved} onCancel={onCancel} saveLabel={saveLabel} />
    </Elements>
  );
}

function ConfirmCard({
  setupId,
  onComplete,
  onSaved,
  onCancel,
  saveLabel,
}: {
  setupId: string;
  onComplete: CardSetupFormProps["onComplete"];
  onSaved: () => void;
  onCancel?: () => void;
  saveLabel: string;
}) {
  const stripe = useStripe();
  const elements = useElements();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);
  // The new step is announced: focus moves to its heading.
  useEffect(() => headingRef.current?.focus(), []);

  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!stripe || !elements) return;
    setPending(true);
    setError(null);
    try {
      const { error: submitError } = await elements.submit();
      if (submitError) {
        setError(submitError.message ?? "Check the card details.");
        return;
      }
      const result = await stripe.confirmSetup({ elements, confirmParams: { return_url: window.location.href }, redirect: "if_required" });
      if (result.error) {
        setError(result.error.message ?? "The card was declined. Try another card.");
        return;
      }
      const applied = await onComplete(setupId);
      if (!applied.ok || applied.state === "failed") {
        setError(applied.ok ? (applied.message ?? "The card was declined. Try another card.") : applied.message);
        return;
      }
      onSaved();
    } catch {
      setError("We couldn't reach the server. Check your connection and try again.");
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={save} className="grid gap-4">
      <h3 ref={headingRef} tabIndex={-1} className="text-sm font-medium outline-none">
        Card details
      </h3>
      <PaymentElement options={{ layout: "tabs" }} />
      {error && (
        <Alert variant="destructive">
          <AlertDescription data-testid="card-setup-error">{error}</AlertDescription>
        </Alert>
      )}
      <div className="flex flex-wrap gap-2">
        <Button type="submit" loading={pending} disabled={!stripe || !elements}>
          <Lock aria-hidden="true" /> {pending ? "Saving…" : saveLabel}
        </Button>
        {onCancel && (
          <Button type="button" variant="outline" onClick={onCancel} disabled={pending}>
            Cancel
          </Button>
        )}
      </div>
    </form>
  );
}
