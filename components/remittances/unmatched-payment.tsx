"use client";

import { useState, useTransition, type FormEvent } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { Link2, RotateCw } from "lucide-react";
import type { ActionResult } from "@/lib/http/action";
import { formatMoney } from "@/lib/money/currency";
import type { HandPostingResult, UnmatchedClaimPaymentView } from "@/lib/remittances/unmatched";
import { formatIsoDate } from "@/components/invoices/invoice-format";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { FormField, fieldControlProps } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";

export type UnmatchedActions = {
  match: (input: { remittanceClaimId: string; claimNumber: string; confirmNameMismatch?: boolean }) => Promise<ActionResult<HandPostingResult>>;
  postAgain: (input: { remittanceClaimId: string }) => Promise<ActionResult<HandPostingResult>>;
};

const linkClass = "font-medium text-primary underline-offset-4 hover:underline";
const money = (cents: number) => formatMoney(cents, "USD");

/**
 * One claim payment Carebill could not post, with why: an unmatched one gets a claim-number field
 * to match it by hand (then it posts); a held one a "Post again" once what held it is fixed. The
 * outcome (posted, or held with the reason) is shown under it. When the payer's patient is not the
 * claim's (on import, or for the claim typed), matching asks staff to confirm it is the same person.
 */
export function UnmatchedPayment(props: { payment: UnmatchedClaimPaymentView; canWrite: boolean; actions: UnmatchedActions }) {
  const { payment } = props;
  const router = useRouter();
  const [error, setError] = useState<string | undefined>();
  const [confirmError, setConfirmError] = useState<string | undefined>();
  const [askConfirm, setAskConfirm] = useState(payment.nameMismatch);
  const [outcome, setOutcome] = useState<HandPostingResult | null>(null);
  const [pending, startTransition] = useTransition();
  const fieldId = `match-${payment.id}-claim`;
  const confirmId = `match-${payment.id}-confirm`;
  const hint = "The claim this payment is for, as CLM-000123 (or 123).";

  function run(call: () => Promise<ActionResult<HandPostingResult>>, fieldErrors: boolean) {
    setError(undefined);
    setConfirmError(undefined);
    setOutcome(null);
    startTransition(async () => {
      const result = await call();
      if (!result.ok) {
        const nameError = fieldErrors ? result.error.fields?.confirmNameMismatch?.[0] : undefined;
        if (nameError) {
          setAskConfirm(true);
          setConfirmError(nameError);
          return;
        }
        setError((fieldErrors ? result.error.fields?.claimNumber?.[0] : undefined) ?? result.error.message);
        return;
      }
      setOutcome(result.data);
      if (result.data.outcome === "posted") toast.success(result.data.message);
      else toast.warning(result.data.message);
      router.refresh();
    });
  }

  function onMatch(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const claimNumber = String(form.get("claimNumber") ?? "").trim();
    if (claimNumber === "") {
      setError("Enter the claim number (CLM-000123).");
      return;
    }
    const confirmNameMismatch = form.get("confirmNameMismatch") === "on";
    run(() => props.actions.match({ remittanceClaimId: payment.id, claimNumber, ...(confirmNameMismatch ? { confirmNameMismatch } : {}) }), true);
  }

  return (
    <li className="grid gap-3 rounded-lg border p-4 text-sm" data-testid="unmatched-payment">
      <div className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1">
        <span className="flex flex-wrap items-center gap-2">
          <span className="font-mono font-medium break-all">{payment.patientControlNumber}</span>
          <Badge variant={payment.status === "held" ? "warning" : "outline"}>{payment.status === "held" ? "Held" : "Unmatched"}</Badge>
        </span>
        <span className="font-semibold tabular-nums">{money(payment.paidAmount)} paid</span>
      </div>
      <p className="break-words">
        <span className="text-muted-foreground">{payment.status === "held" ? "Not posted: " : "Not matched: "}</span>
        {payment.reason}
      </p>
      <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1">
        <dt className="text-muted-foreground">Patient, as sent</dt>
        <dd className="min-w-0 break-words">{payment.patientName ?? "Not given"}</dd>
        {payment.namedClaim && (
          <>
            <dt className="text-muted-foreground">Claim {payment.patientControlNumber} is for</dt>
            <dd className="min-w-0 break-words" data-testid="named-claim-patient">
              {payment.namedClaim.patientName} (
              <Link href={`/app/claims/${payment.namedClaim.id}`} className={linkClass}>
                {payment.namedClaim.displayNumber}
              </Link>
              )
            </dd>
          </>
        )}
        <dt className="text-muted-foreground">Payer</dt>
        <dd className="min-w-0 break-words">
          {payment.remittance.payerName}
          {payment.remittance.payer === null && <span className="text-muted-foreground"> (not one of this clinic&apos;s payers)</span>}
        </dd>
        <dt className="text-muted-foreground">Claim status</dt>
        <dd>{payment.statusDescription}</dd>
        <dt className="text-muted-foreground">Charged</dt>
        <dd className="tabular-nums">{money(payment.chargeAmount)}</dd>
        {payment.patientResponsibility !== null && (
          <>
            <dt className="text-muted-foreground">Patient&apos;s share</dt>
            <dd className="tabular-nums">{money(payment.patientResponsibility)}</dd>
          </>
        )}
        {payment.payerClaimControlNumber && (
          <>
            <dt className="text-muted-foreground">Payer&apos;s claim number</dt>
            <dd className="min-w-0 break-all">{payment.payerClaimControlNumber}</dd>
          </>
        )}
        <dt className="text-muted-foreground">Payment</dt>
        <dd className="min-w-0 break-all">
          <Link href={`/app/claims/remittances/${payment.remittance.id}`} className={linkClass}>
            {payment.remittance.traceNumber}
          </Link>
          {payment.remittance.paidOn && <span className="text-muted-foreground"> · {formatIsoDate(payment.remittance.paidOn)}</span>}
        </dd>
        {payment.claim && (
          <>
            <dt className="text-muted-foreground">Claim</dt>
            <dd>
              <Link href={`/app/claims/${payment.claim.id}`} className={linkClass}>
                {payment.claim.displayNumber}
              </Link>
            </dd>
          </>
        )}
      </dl>
      {payment.remittance.needsReview && (
        <p className="text-muted-foreground">
          The payment it is in does not add up: nothing of it is posted until that is sorted out on the payment&apos;s page.
        </p>
      )}
      {props.canWrite && payment.status === "unmatched" && (
        <form onSubmit={onMatch} noValidate className="grid gap-2 sm:grid-cols-[minmax(0,16rem)_auto] sm:items-start">
          <FormField label="Match to claim" htmlFor={fieldId} error={error} hint={hint} required>
            <Input
              {...fieldControlProps(fieldId, { error, hint, required: true })}
              name="claimNumber"
              autoComplete="off"
              spellCheck={false}
              maxLength={38}
              defaultValue={payment.nameMismatch ? payment.namedClaim?.displayNumber : undefined}
            />
          </FormField>
          <Button type="submit" loading={pending} className="sm:mt-[1.625rem]">
            <Link2 aria-hidden="true" /> Match and post
          </Button>
          {askConfirm && (
            <div className="grid gap-1 sm:col-span-2">
              <label htmlFor={confirmId} className="flex items-start gap-2">
                <input
                  id={confirmId}
                  type="checkbox"
                  name="confirmNameMismatch"
                  className="mt-0.5 size-4 accent-primary"
                  aria-invalid={confirmError ? true : undefined}
                  aria-describedby={confirmError ? `${confirmId}-error` : undefined}
                />
                <span>The names differ, but I checked that this payment is for this claim&apos;s patient.</span>
              </label>
              {confirmError && (
                <p id={`${confirmId}-error`} role="alert" className="text-sm font-medium text-destructive">
                  {confirmError}
                </p>
              )}
            </div>
          )}
        </form>
      )}
      {props.canWrite && payment.status === "held" && (
        <div className="grid gap-2">
          <Button
            type="button"
            variant="outline"
            className="w-fit"
            loading={pending}
            onClick={() => run(() => props.actions.postAgain({ remittanceClaimId: payment.id }), false)}
          >
            <RotateCw aria-hidden="true" /> Post again
          </Button>
          {error && (
            <p role="alert" className="text-sm font-medium text-destructive">
              {error}
            </p>
          )}
        </div>
      )}
      {outcome && (
        <Alert variant={outcome.outcome === "posted" ? "success" : "warning"} role="status">
          <AlertTitle>{outcome.outcome === "posted" ? "Posted" : outcome.outcome === "held" ? "Matched, but held" : "Matched"}</AlertTitle>
          <AlertDescription>{outcome.message}</AlertDescription>
        </Alert>
      )}
    </li>
  );
}
