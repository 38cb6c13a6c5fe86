"use client";

import { useState, useTransition, type FormEvent } from "react";
import { toast } from "sonner";
import { HandCoins } from "lucide-react";
import type { ActionResult } from "@/lib/http/action";
import { formatMoney, parseMoneyInput, toDecimalString } from "@/lib/money/currency";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { FormField, fieldControlProps } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";

/** The front-desk methods a prepayment can be taken with (the Stripe card flows need an invoice). */
const METHODS = { cash: "Cash", check: "Check", card_terminal: "Card terminal" } as const;
type PrepaymentMethod = keyof typeof METHODS;

export type CollectPrepaymentInput = {
  patientId: string;
  method: PrepaymentMethod;
  amount: number;
  currency: string;
  reference?: string;
  prepayment: true;
};

/**
 * "Collect estimate" at check-in: records cash, a check or a card-terminal payment as a prepayment
 * that goes wholly to the patient's credit; the patient's share of the visit is settled against it
 * when the payer's remittance is posted. The amount is prefilled with the estimate; refusals are
 * shown next to the field they are about.
 */
export function CollectEstimateDialog(props: {
  patientId: string;
  patientName: string;
  currency: string;
  estimate: number;
  collect: (input: CollectPrepaymentInput) => Promise<ActionResult<{ id: string }>>;
}) {
  const { currency } = props;
  const [open, setOpen] = useState(false);
  const [method, setMethod] = useState<PrepaymentMethod>("cash");
  const [amountText, setAmountText] = useState(toDecimalString(props.estimate, currency));
  const [reference, setReference] = useState("");
  const [fields, setFields] = useState<Record<string, string | undefined>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function reset() {
    setMethod("cash");
    setAmountText(toDecimalString(props.estimate, currency));
    setReference("");
    setFields({});
    setFormError(null);
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setFormError(null);
    const amount = parseMoneyInput(amountText, currency);
    const found: Record<string, string | undefined> = {};
    if (amount === null || amount <= 0) found.amount = "Enter an amount above zero, such as 25.00.";
    if (method === "check" && !reference.trim()) found.reference = "Enter the check number.";
    setFields(found);
    if (Object.keys(found).length > 0 || amount === null) return;
    startTransition(async () => {
      const result = await props.collect({
        patientId: props.patientId,
        method,
        amount,
        currency,
        prepayment: true,
        ...(reference.trim() ? { reference: reference.trim() } : {}),
      });
      if (result.ok) {
        setOpen(false);
        toast.success(`Collected ${formatMoney(amount, currency)}: kept as ${props.patientName}'s credit until the visit's share is billed.`);
        return;
      }
      const serverFields = result.error.fields ?? {};
      const next = { amount: serverFields.amount?.[0], reference: serverFields.reference?.[0], method: serverFields.method?.[0] };
      setFields(next);
      if (!next.amount && !next.reference && !next.method) setFormError(result.error.message);
    });
  }

  const referenceLabel = method === "check" ? "Check number" : "Approval code";
  const amountHint = `The estimate is ${formatMoney(props.estimate, currency)}.`;
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (pending) return;
        setOpen(next);
        if (next) reset();
      }}
    >
      <DialogTrigger asChild>
        <Button className="w-full sm:w-auto" data-testid="collect-estimate">
          <HandCoins aria-hidden="true" /> Collect estimate
        </Button>
      </DialogTrigger>
      <DialogContent>
        <form onSubmit={onSubmit} noValidate className="grid gap-4">
          <DialogHeader>
            <DialogTitle>Collect the estimate</DialogTitle>
            <DialogDescription>
              Kept as {props.patientName}&apos;s credit. When the payer&apos;s remittance bills their share, the credit pays it; what is left stays as credit.
            </DialogDescription>
          </DialogHeader>
          {formError && (
            <Alert variant="destructive">
              <AlertDescription>{formError}</AlertDescription>
            </Alert>
          )}
          <FormField label="Method" htmlFor="prepayment-method" error={fields.method} required>
            <Select
              {...fieldControlProps("prepayment-method", { error: fields.method, required: true })}
              value={method}
              onChange={(event) => {
                setMethod(event.target.value as PrepaymentMethod);
                setFields((current) => ({ ...current, reference: undefined, method: undefined }));
              }}
            >
              {Object.entries(METHODS).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </Select>
          </FormField>
          <FormField label={`Amount (${currency})`} htmlFor="prepayment-amount" error={fields.amount} hint={amountHint} required>
            <Input
              {...fieldControlProps("prepayment-amount", { error: fields.amount, hint: amountHint, required: true })}
              inputMode="decimal"
              autoComplete="off"
              value={amountText}
              onChange={(event) => {
                setAmountText(event.target.value);
                setFields((current) => ({ ...current, amount: undefined }));
              }}
            />
          </FormField>
          {method !== "cash" && (
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
          <DialogFooter>
            <DialogClose asChild>
              <Button type="button" variant="outline" disabled={pending}>
                Cancel
              </Button>
            </DialogClose>
            <Button type="submit" loading={pending}>
              Collect
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
