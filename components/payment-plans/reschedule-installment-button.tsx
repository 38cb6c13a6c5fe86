"use client";

import { useState, useTransition, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import type { ActionResult } from "@/lib/http/action";
import { formatIsoDate } from "@/components/invoices/invoice-format";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { FormField, fieldControlProps } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";

type RescheduleInput = { planId: string; installmentId: string; dueDate: string };

/** Moves one scheduled installment to another day: a date dialog, the server's refusals shown inline. */
export function RescheduleInstallmentButton(props: {
  planId: string;
  installmentId: string;
  /** "installment 2" or "the down payment". */
  label: string;
  dueDate: string;
  /** Today on the clinic's calendar: the earliest day allowed. */
  today: string;
  reschedule: (input: RescheduleInput) => Promise<ActionResult<{ dueDate: string }>>;
}) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [dueDate, setDueDate] = useState(props.dueDate);
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const fieldId = `reschedule-${props.installmentId}`;
  const hint = `Today (${formatIsoDate(props.today)}) or later. It is charged on the clinic's morning of that day.`;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setFormError(null);
    if (!dueDate) return setFieldError("Choose the new date.");
    if (dueDate < props.today) return setFieldError("Choose today or a later day.");
    if (dueDate === props.dueDate) return setFieldError("That is already its date: choose another day.");
    setFieldError(undefined);
    startTransition(async () => {
      const result = await props.reschedule({ planId: props.planId, installmentId: props.installmentId, dueDate });
      if (!result.ok) {
        const message = result.error.fields?.dueDate?.[0];
        if (message) setFieldError(message);
        else setFormError(result.error.message);
        return;
      }
      setOpen(false);
      toast.success(`Moved ${props.label} to ${formatIsoDate(result.data.dueDate)}.`);
      router.refresh();
    });
  }

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (pending) return;
        setOpen(next);
        if (next) setDueDate(props.dueDate);
        setFieldError(undefined);
        setFormError(null);
      }}
    >
      <DialogTrigger asChild>
        <Button variant="ghost" size="sm" aria-label={`Reschedule ${props.label}`}>
          Reschedule
        </Button>
      </DialogTrigger>
      <DialogContent className="sm:max-w-md">
        <form onSubmit={submit} noValidate className="grid gap-4">
          <DialogHeader>
            <DialogTitle>Reschedule {props.label}</DialogTitle>
            <DialogDescription>Due {formatIsoDate(props.dueDate)}. The amount stays the same; a reminder is sent again before the new date.</DialogDescription>
          </DialogHeader>
          {formError && (
            <Alert variant="destructive">
              <AlertDescription>{formError}</AlertDescription>
            </Alert>
          )}
          <FormField label="New due date" htmlFor={fieldId} error={fieldError} hint={hint}>
            <Input
              {...fieldControlProps(fieldId, { error: fieldError, hint })}
              type="date"
              min={props.today}
              value={dueDate}
              onChange={(event) => setDueDate(event.target.value)}
            />
          </FormField>
          <DialogFooter>
            <DialogClose asChild>
              <Button type="button" variant="outline" disabled={pending}>
                Cancel
              </Button>
            </DialogClose>
            <Button type="submit" loading={pending}>
              Reschedule
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
