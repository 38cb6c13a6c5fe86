"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { FilePen, MessageSquareText, ReceiptText } from "lucide-react";
import type { ActionResult } from "@/lib/http/action";
import { formatMoney } from "@/lib/money/currency";
import type { DenialView } from "@/lib/remittances/denials";
import { formatIsoDate } from "@/components/invoices/invoice-format";
import { ReasonDialog, type ReasonDialogField } from "@/components/invoices/reason-dialog";
import { ClaimStatusBadge } from "@/components/claims/claim-status-badge";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { procedureLabel } from "./remittance-format";

type ClaimIdInput = { claimId: string };

export type DenialActions = {
  correct: (input: ClaimIdInput) => Promise<ActionResult<{ id: string; displayNumber: string }>>;
  writeOff: (input: ClaimIdInput & { reason: string }) => Promise<ActionResult<{ message: string }>>;
  appealNote: (input: ClaimIdInput & { note: string }) => Promise<ActionResult<unknown>>;
  billPatient: (input: ClaimIdInput) => Promise<ActionResult<{ message: string }>>;
};

const linkClass = "font-medium text-primary underline-offset-4 hover:underline";

/**
 * One denied (or partially paid) claim with what is still open, the payer's reasons in words and
 * what staff can do: correct and resubmit, an appeal note, write off, bill the patient (only when
 * the reasons allow it; the server refuses anything else anyway). Shown in the denial queue and on
 * the claim's page (`onClaimPage`: no link to itself, and no second "Correct" when the page's own
 * actions offer it).
 */
