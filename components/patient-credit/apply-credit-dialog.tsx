"use client";

import { toast } from "sonner";
import { useState, useTransition, type FormEvent } from "react";
import { Wallet } from "lucide-react";
import { applyPatientCreditAction } from "@/lib/actions/patient-credit/apply-patient-credit";
import { formatMoney, parseMoneyInput, toDecimalString } from "@/lib/money/currency";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { FormField, fieldControlProps } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";

type ApplyCreditDialogProps = {
  invoiceId: string;
  invoiceNumber: string;
  currency: string;
  credit: number;
  amountDue: number;
};

/** Pays the invoice from the patient's credit: amount prefilled with the most that can be applied, checked as typed and by the server. */
export function ApplyCreditDialog({ invoiceId, invoiceNumber, currency, credit, amountDue }: ApplyCreditDialogProps) {
  const limit = Math.min(credit, amountDue);
  const [open, setOpen] = useState(false);
  const [value, setValue] = useState(toDecimalString(limit, currency));
  const [touched, setTouched] = useState(false);
  const [serverError, setServerError] = useState<string | undefined>();
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  const amount = parseMoneyInput(value, currency);
  const localError =
    amount === null
      ? `Enter an amount like ${toDecimalString(limit, currency)}.`
      : amount <= 0
        ? "Enter an amount above zero."
        : amount > credit
          ? `The patient has ${formatMoney(credit, currency)} credit; apply at most ${formatMoney(limit, currency)}.`
          : amount > amountDue
            ? `${invoiceNumber} has ${formatMoney(amountDue, currency)} due; apply at most ${formatMoney(limit, currency)}.`
            : undefined;
  const error = (touched ? localError : undefined) ?? serverError;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setTouched(true);
    setServerError(undefined);
    setFormError(null);
    if (localError || amount === null) return;
    startTransition(async () => {
      const result = await applyPatientCreditAction({ invoiceId, amount });
      if (result.ok) {
        setOpen(false);
        toast.success(
          result.data.status === "paid"
            ? `Applied ${formatMoney(result.data.applied, currency)} of credit. ${invoiceNumber} is paid.`
            : `Applied ${formatMoney(result.data.applied, currency)} of credit.`,
        );
        return;
      }
      const fieldError = result.error.fields?.amount?.[0];
      if (fieldError) setServerError(fieldError);
      else setFormError(result.error.message);
    });
  }

  const fieldId = "apply-credit-amount";
  const hint = `Up to ${formatMoney(limit, currency)}: the smaller of the patient's credit and what ${invoiceNumber} still owes.`;
  return (
    <div className="grid gap-3">
      <Dialog
        open={open}
        onOpenChange={(next) => {
          if (pending) return;
          setOpen(next);
          if (next) {
            setValue(toDecimalString(limit, currency));
          }
          setTouched(false);
          setServerError(undefined);
          setFormError(null);
        }}
      >
        <DialogTrigger asChild>
          <Button variant="outline" className="w-full sm:w-auto">
            <Wallet aria-hidden="true" /> Apply credit
          </Button>
        </DialogTrigger>
        <DialogContent>
          <form onSubmit={onSubmit} noValidate className="grid gap-4">
            <DialogHeader>
              <DialogTitle>Apply credit to {invoiceNumber}</DialogTitle>
              <DialogDescription>
                The amount comes off the patient&apos;s {formatMoney(credit, currency)} credit and is recorded as paid on this invoice.
              </DialogDescription>
            </DialogHeader>
            {formError && (
              <Alert variant="destructive">
                <AlertDescription>{formError}</AlertDescription>
              </Alert>
            )}
            <FormField label={`Amount (${currency})`} htmlFor={fieldId} error={error} hint={hint} required>
              <Input
                {...fieldControlProps(fieldId, { error, hint, required: true })}
                name="amount"
                inputMode="decimal"
                autoComplete="off"
                value={value}
                onChange={(event) => {
                  setValue(event.target.value);
                  setServerError(undefined);
                }}
                onBlur={() => setTouched(true)}
              />
            </FormField>
            <DialogFooter>
              <DialogClose asChild>
                <Button type="button" variant="outline" disabled={pending}>
                  Cancel
                </Button>
              </DialogClose>
              <Button type="submit" loading={pending}>
                Apply {amount !== null && !localError ? formatMoney(amount, currency) : "credit"}
              </Button>
            </DialogFooter>
          </form>
        </DialogContent>
      </Dialog>
    </div>
  );
}
