"use client";

import { useState, useTransition, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { CreditCard } from "lucide-react";
import type { FieldErrors } from "@/lib/errors";
import type { ActionResult } from "@/lib/http/action";
import { formatMoney, parseMoneyInput, toDecimalString } from "@/lib/money/currency";
import { Alert, AlertDescription } from "@/components/ui/alert";
import {
  AlertDialog,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
  AlertDialogTrigger,
} from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { FormField, fieldControlProps } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";

type Result = ActionResult<unknown>;
type IdAction = (input: { membershipId: string }) => Promise<Result>;
export type CancelMembershipValues = { membershipId: string; when: "period_end" | "now"; refundAmount?: number };

export type MembershipActionHandlers = {
  pause: IdAction;
  resume: IdAction;
  undoCancel: IdAction;
  cancel: (input: CancelMembershipValues) => Promise<Result>;
  changeCard: (input: { membershipId: string; savedPaymentMethodId: string }) => Promise<Result>;
};

type MembershipActionsProps = {
  membershipId: string;
  status: "active" | "past_due" | "paused" | "canceled" | "defaulted";
  cancelAtPeriodEnd: boolean;
  /** "Jan 4, 2027": the current period's last day (a cancellation at period end takes effect after it). */
  lastDayLabel: string | null;
  currency: string;
  refundableAmount: number;
  suggestedRefund: number;
  /** The patient's cards saved with consent, and the one the membership uses (null: their default). */
  cards: { id: string; label: string }[];
  currentCardId: string | null;
  actions: MembershipActionHandlers;
};

/** Pause, resume, cancel (at period end or now, with an optional refund), undo a pending cancellation, and change the card. */
export function MembershipActions(props: MembershipActionsProps) {
  const router = useRouter();
  const { membershipId, status } = props;
  const live = status === "active" || status === "past_due" || status === "paused";
  const run = (action: IdAction, done: string) => async () => {
    const result = await action({ membershipId });
    if (result.ok) {
      toast.success(done);
      router.refresh();
    }
    return result;
  };
  if (!live) return null;
  return (
    <div className="flex flex-wrap gap-2">
      {props.cancelAtPeriodEnd && (
        <ConfirmButton
          title="Keep this membership?"
          description={`The cancellation is withdrawn: the membership renews${props.lastDayLabel ? ` after ${props.lastDayLabel}` : ""} and is charged as before.`}
          confirmLabel="Keep membership"
          cancelLabel="Go back"
          pendingLabel="Saving…"
          onConfirm={run(props.actions.undoCancel, "The membership will renew.")}
        >
          Undo cancellation
        </ConfirmButton>
      )}
      {(status === "active" || status === "past_due") && (
        <ConfirmButton
          title="Pause this membership?"
          description="No new period starts while it is paused and nothing is charged. When you resume, billing restarts at the first period start on or after that day."
          confirmLabel="Pause membership"
          pendingLabel="Pausing…"
          onConfirm={run(props.actions.pause, "Membership paused.")}
        >
          Pause
        </ConfirmButton>
      )}
      {status === "paused" && (
        <ConfirmButton
          title="Resume this membership?"
          description="Billing restarts at the first period start on or after today; the periods skipped while paused are not charged."
          confirmLabel="Resume membership"
          pendingLabel="Resuming…"
          onConfirm={run(props.actions.resume, "Membership resumed.")}
        >
          Resume
        </ConfirmButton>
      )}
      {props.cards.length > 0 && <ChangeCardDialog {...props} />}
      <CancelMembershipDialog {...props} />
    </div>
  );
}

function ChangeCardDialog(props: MembershipActionsProps) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [cardId, setCardId] = useState(props.currentCardId ?? props.cards[0]?.id ?? "");
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    startTransition(async () => {
      const result = await props.actions.changeCard({ membershipId: props.membershipId, savedPaymentMethodId: cardId });
      if (!result.ok) return setError(result.error.fields?.savedPaymentMethodId?.[0] ?? result.error.message);
      setOpen(false);
      toast.success("Card changed. The next charge uses it.");
      router.refresh();
    });
  }

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (pending) return;
        setOpen(next);
        setError(null);
      }}
    >
      <DialogTrigger asChild>
        <Button type="button" variant="outline" size="sm">
          <CreditCard aria-hidden="true" /> Change card
        </Button>
      </DialogTrigger>
      <DialogContent>
        <form onSubmit={submit} className="grid gap-4">
          <DialogHeader>
            <DialogTitle>Change the membership&apos;s card</DialogTitle>
            <DialogDescription>Only cards the patient agreed may be charged without them present. Add a new card on the patient&apos;s page.</DialogDescription>
          </DialogHeader>
          <FormField label="Card" htmlFor="membership-change-card" error={error ?? undefined} required>
            <Select
              {...fieldControlProps("membership-change-card", { error: error ?? undefined, required: true })}
              value={cardId}
              onChange={(event) => setCardId(event.target.value)}
            >
              {props.cards.map((card) => (
                <option key={card.id} value={card.id}>
                  {card.label}
                </option>
              ))}
            </Select>
          </FormField>
          <DialogFooter>
            <DialogClose asChild>
              <Button type="button" variant="outline" disabled={pending}>
                Cancel
              </Button>
            </DialogClose>
            <Button type="submit" loading={pending}>
              Use this card
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

