"use client";

import { useState, useTransition, type FormEvent } from "react";
import { toast } from "sonner";
import { HandCoins } from "lucide-react";
import type { ActionResult } from "@/lib/http/action";
import { formatMoney, parseMoneyInput, toDecimalString } from "@/lib/money/currency";
import { CardStep, type DeskCardOutcome, type DeskCardStarted } from "@/components/invoices/pay-with-card-dialog";
import { cardBrand } from "@/components/cards/card-label";
import { SaveCardConsent } from "@/components/cards/save-card-consent";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { AmountField } from "@/components/ui/amount-field";
import { FormField, fieldControlProps } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";

/** The front-desk methods a prepayment can be taken with: recorded by hand, a card typed into Stripe's Payment Element, or a card on file. */
const METHODS = { cash: "Cash", check: "Check", card_terminal: "Card terminal", card: "Card (type it in)", saved_card: "Saved card" } as const;
type PrepaymentMethod = keyof typeof METHODS;
type ManualMethod = "cash" | "check" | "card_terminal";

export type CollectPrepaymentInput = {
  patientId: string;
  method: ManualMethod;
  amount: number;
  currency: string;
  reference?: string;
  prepayment: true;
};

type Started = Omit<DeskCardStarted, "publishableKey"> & { publishableKey: string | null };

/**
 * "Collect estimate" at check-in: cash, a check or a card-terminal payment recorded by hand, a card
 * typed in at the desk (Stripe's Payment Element, the patient present; "save this card" records
 * their consent), or one of their cards on file that they agreed may be charged. Whichever it is,
 * the whole amount is a prepayment kept as the patient's credit; their share of the visit is
 * settled against it when the payer's remittance is posted. The amount is prefilled with the
 * estimate; refusals are shown next to the field they are about, a decline in words.
 */
