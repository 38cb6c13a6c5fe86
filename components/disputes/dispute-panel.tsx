"use client";

import { useState, useTransition, type FormEvent, type ReactNode } from "react";
import { useRouter } from "next/navigation";
import { recordDisputeEvidenceAction } from "@/lib/actions/disputes/record-dispute-evidence";
import { resolveLostDisputeAction } from "@/lib/actions/disputes/resolve-lost-dispute";
import { formatMoney } from "@/lib/money/currency";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { FormField, fieldControlProps } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";

export type DisputePanelProps = {
  id: string;
  currency: string;
  amount: number;
  feeAmount: number;
  reasonLabel: string;
  inquiry: boolean;
  open: boolean;
  lost: boolean;
  resolution: "reopened" | "written_off" | null;
  invoiceNumber: string | null;
  /** A disputed prepayment: "reopen" takes back the patient's unused credit from it (there is no invoice to owe it again). */
  prepayment?: boolean;
  evidenceNote: string | null;
  /** Dates pre-formatted in the clinic's time zone. */
  evidenceSubmittedLabel: string | null;
  evidenceDueLabel: string | null;
  resolvedLabel: string | null;
  closedLabel: string | null;
  /** Status and deadline badges, rendered by the server. */
  badges: ReactNode;
  canAct: boolean;
  /** Today in the clinic's time zone (YYYY-MM-DD), the evidence date's default and maximum. */
  today: string;
  /** What the dispute booked, oldest first (debits positive). */
  journals: { id: string; title: string; at: string; lines: { account: string; amount: number }[] }[];
};

/** One dispute on the payment page: what the network says, what the clinic sent, and after a loss what to do with the money. */
export function DisputePanel(props: DisputePanelProps) {
  const money = (amount: number) => formatMoney(amount, props.currency);
  return (
    <Card data-testid="dispute-panel">
      <CardHeader>
        <CardTitle className="flex flex-wrap items-center gap-2">
          {props.inquiry ? "Card inquiry" : "Chargeback"} {props.badges}
        </CardTitle>
        <CardDescription>
          {props.inquiry
            ? "The patient's bank asked about this payment. No money has moved; an unanswered inquiry can become a chargeback."
            : `The patient's bank reversed this payment: ${money(props.amount)} and Stripe's ${money(props.feeAmount)} fee were withdrawn until the card network decides.`}
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
          <dt className="text-muted-foreground">Amount</dt>
          <dd className="text-right tabular-nums">{money(props.amount)}</dd>
          <dt className="text-muted-foreground">Reason</dt>
          <dd className="text-right">{props.reasonLabel}</dd>
          {props.evidenceDueLabel && (
            <>
              <dt className="text-muted-foreground">Evidence due</dt>
              <dd className="text-right">{props.evidenceDueLabel}</dd>
            </>
          )}
          {props.closedLabel && (
            <>
              <dt className="text-muted-foreground">Closed</dt>
              <dd className="text-right">{props.closedLabel}</dd>
            </>
          )}
        </dl>
        {props.journals.length > 0 && (
          <details className="rounded-md border p-3 text-sm">
            <summary className="cursor-pointer font-medium">Ledger entries ({props.journals.length})</summary>
            <ol className="mt-2 grid gap-3">
              {props.journals.map((journal) => (
                <li key={journal.id} className="grid gap-1">
                  <p className="text-xs text-muted-foreground">{journal.at}</p>
                  <p className="font-medium">{journal.title}</p>
                  <ul className="text-xs text-muted-foreground">
                    {journal.lines.map((line) => (
                      <li key={line.account} className="flex justify-between gap-4 tabular-nums">
                        <span>{line.account}</span>
                        <span>
                          {line.amount > 0 ? "Dr" : "Cr"} {money(Math.abs(line.amount))}
                        </span>
                      </li>
                    ))}
                  </ul>
                </li>
              ))}
            </ol>
          </details>
        )}
        {props.evidenceSubmittedLabel && (
          <div className="grid gap-1 rounded-md border bg-muted/40 p-3 text-sm">
            <p className="font-medium">Evidence submitted {props.evidenceSubmittedLabel}</p>
            {props.evidenceNote && <p className="whitespace-pre-wrap text-muted-foreground">{props.evidenceNote}</p>}
          </div>
        )}
        {props.open && props.canAct && <EvidenceForm disputeId={props.id} today={props.today} hasEvidence={props.evidenceSubmittedLabel !== null} />}
        {props.lost && <LostResolution {...props} />}
      </CardContent>
    </Card>
  );
}