export function DenialCard(props: { denial: DenialView; canWrite: boolean; onClaimPage?: { correctInHeader: boolean }; actions: DenialActions }) {
  const { denial, canWrite } = props;
  const router = useRouter();
  const money = (cents: number) => formatMoney(cents, denial.currency);
  const claimId = denial.claim.id;
  const dates =
    denial.serviceFrom === denial.serviceTo ? formatIsoDate(denial.serviceFrom) : `${formatIsoDate(denial.serviceFrom)} – ${formatIsoDate(denial.serviceTo)}`;
  const billableCodes = [...new Set(denial.reasons.filter((reason) => reason.patientMayBeBilled && !reason.billedToPatient).map((reason) => reason.code))];
  const showCorrect = !props.onClaimPage?.correctInHeader;

  return (
    <Card data-testid="denial-card" className="min-w-0">
      <CardHeader className="gap-2">
        <div className="flex flex-wrap items-center justify-between gap-x-3 gap-y-2">
          <CardTitle className="flex flex-wrap items-center gap-2">
            {props.onClaimPage ? (
              "Denied by the payer"
            ) : (
              <Link href={`/app/claims/${claimId}`} className={linkClass}>
                {denial.claim.displayNumber}
              </Link>
            )}
            <ClaimStatusBadge status={denial.claim.status} label={denial.claim.statusLabel} />
          </CardTitle>
          <p className="text-sm">
            <span className="text-muted-foreground">Open </span>
            <span className="font-semibold tabular-nums">{money(denial.openBalance)}</span>
          </p>
        </div>
        {!props.onClaimPage && (
          <p className="text-sm break-words text-muted-foreground">
            <Link href={`/app/patients/${denial.patient.id}`} className="underline-offset-4 hover:underline">
              {denial.patient.name}
            </Link>{" "}
            · {denial.payer.name} · {dates}
          </p>
        )}
        <p className="text-sm text-muted-foreground">
          Charged {money(denial.totalCharge)} · the payer paid {money(denial.insurancePaid)}
        </p>
      </CardHeader>
      <CardContent className="grid gap-4">
        {denial.reasons.length === 0 ? (
          <p className="text-sm text-muted-foreground">The posted remittances name no denied adjustment; see the claim&apos;s payments.</p>
        ) : (
          <ul className="grid gap-3" aria-label="The payer's reasons">
            {denial.reasons.map((reason) => (
              <li key={reason.id} className="grid gap-1 rounded-md border p-3 text-sm">
                <div className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1">
                  <span className="flex flex-wrap items-center gap-2">
                    <Badge variant={reason.patientMayBeBilled ? "warning" : "destructive"} className="font-mono">
                      {reason.code}
                    </Badge>
                    {reason.billedToPatient && <Badge variant="secondary">Billed to the patient</Badge>}
                  </span>
                  <span className="font-semibold tabular-nums">{money(reason.amount)}</span>
                </div>
                <p className="break-words">{reason.description.replace(/^[A-Z]{2}-\w+: /, "")}</p>
                <p className="text-muted-foreground">
                  {reason.line ? (
                    <>
                      <span className="font-mono">{procedureLabel(reason.line.procedureCode, reason.line.modifiers)}</span>
                      {reason.line.serviceDate ? ` on ${formatIsoDate(reason.line.serviceDate)}` : ""} · charged {money(reason.line.chargeAmount)}
                    </>
                  ) : (
                    "The whole claim"
                  )}
                  {" · payment "}
                  <Link href={`/app/claims/remittances/${reason.remittance.id}`} className="break-all underline-offset-4 hover:underline">
                    {reason.remittance.traceNumber}
                  </Link>
                </p>
                {reason.remarks.length > 0 && (
                  <ul className="grid gap-0.5 text-muted-foreground">
                    {reason.remarks.map((remark) => (
                      <li key={remark.code} className="break-words">
                        <span className="font-mono">{remark.code}</span>: {remark.description}
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ul>
        )}
        {denial.correction && (
          <p className="text-sm">
            Corrected claim{" "}
            <Link href={`/app/claims/${denial.correction.id}`} className={linkClass}>
              {denial.correction.displayNumber}
            </Link>{" "}
            replaces this one ({denial.correction.status}): what is open moves to it when it is submitted.
          </p>
        )}
        {canWrite && (
          <div className="flex flex-wrap gap-2" data-testid="denial-actions">
            {showCorrect && denial.actions.correct && (
              <ConfirmButton
                variant="default"
                size="default"
                title={`Correct and resubmit ${denial.claim.displayNumber}?`}
                description="A corrected claim (frequency 7) is created as a draft with these lines and the payer's claim number: change what the payer denied it for, validate and submit it. What is open on this claim moves to it when it is submitted."
                confirmLabel="Create corrected claim"
                onConfirm={async () => {
                  const result = await props.actions.correct({ claimId });
                  if (result.ok) {
                    toast.success(`Corrected claim ${result.data.displayNumber} created as a draft.`);
                    router.push(`/app/claims/${result.data.id}`);
                  }
                  return result;
                }}
              >
                <FilePen aria-hidden="true" /> Correct and resubmit
              </ConfirmButton>
            )}
            {denial.actions.appeal && <AppealNoteDialog claimId={claimId} displayNumber={denial.claim.displayNumber} onSave={props.actions.appealNote} />}
            {denial.actions.writeOff && (
              <ReasonDialog
                id={`write-off-${claimId}`}
                trigger={
                  <Button type="button" variant="outline">
                    Write off
                  </Button>
                }
                title={`Write off ${money(denial.openBalance)} on ${denial.claim.displayNumber}?`}
                description="What the payer denied and is still open is written off as an insurance write-off, and the claim is closed: nothing more is sent or expected for it. The patient is not billed."
                confirmLabel="Write off and close"
                hint="Kept in the claim's history and the audit log."
                onConfirm={async (reason) => {
                  const result = await props.actions.writeOff({ claimId, reason });
                  if (result.ok) {
                    toast.success(result.data.message);
                    router.refresh();
                  }
                  return result;
                }}
              />
            )}
            {denial.actions.billPatient && (
              <ConfirmButton
                size="default"
                title={`Bill ${denial.patient.name} ${money(denial.actions.billPatientAmount)}?`}
                description={`An invoice for what the payer denied as ${billableCodes.join(", ")} is created and finalized, with a line per service and reason; that amount moves from the payer to the patient. CO denials are never billed to the patient.`}
                confirmLabel="Bill the patient"
                onConfirm={async () => {
                  const result = await props.actions.billPatient({ claimId });
                  if (result.ok) {
                    toast.success(result.data.message);
                    router.refresh();
                  }
                  return result;
                }}
              >
                <ReceiptText aria-hidden="true" /> Bill the patient
              </ConfirmButton>
            )}
          </div>
        )}
        {(!denial.actions.billPatient || (showCorrect && !denial.actions.correct)) && (
          <ul className="grid gap-1 text-sm text-muted-foreground">
            {showCorrect && denial.actions.correctRefusal && !denial.correction && <li>Correct and resubmit: {denial.actions.correctRefusal}</li>}
            {denial.actions.billPatientRefusal && <li>Bill the patient: {denial.actions.billPatientRefusal}</li>}
          </ul>
        )}
      </CardContent>
    </Card>
  );
}

const APPEAL_NOTE_FIELD: ReasonDialogField = { label: "Note", name: "note", rows: 5, maxLength: 2000, tooShort: "Write the note (at least 3 characters)." };

/** An appeal note (up to 2,000 characters) for the claim's history; errors shown in the dialog. */
function AppealNoteDialog(props: { claimId: string; displayNumber: string; onSave: DenialActions["appealNote"] }) {
  const router = useRouter();
  return (
    <ReasonDialog
      id={`appeal-${props.claimId}`}
      trigger={
        <Button type="button" variant="outline">
          <MessageSquareText aria-hidden="true" /> Appeal note
        </Button>
      }
      title={`Appeal note for ${props.displayNumber}`}
      description="Send the appeal to the payer as its instructions say; note here what was sent, so anyone can follow it up."
      confirmLabel="Add note"
      destructive={false}
      field={APPEAL_NOTE_FIELD}
      hint="What was appealed, how and when (kept in the claim's history)."
      onConfirm={async (note) => {
        const result = await props.onSave({ claimId: props.claimId, note });
        if (result.ok) {
          toast.success(`Appeal note added to ${props.displayNumber}.`);
          router.refresh();
        }
        return result;
      }}
    />
  );
}
