"use client";

import { useState, useTransition, type FormEvent } from "react";
import { Undo2 } from "lucide-react";
import { requestRefundAction } from "@/lib/actions/refunds/request-refund";
import { formatMoney, parseMoneyInput, toDecimalString } from "@/lib/money/currency";
import { REFUND_REASON_LABELS, REFUND_REASONS } from "@/lib/refunds/refunds.types";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { AmountField } from "@/components/ui/amount-field";
import { FormField, fieldControlProps } from "@/components/ui/form-field";
import { Select } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";

type Reason = (typeof REFUND_REASONS)[number];
type Mode = "credit_note" | "reopen_balance";
type FieldErrors = Partial<Record<"amount" | "note" | "mode", string>>;

export type RefundDialogProps = {
  paymentId: string;
  currency: string;
  /** What can be refunded now, minor units. */
  refundable: number;
  /** Of it, what comes from the patient's credit (an overpayment) rather than the invoice. */
  fromCredit: number;
  invoiceNumber: string;
  cardLabel: string | null;
  /** Whether the invoice's balance can be reopened (it is paid or partly paid). */
  canReopen: boolean;
  /** A prepayment: it paid no invoice, so only its unused credit is refunded and there is no invoice to choose for. */
  prepayment?: boolean;
  /** Tells the panel what happened after a refund was requested. */
  onRequested: (outcome: { stripeUnreachable: boolean; amount: number }) => void;
};

const MODES: { value: Mode; label: string; description: (invoiceNumber: string) => string }[] = [
  {
    value: "credit_note",
    label: "Keep the invoice settled",
    description: (invoiceNumber) =>
      `A credit note records the refunded amount, so ${invoiceNumber} stays paid. Use this when the patient should get money back.`,
  },
  {
    value: "reopen_balance",
    label: "Put the amount back on the invoice",
    description: (invoiceNumber) =>
      `The refunded amount is owed again on ${invoiceNumber}. Use this when the payment was applied to the wrong invoice or should be collected another way.`,
  },
];