function EvidenceForm({ disputeId, today, hasEvidence }: { disputeId: string; today: string; hasEvidence: boolean }) {
  const router = useRouter();
  const [fields, setFields] = useState<Record<string, string[]>>({});
  const [status, setStatus] = useState<{ kind: "success" | "error"; message: string } | null>(null);
  const [pending, startTransition] = useTransition();
  const noteId = `${disputeId}-note`;
  const dateId = `${disputeId}-submitted-on`;
  const noteHint = "Kept here for your records only; it is never sent to Stripe.";

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const note = String(form.get("note") ?? "").trim();
    const submittedOn = String(form.get("submittedOn") ?? "") || undefined;
    setStatus(null);
    if (note.length < 3) {
      setFields({ note: ["Describe what you submitted (at least 3 characters)."] });
      return;
    }
    startTransition(async () => {
      const result = await recordDisputeEvidenceAction({ disputeId, note, submittedOn });
      if (result.ok) {
        setFields({});
        setStatus({ kind: "success", message: "Evidence recorded." });
        router.refresh();
      } else {
        setFields(result.error.fields ?? {});
        if (!result.error.fields) setStatus({ kind: "error", message: result.error.message });
      }
    });
  }

  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-3 border-t pt-4">
      <div className="grid gap-1">
        <h3 className="text-sm font-semibold">{hasEvidence ? "Update the evidence record" : "Record the evidence you submitted"}</h3>
        <p className="text-sm text-muted-foreground">Submit evidence in Stripe&apos;s dashboard before the deadline, then note here what you sent and when.</p>
      </div>
      {status && (
        <Alert variant={status.kind === "success" ? "success" : "destructive"}>
          <AlertDescription>{status.message}</AlertDescription>
        </Alert>
      )}
      <FormField label="What you submitted" htmlFor={noteId} error={fields.note?.[0]} hint={noteHint} required>
        <Textarea {...fieldControlProps(noteId, { error: fields.note?.[0], hint: noteHint, required: true })} name="note" rows={3} maxLength={5000} />
      </FormField>
      <FormField label="Submitted on" htmlFor={dateId} error={fields.submittedOn?.[0]}>
        <Input
          {...fieldControlProps(dateId, { error: fields.submittedOn?.[0] })}
          name="submittedOn"
          type="date"
          defaultValue={today}
          max={today}
          className="sm:max-w-48"
        />
      </FormField>
      <div className="flex justify-end">
        <Button type="submit" variant="outline" loading={pending}>
          Record evidence
        </Button>
      </div>
    </form>
  );
}

function LostResolution(props: DisputePanelProps) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const money = (amount: number) => formatMoney(amount, props.currency);

  if (props.resolution) {
    return (
      <Alert variant="info">
        <AlertTitle>{props.resolution === "reopened" ? "Balance reopened" : "Written off"}</AlertTitle>
        <AlertDescription>
          {props.resolution === "reopened" && props.prepayment
            ? `The patient's unused credit from this prepayment was taken back; the rest of ${money(props.amount)} is a chargeback loss.`
            : props.resolution === "reopened"
              ? `The patient owes ${money(props.amount)} again on ${props.invoiceNumber ?? "the invoice"}.`
              : `${money(props.amount)} was booked as a chargeback loss.`}
          {props.resolvedLabel ? ` (${props.resolvedLabel})` : ""}
        </AlertDescription>
      </Alert>
    );
  }
  const choose = (resolution: "reopened" | "written_off") => {
    setError(null);
    startTransition(async () => {
      const result = await resolveLostDisputeAction({ disputeId: props.id, resolution });
      if (result.ok) router.refresh();
      else setError(result.error.message);
    });
  };
  return (
    <div className="grid gap-3 border-t pt-4" data-testid="lost-dispute-choice">
      <Alert variant="warning">
        <AlertTitle>The chargeback was lost</AlertTitle>
        <AlertDescription>{money(props.amount)} stays withdrawn. Decide whether the patient owes it again or the clinic absorbs it.</AlertDescription>
      </Alert>
      {error && (
        <Alert variant="destructive">
          <AlertDescription>{error}</AlertDescription>
        </Alert>
      )}
      {props.canAct && (
        <div className="flex flex-wrap justify-end gap-2">
          <ConfirmButton
            title="Write off the lost chargeback?"
            description={`${money(props.amount)} is booked as a chargeback loss and the invoice stays as it is. This choice cannot be changed.`}
            confirmLabel="Write it off"
            destructive
            disabled={pending}
            onConfirm={() => choose("written_off")}
          >
            Write it off
          </ConfirmButton>
          <ConfirmButton
            title={props.prepayment ? "Take back the credit?" : "Reopen the balance?"}
            description={
              props.prepayment
                ? `The patient's credit from this prepayment is taken back as far as it is unused (up to ${money(props.amount)}); what is gone is a chargeback loss. This choice cannot be changed.`
                : `${props.invoiceNumber ?? "The invoice"} will owe ${money(props.amount)} again, so you can ask the patient to pay. This choice cannot be changed.`
            }
            confirmLabel={props.prepayment ? "Take back the credit" : "Reopen the balance"}
            variant="default"
            disabled={pending}
            onConfirm={() => choose("reopened")}
          >
            {props.prepayment ? "Take back the credit" : "Reopen the balance"}
          </ConfirmButton>
        </div>
      )}
    </div>
  );
}
