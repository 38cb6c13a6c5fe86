"use client";

import { useState, useTransition, type FormEvent, type ReactNode, type RefObject } from "react";
import type { ActionResult } from "@/lib/http/action";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { FormField, fieldControlProps } from "@/components/ui/form-field";
import { Textarea } from "@/components/ui/textarea";

const REASON_HINT = "Kept with the invoice and in the audit log.";

/** The text asked for: a reason (the default) or, e.g., a note; `name` is also the field the server's errors name. */
export type ReasonDialogField = { label: string; name: string; rows: number; maxLength: number; tooShort: string };

const REASON_FIELD: ReasonDialogField = { label: "Reason", name: "reason", rows: 3, maxLength: 500, tooShort: "Give a reason (at least 3 characters)." };

/**
 * A confirmation that needs a written reason (void, write-off) or another short text (an appeal
 * note): at least 3 characters, required by the server too. Its field errors come back on the field.
 */
export function ReasonDialog(props: {
  id: string;
  /** The button that opens it; left out when the caller opens it (`open`), e.g. from a menu. */
  trigger?: ReactNode;
  open?: boolean;
  onOpenChange?: (open: boolean) => void;
  /** Without a trigger: where focus goes back when the dialog closes (e.g. the menu's button). */
  returnFocusRef?: RefObject<HTMLElement | null>;
  title: string;
  description: string;
  confirmLabel: string;
  /** Under the field; says where the text is kept (default: with the invoice and in the audit log). */
  hint?: string;
  /** Default: "Reason", up to 500 characters. */
  field?: ReasonDialogField;
  /** The confirm button in the destructive style (default). */
  destructive?: boolean;
  onConfirm: (reason: string) => Promise<ActionResult<unknown>>;
}) {
  const field = props.field ?? REASON_FIELD;
  const hint = props.hint ?? REASON_HINT;
  const [uncontrolledOpen, setUncontrolledOpen] = useState(false);
  const open = props.open ?? uncontrolledOpen;
  const setOpen = (next: boolean) => {
    if (props.open === undefined) setUncontrolledOpen(next);
    props.onOpenChange?.(next);
  };
  const [error, setError] = useState<string | undefined>();
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const reason = String(new FormData(event.currentTarget).get(field.name) ?? "").trim();
    setFormError(null);
    if (reason.length < 3) {
      setError(field.tooShort);
      return;
    }
    setError(undefined);
    startTransition(async () => {
      const result = await props.onConfirm(reason);
      if (result.ok) {
        setOpen(false);
        return;
      }
      const fieldError = result.error.fields?.[field.name]?.[0];
      if (fieldError) setError(fieldError);
      else setFormError(result.error.message);
    });
  }

  const fieldId = `${props.id}-${field.name}`;
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (pending) return;
        setOpen(next);
        setError(undefined);
        setFormError(null);
      }}
    >
      {props.trigger !== undefined && <DialogTrigger asChild>{props.trigger}</DialogTrigger>}
      <DialogContent
        onCloseAutoFocus={(event) => {
          if (!props.returnFocusRef?.current) return;
          event.preventDefault();
          props.returnFocusRef.current.focus();
        }}
      >
        <form onSubmit={onSubmit} noValidate className="grid gap-4">
          <DialogHeader>
            <DialogTitle>{props.title}</DialogTitle>
            <DialogDescription>{props.description}</DialogDescription>
          </DialogHeader>
          {formError && (
            <Alert variant="destructive">
              <AlertDescription>{formError}</AlertDescription>
            </Alert>
          )}
          <FormField label={field.label} htmlFor={fieldId} error={error} hint={hint} required>
            <Textarea {...fieldControlProps(fieldId, { error, hint, required: true })} name={field.name} rows={field.rows} maxLength={field.maxLength} />
          </FormField>
          <DialogFooter>
            <DialogClose asChild>
              <Button type="button" variant="outline" disabled={pending}>
                Cancel
              </Button>
            </DialogClose>
            <Button type="submit" variant={props.destructive === false ? "default" : "destructive"} loading={pending}>
              {props.confirmLabel}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