function CancelMembershipDialog(props: MembershipActionsProps) {
  const router = useRouter();
  const money = (amount: number) => formatMoney(amount, props.currency);
  // Already ending at the period's end: what is left to choose is ending it now.
  const [when, setWhen] = useState<"period_end" | "now">(props.cancelAtPeriodEnd ? "now" : "period_end");
  const [open, setOpen] = useState(false);
  const [refundText, setRefundText] = useState(toDecimalString(props.suggestedRefund, props.currency));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const refundError = errors.refundAmount?.[0];
  const refundHint =
    props.refundableAmount > 0
      ? `Suggested: ${money(props.suggestedRefund)}, the unused days of this period. Up to ${money(props.refundableAmount)}; 0 for none.`
      : undefined;

  function reset() {
    setWhen(props.cancelAtPeriodEnd ? "now" : "period_end");
    setRefundText(toDecimalString(props.suggestedRefund, props.currency));
    setErrors({});
    setFormError(null);
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    let refundAmount: number | undefined;
    if (when === "now" && props.refundableAmount > 0) {
      const parsed = refundText.trim() === "" ? 0 : parseMoneyInput(refundText, props.currency);
      if (parsed === null) return setErrors({ refundAmount: ["Enter an amount like 12.50, or 0 for no refund."] });
      if (parsed > props.refundableAmount)
        return setErrors({ refundAmount: [`Refund at most ${money(props.refundableAmount)}, what this period's charge left.`] });
      refundAmount = parsed;
    }
    setErrors({});
    setFormError(null);
    startTransition(async () => {
      const result = await props.actions.cancel({ membershipId: props.membershipId, when, ...(refundAmount ? { refundAmount } : {}) });
      if (!result.ok) {
        const fields = result.error.fields ?? {};
        setErrors(fields);
        if (!fields.refundAmount && !fields.when) setFormError(result.error.message);
        return;
      }
      setOpen(false);
      toast.success(
        when === "now"
          ? `Membership canceled${refundAmount ? `; ${money(refundAmount)} is being refunded` : ""}.`
          : `The membership ends${props.lastDayLabel ? ` after ${props.lastDayLabel}` : " at the end of this period"}.`,
      );
      router.refresh();
    });
  }

  const options = [
    ...(props.cancelAtPeriodEnd
      ? []
      : [
          {
            value: "period_end" as const,
            label: "At the end of this period",
            description: props.lastDayLabel
              ? `The membership stays active through ${props.lastDayLabel}; nothing more is charged.`
              : "Nothing more is invoiced or charged.",
          },
        ]),
    {
      value: "now" as const,
      label: "Now",
      description: "The membership ends today. An unpaid invoice for this period is voided and pending charges are canceled.",
    },
  ];

  return (
    <AlertDialog
      open={open}
      onOpenChange={(next) => {
        if (pending) return;
        setOpen(next);
        if (!next) reset();
      }}
    >
      <AlertDialogTrigger asChild>
        <Button type="button" variant="outline" size="sm">
          {props.cancelAtPeriodEnd ? "Cancel now" : "Cancel membership"}
        </Button>
      </AlertDialogTrigger>
      <AlertDialogContent>
        <form onSubmit={submit} noValidate className="grid gap-4">
          <AlertDialogHeader>
            <AlertDialogTitle>Cancel this membership?</AlertDialogTitle>
            <AlertDialogDescription>This cannot be undone once it has ended: to start again, enroll the patient anew.</AlertDialogDescription>
          </AlertDialogHeader>
          {formError && (
            <Alert variant="destructive">
              <AlertDescription>{formError}</AlertDescription>
            </Alert>
          )}
          <fieldset className="grid gap-2">
            <legend className="mb-2 text-sm font-medium">When</legend>
            {options.map((option) => (
              <label
                key={option.value}
                className="flex cursor-pointer items-start gap-3 rounded-md border p-3 has-[:checked]:border-primary has-[:checked]:bg-primary/5"
              >
                <input
                  type="radio"
                  name="cancel-when"
                  value={option.value}
                  checked={when === option.value}
                  onChange={() => setWhen(option.value)}
                  className="mt-1 size-4 accent-primary"
                />
                <span className="grid gap-0.5">
                  <span className="text-sm font-medium">{option.label}</span>
                  <span className="text-sm text-muted-foreground">{option.description}</span>
                </span>
              </label>
            ))}
          </fieldset>
          {when === "now" && props.refundableAmount > 0 && (
            <FormField label={`Refund (${props.currency})`} htmlFor="membership-refund" error={refundError} hint={refundHint}>
              <Input
                {...fieldControlProps("membership-refund", { error: refundError, hint: refundHint })}
                inputMode="decimal"
                autoComplete="off"
                value={refundText}
                onChange={(event) => {
                  setRefundText(event.target.value);
                  setErrors({});
                }}
              />
            </FormField>
          )}
          <AlertDialogFooter>
            <AlertDialogCancel disabled={pending}>Keep membership</AlertDialogCancel>
            <Button type="submit" variant="destructive" loading={pending}>
              {when === "now" ? "Cancel now" : "Cancel at period end"}
            </Button>
          </AlertDialogFooter>
        </form>
      </AlertDialogContent>
    </AlertDialog>
  );
}
