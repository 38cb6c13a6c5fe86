"use client";

import { useState, useTransition, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { CreditCard, Mail } from "lucide-react";
import type { ActionResult } from "@/lib/http/action";
import { cardLabel } from "@/components/cards/card-label";
import { CardLinkDialog } from "@/components/cards/cards-on-file-section";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";

type PlanCard = { id: string; brand: string; last4: string; expMonth: number; expYear: number };

/**
 * The plan's card: one of the patient's cards saved with their consent, or (none fits) a card link
 * for the patient to add one; a plan waiting on a card takes the new one as soon as it is saved.
 */
export function ChangePlanCardDialog(props: {
  planId: string;
  patientId: string;
  patientEmail: string | null;
  hasLiveLink: boolean;
  currentCardId: string | null;
  cards: PlanCard[];
  changeCard: (input: { planId: string; savedPaymentMethodId: string }) => Promise<ActionResult<{ planId: string }>>;
}) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [linkOpen, setLinkOpen] = useState(false);
  const [cardId, setCardId] = useState(props.currentCardId ?? props.cards[0]?.id ?? "");
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const hasOtherCard = props.cards.some((card) => card.id !== props.currentCardId);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setFormError(null);
    if (!cardId) return setFieldError("Choose a card.");
    if (cardId === props.currentCardId) return setFieldError("The plan already uses this card: choose another.");
    setFieldError(undefined);
    startTransition(async () => {
      const result = await props.changeCard({ planId: props.planId, savedPaymentMethodId: cardId });
      if (!result.ok) {
        const message = result.error.fields?.savedPaymentMethodId?.[0];
        if (message) setFieldError(message);
        else setFormError(result.error.message);
        return;
      }
      const chosen = props.cards.find((card) => card.id === cardId);
      setOpen(false);
      toast.success(chosen ? `The plan now charges ${cardLabel(chosen)}.` : "Card changed.");
      router.refresh();
    });
  }

  return (
    <>
      <Dialog
        open={open}
        onOpenChange={(next) => {
          if (pending) return;
          setOpen(next);
          if (next) setCardId(props.currentCardId ?? props.cards[0]?.id ?? "");
          setFieldError(undefined);
          setFormError(null);
        }}
      >
        <DialogTrigger asChild>
          <Button variant="outline" size="sm">
            <CreditCard aria-hidden="true" /> Change card
          </Button>
        </DialogTrigger>
        <DialogContent className="max-h-[90dvh] overflow-y-auto sm:max-w-lg">
          <form onSubmit={submit} noValidate className="grid gap-4">
            <DialogHeader>
              <DialogTitle>Change the plan&apos;s card</DialogTitle>
              <DialogDescription>The next charge, and every one after it, goes to the card you choose.</DialogDescription>
            </DialogHeader>
            {formError && (
              <Alert variant="destructive">
                <AlertDescription>{formError}</AlertDescription>
              </Alert>
            )}
            {!hasOtherCard && (
              <p className="text-sm text-muted-foreground">
                {props.cards.length === 0 ? "The patient has no card saved with their consent." : "The patient has no other card saved with their consent."}{" "}
                Send them a card link to add one, or add it from the patient&apos;s page with the patient at the desk.
              </p>
            )}
            {props.cards.length > 0 && (
              <fieldset className="grid gap-2" aria-describedby={fieldError ? "plan-card-error" : undefined}>
                <legend className="mb-1 text-sm font-medium">Cards on file</legend>
                {props.cards.map((card) => (
                  <label
                    key={card.id}
                    className="flex cursor-pointer items-center gap-3 rounded-lg border p-3 text-sm has-checked:border-primary has-checked:bg-primary/5"
                  >
                    <input
                      type="radio"
                      name="plan-card"
                      value={card.id}
                      checked={cardId === card.id}
                      onChange={() => setCardId(card.id)}
                      className="size-4 accent-primary"
                    />
                    <span className="flex-1">{cardLabel(card)}</span>
                    {card.id === props.currentCardId && <span className="text-xs text-muted-foreground">Current</span>}
                  </label>
                ))}
              </fieldset>
            )}
            {fieldError && (
              <p id="plan-card-error" className="text-sm text-destructive" role="alert">
                {fieldError}
              </p>
            )}
            <DialogFooter className="sm:justify-between">
              <Button
                type="button"
                variant="ghost"
                onClick={() => {
                  setOpen(false);
                  setLinkOpen(true);
                }}
                disabled={pending}
              >
                <Mail aria-hidden="true" /> Send a card link instead
              </Button>
              <div className="flex flex-col-reverse gap-2 sm:flex-row">
                <DialogClose asChild>
                  <Button type="button" variant="outline" disabled={pending}>
                    Cancel
                  </Button>
                </DialogClose>
                {hasOtherCard && (
                  <Button type="submit" loading={pending}>
                    Use this card
                  </Button>
                )}
              </div>
            </DialogFooter>
          </form>
        </DialogContent>
      </Dialog>
      <CardLinkDialog
        open={linkOpen}
        onOpenChange={setLinkOpen}
        patientId={props.patientId}
        patientEmail={props.patientEmail}
        hasLiveLink={props.hasLiveLink}
      />
    </>
  );
}