/** Staff refund all or part of a card payment: amount (checked as they type), reason, note, and what happens to the invoice. */
export function RefundDialog(props: RefundDialogProps) {
  const { currency, refundable } = props;
  const money = (amount: number) => formatMoney(amount, currency);
  const [open, setOpen] = useState(false);
  const [amountText, setAmountText] = useState(toDecimalString(refundable, currency));
  const [reason, setReason] = useState<Reason>("requested_by_customer");
  const [note, setNote] = useState("");
  const [mode, setMode] = useState<Mode>("credit_note");
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  const amount = parseMoneyInput(amountText, currency);
  const amountError = amountProblem(amountText, amount, refundable, money);
  const shownAmountError = errors.amount ?? (amountText.trim() !== "" && amountError ? amountError : undefined);

  function reset() {
    setAmountText(toDecimalString(refundable, currency));
    setReason("requested_by_customer");
    setNote("");
    setMode("credit_note");
    setErrors({});
    setFormError(null);
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const next: FieldErrors = {};
    if (amountError) next.amount = amountError;
    if (reason === "other" && note.trim() === "") next.note = "Say why you are refunding.";
    setErrors(next);
    setFormError(null);
    if (Object.keys(next).length > 0 || amount === null) return;
    startTransition(async () => {
      const result = await requestRefundAction({ paymentId: props.paymentId, amount, reason, note: note.trim() || undefined, mode });
      if (result.ok) {
        setOpen(false);
        reset();
        props.onRequested({ stripeUnreachable: result.data.stripeUnreachable, amount });
        return;
      }
      const fields = result.error.fields ?? {};
      const fieldErrors: FieldErrors = { amount: fields.amount?.[0], note: fields.note?.[0], mode: fields.mode?.[0] };
      setErrors(fieldErrors);
      if (!fieldErrors.amount && !fieldErrors.note && !fieldErrors.mode) setFormError(result.error.message);
    });
  }

  const amountHint = props.prepayment
    ? "From the patient's unused credit; credit already spent on invoices cannot be refunded."
    : props.fromCredit > 0
      ? `The first ${money(props.fromCredit)} comes from the patient's credit (an overpayment) and does not change the invoice.`
      : undefined;
  const noteHint = reason === "other" ? "Required: kept with the refund." : "Optional: kept with the refund, not sent to Stripe.";
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (pending) return;
        setOpen(next);
        if (!next) reset();
      }}
    >
      <DialogTrigger asChild>
        <Button variant="outline">
          <Undo2 aria-hidden="true" /> Refund
        </Button>
      </DialogTrigger>
      <DialogContent>
        <form onSubmit={onSubmit} noValidate className="grid gap-4">
          <DialogHeader>
            <DialogTitle>Refund this payment</DialogTitle>
            <DialogDescription>
              The money goes back to {props.cardLabel ?? "the card the patient paid with"}, usually within 5–10 business days. Up to {money(refundable)} can be
              refunded.
            </DialogDescription>
          </DialogHeader>
          {formError && (
            <Alert variant="destructive">
              <AlertDescription>{formError}</AlertDescription>
            </Alert>
          )}
          <AmountField
            id="refund-amount"
            label="Amount"
            error={shownAmountError}
            hint={amountHint}
            required
            value={amountText}
            onChange={(value) => {
              setAmountText(value);
              setErrors((current) => ({ ...current, amount: undefined }));
            }}
          />
          <FormField label="Reason" htmlFor="refund-reason" required>
            <Select {...fieldControlProps("refund-reason", { required: true })} value={reason} onChange={(event) => setReason(event.target.value as Reason)}>
              {REFUND_REASONS.map((value) => (
                <option key={value} value={value}>
                  {REFUND_REASON_LABELS[value]}
                </option>
              ))}
            </Select>
          </FormField>
          <FormField label="Note" htmlFor="refund-note" error={errors.note} hint={noteHint} required={reason === "other"}>
            <Textarea
              {...fieldControlProps("refund-note", { error: errors.note, hint: noteHint, required: reason === "other" })}
              rows={2}
              maxLength={500}
              value={note}
              onChange={(event) => {
                setNote(event.target.value);
                setErrors((current) => ({ ...current, note: undefined }));
              }}
            />
          </FormField>
          <fieldset className="grid gap-2" hidden={props.prepayment}>
            <legend className="mb-2 text-sm font-medium">What happens to {props.invoiceNumber}</legend>
            {MODES.filter((option) => option.value === "credit_note" || props.canReopen).map((option) => (
              <label
                key={option.value}
                className="flex cursor-pointer items-start gap-3 rounded-md border p-3 has-[:checked]:border-primary has-[:checked]:bg-primary/5"
              >
                <input
                  type="radio"
                  name="refund-mode"
                  value={option.value}
                  checked={mode === option.value}
                  onChange={() => setMode(option.value)}
                  className="mt-1 size-4 accent-primary"
                />
                <span className="grid gap-0.5">
                  <span className="text-sm font-medium">{option.label}</span>
                  <span className="text-sm text-muted-foreground">{option.description(props.invoiceNumber)}</span>
                </span>
              </label>
            ))}
            {errors.mode && <p className="text-sm font-medium text-destructive">{errors.mode}</p>}
          </fieldset>
          <DialogFooter>
            <DialogClose asChild>
              <Button type="button" variant="outline" disabled={pending}>
                Cancel
              </Button>
            </DialogClose>
            <Button type="submit" variant="destructive" loading={pending}>
              {amount !== null && !amountError ? `Refund ${money(amount)}` : "Refund"}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

function amountProblem(text: string, amount: number | null, refundable: number, money: (amount: number) => string): string | undefined {
  if (text.trim() === "") return "Enter the amount to refund.";
  if (amount === null) return "Enter an amount like 25.00.";
  if (amount <= 0) return "Enter an amount above zero.";
  if (amount > refundable) return `Refund at most ${money(refundable)}, what is left to refund on this payment.`;
  return undefined;
}
