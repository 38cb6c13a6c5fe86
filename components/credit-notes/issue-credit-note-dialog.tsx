"use client";

import { toast } from "sonner";
import { useState, useTransition, type FormEvent } from "react";
import { FilePlus2 } from "lucide-react";
import { issueCreditNoteAction } from "@/lib/actions/credit-notes/issue-credit-note";
import { formatMoney, parseMoneyInput, toDecimalString } from "@/lib/money/currency";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { AmountField } from "@/components/ui/amount-field";
import { FormField, fieldControlProps } from "@/components/ui/form-field";
import { Textarea } from "@/components/ui/textarea";

type Disposition = "reduce_balance" | "patient_credit";

export type IssueCreditNoteDialogProps = {
  invoiceId: string;
  invoiceNumber: string;
  currency: string;
  /** Still owed: what a credit note may take off the balance (0 when nothing is owed). */
  fromBalance: number;
  /** Paid and not yet credited back: what may become patient credit (0 when nothing was paid). */
  fromPaid: number;
};

const OPTIONS: { value: Disposition; label: string; description: string }[] = [
  { value: "reduce_balance", label: "Reduce what the patient owes", description: "The amount comes off the invoice's balance." },
  {
    value: "patient_credit",
    label: "Keep as patient credit",
    description: "Part of what was paid becomes credit on the patient's account, used toward future bills.",
  },
];

/** Billing staff issue a credit note: amount (prefilled with what can be credited), reason, and where it goes. */
export function IssueCreditNoteDialog(props: IssueCreditNoteDialogProps) {
  const money = (amount: number) => formatMoney(amount, props.currency);
  const initialDisposition: Disposition = props.fromBalance > 0 ? "reduce_balance" : "patient_credit";
  const limitOf = (value: Disposition) => (value === "reduce_balance" ? props.fromBalance : props.fromPaid);
  const [open, setOpen] = useState(false);
  const [disposition, setDisposition] = useState<Disposition>(initialDisposition);
  const [amountText, setAmountText] = useState(toDecimalString(limitOf(initialDisposition), props.currency));
  const [reason, setReason] = useState("");
  const [errors, setErrors] = useState<{ amount?: string; reason?: string }>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const limit = limitOf(disposition);
  const amount = parseMoneyInput(amountText, props.currency);
  const amountError =
    amountText.trim() === ""
      ? "Enter the amount to credit."
      : amount === null
        ? "Enter an amount like 25.00."
        : amount <= 0
          ? "Enter an amount above zero."
          : amount > limit
            ? `Credit at most ${money(limit)}.`
            : undefined;
  const shownAmountError = errors.amount ?? (amountText.trim() !== "" ? amountError : undefined);
  const amountHint = `Up to ${money(limit)}, tax included.`;
  const reasonHint = "Printed on the credit note the patient receives.";
  const choices = OPTIONS.filter((option) => limitOf(option.value) > 0);

  function reset() {
    setDisposition(initialDisposition);
    setAmountText(toDecimalString(limitOf(initialDisposition), props.currency));
    setReason("");
    setErrors({});
    setFormError(null);
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const next = { amount: amountError, reason: reason.trim().length < 3 ? "Give a reason (at least 3 characters)." : undefined };
    setErrors(next);
    setFormError(null);
    if (next.amount || next.reason || amount === null) return;
    startTransition(async () => {
      const result = await issueCreditNoteAction({ invoiceId: props.invoiceId, amount, reason: reason.trim(), disposition });
      if (result.ok) {
        setOpen(false);
        reset();
        toast.success(`Credit note ${result.data.number} issued for ${money(amount)}.`);
        return;
      }
      const fields = result.error.fields ?? {};
      setErrors({ amount: fields.amount?.[0], reason: fields.reason?.[0] });
      if (!fields.amount && !fields.reason) setFormError(result.error.message);
    });
  }

  return (
    <div className="grid gap-3">
      <Dialog
        open={open}
        onOpenChange={(next) => {
          if (pending) return;
          setOpen(next);
          if (!next) reset();
        }}
      >
        <DialogTrigger asChild>
          <Button variant="outline" className="w-fit">
            <FilePlus2 aria-hidden="true" /> Issue credit note
          </Button>
        </DialogTrigger>
        <DialogContent>
          <form onSubmit={onSubmit} noValidate className="grid gap-4">
            <DialogHeader>
              <DialogTitle>Issue a credit note for {props.invoiceNumber}</DialogTitle>
              <DialogDescription>
                A numbered credit note corrects what the invoice asks for. To send money back to the patient&apos;s card, refund the payment from its page
                instead.
              </DialogDescription>
            </DialogHeader>
            {formError && (
              <Alert variant="destructive">
                <AlertDescription>{formError}</AlertDescription>
              </Alert>
            )}
            {choices.length > 1 ? (
              <fieldset className="grid gap-2">
                <legend className="mb-2 text-sm font-medium">Where the credit goes</legend>
                {choices.map((option) => (
                  <label
                    key={option.value}
                    className="flex cursor-pointer items-start gap-3 rounded-md border p-3 has-[:checked]:border-primary has-[:checked]:bg-primary/5"
                  >
                    <input
                      type="radio"
                      name="credit-note-disposition"
                      value={option.value}
                      checked={disposition === option.value}
                      onChange={() => {
                        setDisposition(option.value);
                        setAmountText(toDecimalString(limitOf(option.value), props.currency));
                        setErrors({});
                      }}
                      className="mt-1 size-4 accent-primary"
                    />
                    <span className="grid gap-0.5">
                      <span className="text-sm font-medium">{option.label}</span>
                      <span className="text-sm text-muted-foreground">
                        {option.description} Up to {money(limitOf(option.value))}.
                      </span>
                    </span>
                  </label>
                ))}
              </fieldset>
            ) : (
              <p className="rounded-md border p-3 text-sm">
                <span className="font-medium">{choices[0]?.label}.</span> <span className="text-muted-foreground">{choices[0]?.description}</span>
              </p>
            )}
            <AmountField
              id="credit-note-amount"
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
            <FormField label="Reason" htmlFor="credit-note-reason" error={errors.reason} hint={reasonHint} required>
              <Textarea
                {...fieldControlProps("credit-note-reason", { error: errors.reason, hint: reasonHint, required: true })}
                rows={3}
                maxLength={500}
                value={reason}
                onChange={(event) => {
                  setReason(event.target.value);
                  setErrors((current) => ({ ...current, reason: undefined }));
                }}
              />
            </FormField>
            <DialogFooter>
              <DialogClose asChild>
                <Button type="button" variant="outline" disabled={pending}>
                  Cancel
                </Button>
              </DialogClose>
              <Button type="submit" loading={pending}>
                {amount !== null && !amountError ? `Issue credit note for ${money(amount)}` : "Issue credit note"}
              </Button>
            </DialogFooter>
          </form>
        </DialogContent>
      </Dialog>
    </div>
  );
}