export function CollectEstimateDialog(props: {
  patientId: string;
  patientName: string;
  currency: string;
  estimate: number;
  /** The smallest card payment in this currency. */
  minimumCardAmount: number;
  /** The card-on-file terms, shown when "save this card" is offered. */
  termsText: string;
  /** The patient's cards on file with a recorded consent to be charged without them present. */
  savedCards: { id: string; label: string }[];
  collect: (input: CollectPrepaymentInput) => Promise<ActionResult<{ id: string }>>;
  startCard: (input: { patientId: string; amount: number; saveCard: boolean }) => Promise<ActionResult<Started>>;
  chargeSavedCard: (input: {
    patientId: string;
    savedPaymentMethodId: string;
    amount: number;
  }) => Promise<ActionResult<{ paymentId: string; status: string; failureMessage: string | null }>>;
}) {
  const { currency } = props;
  const [open, setOpen] = useState(false);
  const [method, setMethod] = useState<PrepaymentMethod>("cash");
  const [amountText, setAmountText] = useState(toDecimalString(props.estimate, currency));
  const [reference, setReference] = useState("");
  const [savedCardId, setSavedCardId] = useState(props.savedCards[0]?.id ?? "");
  const [saveCard, setSaveCard] = useState(false);
  const [started, setStarted] = useState<DeskCardStarted | null>(null);
  const [paid, setPaid] = useState<DeskCardOutcome | null>(null);
  const [busy, setBusy] = useState(false);
  const [fields, setFields] = useState<Record<string, string | undefined>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function reset() {
    setMethod("cash");
    setAmountText(toDecimalString(props.estimate, currency));
    setReference("");
    setSavedCardId(props.savedCards[0]?.id ?? "");
    setSaveCard(false);
    setStarted(null);
    setPaid(null);
    setFields({});
    setFormError(null);
  }

  function showRefusal(error: { message: string; fields?: Record<string, string[]> }) {
    const serverFields = error.fields ?? {};
    const next = {
      amount: serverFields.amount?.[0],
      reference: serverFields.reference?.[0],
      method: serverFields.method?.[0],
      savedPaymentMethodId: serverFields.savedPaymentMethodId?.[0],
    };
    setFields(next);
    if (!Object.values(next).some(Boolean)) setFormError(error.message);
  }

  const collected = (amount: number) => {
    setOpen(false);
    toast.success(`Collected ${formatMoney(amount, currency)}: kept as ${props.patientName}'s credit until the visit's share is billed.`);
  };

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setFormError(null);
    const amount = parseMoneyInput(amountText, currency);
    const found: Record<string, string | undefined> = {};
    if (amount === null || amount <= 0) found.amount = "Enter an amount above zero, such as 25.00.";
    else if ((method === "card" || method === "saved_card") && amount < props.minimumCardAmount)
      found.amount = `The smallest card payment is ${formatMoney(props.minimumCardAmount, currency)}; take less in cash.`;
    if (method === "check" && !reference.trim()) found.reference = "Enter the check number.";
    if (method === "saved_card" && !savedCardId) found.savedPaymentMethodId = "Choose a saved card.";
    setFields(found);
    if (Object.keys(found).length > 0 || amount === null) return;
    startTransition(async () => {
      try {
        if (method === "card") {
          const result = await props.startCard({ patientId: props.patientId, amount, saveCard });
          if (!result.ok) return showRefusal(result.error);
          const { publishableKey } = result.data;
          if (!publishableKey) return setFormError("Card payments are not available right now. Take the payment another way.");
          setStarted({ ...result.data, publishableKey });
          return;
        }
        if (method === "saved_card") {
          const result = await props.chargeSavedCard({ patientId: props.patientId, savedPaymentMethodId: savedCardId, amount });
          if (!result.ok) return showRefusal(result.error);
          if (result.data.status === "succeeded") return collected(amount);
          if (result.data.status === "failed")
            return setFormError(`${result.data.failureMessage ?? "The card was declined."} Try another card, or take the payment another way.`);
          setOpen(false);
          toast.info("The card payment is still processing; the credit appears once it succeeds.");
          return;
        }
        const result = await props.collect({
          patientId: props.patientId,
          method,
          amount,
          currency,
          prepayment: true,
          ...(reference.trim() ? { reference: reference.trim() } : {}),
        });
        if (!result.ok) return showRefusal(result.error);
        collected(amount);
      } catch {
        setFormError("We couldn't reach the server. Check your connection, then look at the patient's payments before trying again.");
      }
    });
  }

  const referenceLabel = method === "check" ? "Check number" : "Approval code";
  const amountHint =
    method === "card" || method === "saved_card"
      ? `The estimate is ${formatMoney(props.estimate, currency)}; a card payment is at least ${formatMoney(props.minimumCardAmount, currency)}.`
      : `The estimate is ${formatMoney(props.estimate, currency)}.`;
  const methods = Object.entries(METHODS).filter(([value]) => value !== "saved_card" || props.savedCards.length > 0);
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (pending || busy) return;
        setOpen(next);
        if (next) reset();
      }}
    >
      <DialogTrigger asChild>
        <Button className="w-full sm:w-auto" data-testid="collect-estimate">
          <HandCoins aria-hidden="true" /> Collect estimate
        </Button>
      </DialogTrigger>
      <DialogContent className="max-h-[90dvh] overflow-y-auto sm:max-w-lg">
        <DialogHeader>
          <DialogTitle>Collect the estimate</DialogTitle>
          <DialogDescription>
            Kept as {props.patientName}&apos;s credit. When the payer&apos;s remittance bills their share, the credit pays it; what is left stays as credit (or
            is refunded from their page).
          </DialogDescription>
        </DialogHeader>
        {paid ? (
          <div className="grid gap-4" data-testid="prepayment-card-paid">
            <Alert variant="success">
              <AlertDescription>
                <span className="block font-medium">Collected {formatMoney(paid.amount, currency)}, kept as credit.</span>
                {paid.receiptNumber && <span className="block">Receipt {paid.receiptNumber}, emailed to the patient if they have an address on file.</span>}
                {paid.savedCard && (
                  <span className="block">
                    {cardBrand(paid.savedCard.brand)} •••• {paid.savedCard.last4} is saved on file for future charges.
                  </span>
                )}
              </AlertDescription>
            </Alert>
            <DialogFooter>
              <Button type="button" onClick={() => setOpen(false)}>
                Done
              </Button>
            </DialogFooter>
          </div>
        ) : started ? (
          <CardStep
            started={started}
            currency={currency}
            onBusy={setBusy}
            onBack={() => setStarted(null)}
            onPaid={(outcome) => {
              setPaid(outcome);
              toast.success(`Collected ${formatMoney(outcome.amount, currency)}: kept as ${props.patientName}'s credit.`);
            }}
          />
        ) : (
          <form onSubmit={onSubmit} noValidate className="grid gap-4">
            {formError && (
              <Alert variant="destructive">
                <AlertDescription data-testid="collect-estimate-error">{formError}</AlertDescription>
              </Alert>
            )}
            <FormField label="Method" htmlFor="prepayment-method" error={fields.method} required>
              <Select
                {...fieldControlProps("prepayment-method", { error: fields.method, required: true })}
                value={method}
                onChange={(event) => {
                  setMethod(event.target.value as PrepaymentMethod);
                  setFormError(null);
                  setFields((current) => ({ ...current, reference: undefined, method: undefined, savedPaymentMethodId: undefined }));
                }}
              >
                {methods.map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </Select>
            </FormField>
            {method === "saved_card" && (
              <FormField label="Card on file" htmlFor="prepayment-saved-card" error={fields.savedPaymentMethodId} required>
                <Select
                  {...fieldControlProps("prepayment-saved-card", { error: fields.savedPaymentMethodId, required: true })}
                  value={savedCardId}
                  onChange={(event) => {
                    setSavedCardId(event.target.value);
                    setFields((current) => ({ ...current, savedPaymentMethodId: undefined }));
                  }}
                >
                  {props.savedCards.map((card) => (
                    <option key={card.id} value={card.id}>
                      {card.label}
                    </option>
                  ))}
                </Select>
              </FormField>
            )}
            <AmountField
              id="prepayment-amount"
              label={`Amount (${currency})`}
              error={fields.amount}
              hint={amountHint}
              required
              value={amountText}
              onChange={(value) => {
                setAmountText(value);
                setFields((current) => ({ ...current, amount: undefined }));
              }}
            />
            {(method === "check" || method === "card_terminal") && (
              <FormField label={referenceLabel} htmlFor="prepayment-reference" error={fields.reference} required={method === "check"}>
                <Input
                  {...fieldControlProps("prepayment-reference", { error: fields.reference, required: method === "check" })}
                  autoComplete="off"
                  value={reference}
                  onChange={(event) => {
                    setReference(event.target.value);
                    setFields((current) => ({ ...current, reference: undefined }));
                  }}
                />
              </FormField>
            )}
            {method === "card" && (
              <SaveCardConsent checked={saveCard} onCheckedChange={setSaveCard} termsId="prepayment-card-terms" termsText={props.termsText} />
            )}
            <DialogFooter>
              <DialogClose asChild>
                <Button type="button" variant="outline" disabled={pending}>
                  Cancel
                </Button>
              </DialogClose>
              <Button type="submit" loading={pending}>
                {method === "card" ? "Continue to card details" : method === "saved_card" ? "Charge the card" : "Collect"}
              </Button>
            </DialogFooter>
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
}
