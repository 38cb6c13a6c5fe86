"use client";

import { useState, useTransition, type FormEvent } from "react";
import { toast } from "sonner";
import { Undo2 } from "lucide-react";
import type { ActionResult } from "@/lib/http/action";
import { formatMoney, parseMoneyInput, toDecimalString } from "@/lib/money/currency";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { AmountField } from "@/components/ui/amount-field";
import { FormField, fieldControlProps } from "@/components/ui/form-field";
import { Select } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";

export type RefundableCreditOption = {
  paymentId: string;
  /** "Prepayment · Visa •••• 4242 · RCT-00012 · Dec 6, 2026" */
  label: string;
  currency: string;
  method: "card" | "manual";
  refundable: number;
  blockedReason: string | null;
};

type Refunded = { method: "card" | "manual"; amount: number; currency: string; status: string; stripeUnreachable: boolean };

/**
 * "Refund credit" on the patient's credit card: gives back unused credit that one of the
 * patient's payments made (a prepayment, or an overpayment kept as credit). A card's goes back to
 * that card through Stripe; cash, check or terminal credit is recorded as handed back at the desk.
 * The server decides the limit again under its locks; a refusal is shown on its field.
 */
export function RefundCreditDialog(props: {
  patientId: string;
  options: RefundableCreditOption[];
  refund: (input: { patientId: string; paymentId: string; amount: number; note?: string }) => Promise<ActionResult<Refunded>>;
}) {
  const first = props.options.find((option) => !option.blockedReason) ?? props.options[0];
  const [open, setOpen] = useState(false);
  const [paymentId, setPaymentId] = useState(first?.paymentId ?? "");
  const chosen = props.options.find((option) => option.paymentId === paymentId) ?? first;
  const [amountText, setAmountText] = useState(first ? toDecimalString(first.refundable, first.currency) : "");
  const [note, setNote] = useState("");
  const [fields, setFields] = useState<Record<string, string | undefined>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  if (!chosen) return null;
  const money = (amount: number) => formatMoney(amount, chosen.currency);

  function choose(id: string) {
    const option = props.options.find((entry) => entry.paymentId === id);
    setPaymentId(id);
    if (option) setAmountText(toDecimalString(option.refundable, option.currency));
    setFields({});
    setFormError(null);
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!chosen) return;
    setFormError(null);
    const amount = parseMoneyInput(amountText, chosen.currency);
    if (amount === null || amount <= 0) return setFields({ amount: "Enter an amount above zero, such as 25.00." });
    if (amount > chosen.refundable) return setFields({ amount: `Refund at most ${money(chosen.refundable)}, the unused credit left from this payment.` });
    setFields({});
    startTransition(async () => {
      try {
        const result = await props.refund({ patientId: props.patientId, paymentId: chosen.paymentId, amount, ...(note.trim() ? { note: note.trim() } : {}) });
        if (!result.ok) {
          const serverFields = result.error.fields ?? {};
          const next = { amount: serverFields.amount?.[0], paymentId: serverFields.paymentId?.[0], note: serverFields.note?.[0] };
          setFields(next);
          if (!next.amount && !next.paymentId && !next.note) setFormError(result.error.message);
          return;
        }
        setOpen(false);
        const refunded = result.data;
        const what = formatMoney(refunded.amount, refunded.currency);
        toast.success(
          refunded.method === "manual"
            ? `Recorded ${what} handed back to the patient.`
            : refunded.stripeUnreachable
              ? `Refund of ${what} booked; Stripe could not be reached, so it is sent again shortly.`
              : `Refunded ${what} to the card.`,
        );
      } catch {
        setFormError("We couldn't reach the server. Check your connection, then look at the credit history before trying again.");
      }
    });
  }

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (pending) return;
        setOpen(next);
        if (next && first) choose(first.paymentId);
      }}
    >
      <DialogTrigger asChild>
        <Button variant="outline" className="w-full sm:w-auto" data-testid="refund-credit">
          <Undo2 aria-hidden="true" /> Refund credit
        </Button>
      </DialogTrigger>
      <DialogContent>
        <form onSubmit={onSubmit} noValidate className="grid gap-4">
          <DialogHeader>
            <DialogTitle>Refund unused credit</DialogTitle>
            <DialogDescription>
              Credit from a card goes back to that card. Credit paid in cash or by check is handed back at the desk and recorded here.
            </DialogDescription>
          </DialogHeader>
          {formError && (
            <Alert variant="destructive">
              <AlertDescription data-testid="refund-credit-error">{formError}</AlertDescription>
            </Alert>
          )}
          <FormField label="Credit from" htmlFor="refund-credit-payment" error={fields.paymentId} required>
            <Select
              {...fieldControlProps("refund-credit-payment", { error: fields.paymentId, required: true })}
              value={chosen.paymentId}
              onChange={(event) => choose(event.target.value)}
            >
              {props.options.map((option) => (
                <option key={option.paymentId} value={option.paymentId} disabled={option.blockedReason !== null}>
                  {option.label} — up to {formatMoney(option.refundable, option.currency)}
                </option>
              ))}
            </Select>
          </FormField>
          {chosen.blockedReason && <p className="text-sm text-muted-foreground">{chosen.blockedReason}</p>}
          <AmountField
            id="refund-credit-amount"
            label={`Amount (${chosen.currency})`}
            error={fields.amount}
            hint={`At most ${money(chosen.refundable)}.`}
            required
            value={amountText}
            onChange={(value) => {
              setAmountText(value);
              setFields((current) => ({ ...current, amount: undefined }));
            }}
          />
          <FormField label="Note" htmlFor="refund-credit-note" error={fields.note}>
            <Textarea
              {...fieldControlProps("refund-credit-note", { error: fields.note })}
              rows={2}
              maxLength={500}
              value={note}
              onChange={(event) => setNote(event.target.value)}
            />
          </FormField>
          <DialogFooter>
            <DialogClose asChild>
              <Button type="button" variant="outline" disabled={pending}>
                Cancel
              </Button>
            </DialogClose>
            <Button type="submit" loading={pending} disabled={chosen.blockedReason !== null}>
              {chosen.method === "card" ? "Refund to the card" : "Record money handed back"}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
