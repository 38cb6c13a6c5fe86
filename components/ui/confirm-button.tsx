"use client";

import { useRef, useState, useTransition, type ReactNode, type RefObject } from "react";
import type { ActionResult } from "@/lib/http/action";
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
import { Button, type ButtonProps } from "@/components/ui/button";
import { FormField, fieldControlProps } from "@/components/ui/form-field";
import { Textarea } from "@/components/ui/textarea";

/**
 * What onConfirm may return. Nothing: the dialog closes at once (the caller shows the outcome).
 * A promise: the dialog stays open, Cancel and Escape disabled, until it settles; a failed
 * ActionResult is shown in the dialog, anything else closes it.
 */
type ConfirmOutcome = void | Promise<void | ActionResult<unknown>>;

/** A required written reason (voids, write-offs), checked here and by the server. */
type ReasonField = { id: string; hint: string };

type ConfirmButtonProps = {
  /** The button that opens the confirmation; left out when the caller opens it (`open`), e.g. from a menu. */
  children?: ReactNode;
  /** Controlled: open from elsewhere (a menu item) and told of changes through onOpenChange. */
  open?: boolean;
  onOpenChange?: (open: boolean) => void;
  /** Without a trigger button: where focus goes back when the dialog closes (e.g. the menu's button). */
  returnFocusRef?: RefObject<HTMLElement | null>;
  title: ReactNode;
  description: ReactNode;
  confirmLabel: string;
  /** The confirm button's text while onConfirm's promise runs ("Finalizing…"). */
  pendingLabel?: string;
  cancelLabel?: string;
  /** Shown instead of the confirm button when the action cannot be taken yet, e.g. a link to fix what blocks it. */
  blockedAction?: ReactNode;
  destructive?: boolean;
  variant?: ButtonProps["variant"];
  size?: ButtonProps["size"];
  disabled?: boolean;
} & ({ reason?: undefined; onConfirm: () => ConfirmOutcome } | { reason: ReasonField; onConfirm: (reason: string) => ConfirmOutcome });

const REASON_MIN_LENGTH = 3;

/**
 * A button that asks "are you sure?" in an accessible alert dialog before doing something hard to
 * undo: focus starts on Cancel (or on the reason, when one is asked for) and Escape cancels.
 */
export function ConfirmButton(props: ConfirmButtonProps) {
  const {
    children,
    title,
    description,
    confirmLabel,
    pendingLabel,
    cancelLabel = "Cancel",
    blockedAction,
    destructive = false,
    variant = "outline",
    size = "sm",
    disabled,
  } = props;
  const [uncontrolledOpen, setUncontrolledOpen] = useState(false);
  const open = props.open ?? uncontrolledOpen;
  const setOpen = (next: boolean) => {
    if (props.open === undefined) setUncontrolledOpen(next);
    props.onOpenChange?.(next);
  };
  const [error, setError] = useState<string | null>(null);
  const [reasonError, setReasonError] = useState<string | undefined>();
  const [pending, startTransition] = useTransition();
  const reasonRef = useRef<HTMLTextAreaElement>(null);

  function confirm() {
    setError(null);
    let outcome: ConfirmOutcome;
    if (props.reason) {
      const reason = (reasonRef.current?.value ?? "").trim();
      if (reason.length < REASON_MIN_LENGTH) {
        setReasonError(`Give a reason (at least ${REASON_MIN_LENGTH} characters).`);
        return;
      }
      setReasonError(undefined);
      outcome = props.onConfirm(reason);
    } else {
      outcome = props.onConfirm();
    }
    if (!(outcome instanceof Promise)) {
      setOpen(false);
      return;
    }
    startTransition(async () => {
      const result = await outcome;
      if (result && !result.ok) {
        const fieldError = props.reason ? result.error.fields?.reason?.[0] : undefined;
        if (fieldError) setReasonError(fieldError);
        else setError(result.error.message);
        return;
      }
      setOpen(false);
    });
  }

  return (
    <AlertDialog
      open={open}
      onOpenChange={(next) => {
        if (pending) return;
        setOpen(next);
        setError(null);
        setReasonError(undefined);
      }}
    >
      {children !== undefined && (
        <AlertDialogTrigger asChild>
          <Button type="button" variant={variant} size={size} disabled={disabled}>
            {children}
          </Button>
        </AlertDialogTrigger>
      )}
      <AlertDialogContent
        onCloseAutoFocus={(event) => {
          if (!props.returnFocusRef?.current) return;
          event.preventDefault();
          props.returnFocusRef.current.focus();
        }}
        onOpenAutoFocus={(event) => {
          // A required reason is where the person starts, rather than Cancel.
          if (!props.reason) return;
          event.preventDefault();
          reasonRef.current?.focus();
        }}
      >
        <AlertDialogHeader>
          <AlertDialogTitle>{title}</AlertDialogTitle>
          <AlertDialogDescription>{description}</AlertDialogDescription>
        </AlertDialogHeader>
        {error && (
          <Alert variant="destructive">
            <AlertDescription>{error}</AlertDescription>
          </Alert>
        )}
        {props.reason && (
          <FormField label="Reason" htmlFor={props.reason.id} error={reasonError} hint={props.reason.hint} required>
            <Textarea
              ref={reasonRef}
              {...fieldControlProps(props.reason.id, { error: reasonError, hint: props.reason.hint, required: true })}
              name="reason"
              rows={3}
              maxLength={500}
            />
          </FormField>
        )}
        <AlertDialogFooter>
          <AlertDialogCancel disabled={pending}>{cancelLabel}</AlertDialogCancel>
          {blockedAction ?? (
            <Button type="button" variant={destructive ? "destructive" : "default"} loading={pending} onClick={confirm}>
              {pending && pendingLabel ? pendingLabel : confirmLabel}
            </Button>
          )}
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}
