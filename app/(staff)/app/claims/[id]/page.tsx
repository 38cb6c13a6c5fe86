import type { Metadata } from "next";
import type { ReactNode } from "react";
import Link from "next/link";
import { ChevronLeft, Download } from "lucide-react";
import { getDb } from "@/lib/db/client";
import { requirePageAuth } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/roles";
import { orNotFound } from "@/lib/http/or-not-found";
import { getClaimOrThrow } from "@/lib/claims/list-claims";
import { getClearinghouseSettings } from "@/lib/clearinghouse/settings";
import { listClaimRemittances } from "@/lib/remittances/list-remittances";
import { getClaimDenial } from "@/lib/remittances/denials";
import { checkSecondaryClaim } from "@/lib/claims/secondary-claim";
import { closeClaimAction, correctClaimAction, createSecondaryClaimAction, validateClaimAction, voidClaimAction } from "@/lib/actions/claims/claim-actions";
import { submitClaimsAction } from "@/lib/actions/claims/submit-claims";
import { addAppealNoteAction, billDenialToPatientAction, writeOffDenialAction } from "@/lib/actions/claims/denial-actions";
import { ClaimActions } from "@/components/claims/claim-actions";
import {
  claimEventLabel,
  claimProblemHref,
  FREQUENCY_LABELS,
  placeOfServiceLabel,
  PRIORITY_LABELS,
  renderingProviderLabel,
} from "@/components/claims/claim-format";
import { ClaimStatusBadge } from "@/components/claims/claim-status-badge";
import { CreateSecondaryClaimButton } from "@/components/claims/create-secondary-claim-button";
import { ServiceLinesTable } from "@/components/claims/service-lines-table";
import { ClaimRemittancesCard } from "@/components/remittances/claim-remittances-card";
import { DenialCard } from "@/components/remittances/denial-card";
import { formatDateTime, formatIsoDate } from "@/components/invoices/invoice-format";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";

// A claim names the patient and their diagnoses (PHI): the tab title stays generic.
export const metadata: Metadata = { title: "Claim" };

const REASON_SOURCES = { "999": "Acknowledgment (999)", "277CA": "Claim status (277CA)", "835": "Remittance (835)", staff: "Staff" } as const;

export default async function ClaimPage({ params }: { params: Promise<{ id: string }> }) {
  const auth = await requirePageAuth("viewer");
  const db = await getDb();
  const organizationId = auth.organization.id;
  const timeZone = auth.organization.timezone;
  const claim = await orNotFound((await params).id, (claimId) => getClaimOrThrow(db, { organizationId, claimId }));
  const [settings, remittances, denial] = await Promise.all([
    getClearinghouseSettings(db, { organizationId }),
    listClaimRemittances(db, { organizationId, claimId: claim.id }),
    claim.status === "denied" || claim.status === "partially_paid" ? getClaimDenial(db, { organizationId, claimId: claim.id }) : null,
  ]);
  const canWrite = hasRole(auth.role, "billing");
  // The next payer's claim: offered once this claim's remittance is posted and the patient has the next coverage (the server checks again).
  const nextPayer =
    canWrite && claim.status !== "draft" && claim.status !== "ready" ? await checkSecondaryClaim(db, { organizationId, claimId: claim.id }) : null;
  const nextOrder = (PRIORITY_LABELS[claim.priority + 1] ?? `Priority ${claim.priority + 1}`).toLowerCase();
  const facts: [string, ReactNode][] = [
    [
      "Patient",
      <Link key="patient" href={`/app/patients/${claim.patient.id}`} className="text-primary underline-offset-4 hover:underline">
        {claim.patient.name}
      </Link>,
    ],
    ["Payer", claim.payer.name],
    [
      "Coverage",
      <Link key="coverage" href={`/app/patients/${claim.patient.id}#insurance`} className="text-primary underline-offset-4 hover:underline">
        {PRIORITY_LABELS[claim.priority] ?? `Priority ${claim.priority}`} coverage
      </Link>,
    ],
    ["Type", FREQUENCY_LABELS[claim.frequencyCode]],
    ["Date of service", formatIsoDate(claim.serviceDate)],
    ["Place of service", placeOfServiceLabel(claim.placeOfService)],
    ["Rendering provider", claim.renderingProvider ? renderingProviderLabel(claim.renderingProvider) : "The billing provider (the practice)"],
    ["Payer's claim number", claim.payerClaimNumber ?? "Not given yet"],
    [
      "Visit",
      <Link key="visit" href={`/app/visits/${claim.visitId}`} className="text-primary underline-offset-4 hover:underline">
        Charges of {formatIsoDate(claim.serviceDate)}
      </Link>,
    ],
    ["Created", formatDateTime(claim.createdAt, timeZone)],
  ];
  if (claim.submittedAt) facts.push(["Submitted", formatDateTime(claim.submittedAt, timeZone)]);
  if (claim.acknowledgedAt) facts.push(["Acknowledged", formatDateTime(claim.acknowledgedAt, timeZone)]);
  if (claim.replacesClaim)
    facts.push([
      "Replaces",
      <Link key="replaces" href={`/app/claims/${claim.replacesClaim.id}`} className="text-primary underline-offset-4 hover:underline">
        {claim.replacesClaim.displayNumber}
      </Link>,
    ]);
  if (claim.replacedBy.length > 0)
    facts.push([
      "Replaced by",
      <span key="replaced" className="flex flex-wrap gap-2">
        {claim.replacedBy.map((replacement) => (
          <Link key={replacement.id} href={`/app/claims/${replacement.id}`} className="text-primary underline-offset-4 hover:underline">
            {replacement.displayNumber}
          </Link>
        ))}
      </span>,
    ]);
  if (claim.priorClaim)
    facts.push([
      `${PRIORITY_LABELS[claim.priority - 1] ?? "Prior payer's"} claim`,
      <Link key="prior" href={`/app/claims/${claim.priorClaim.id}`} className="text-primary underline-offset-4 hover:underline" data-testid="prior-claim">
        {claim.priorClaim.displayNumber}
      </Link>,
    ]);
  if (claim.laterClaims.length > 0)
    facts.push([
      `${PRIORITY_LABELS[claim.priority + 1] ?? "Next payer's"} claim`,
      <span key="later" className="flex flex-wrap gap-2" data-testid="later-claims">
        {claim.laterClaims.map((later) => (
          <Link key={later.id} href={`/app/claims/${later.id}`} className="text-primary underline-offset-4 hover:underline">
            {later.displayNumber}
            {later.status === "closed" ? " (closed)" : ""}
          </Link>
        ))}
      </span>,
    ]);
  const events = [...claim.events].reverse();

  return (
    <div className="grid grid-cols-1 gap-6">
      <Link href="/app/claims" className="inline-flex w-fit items-center gap-1 text-sm text-muted-foreground hover:text-foreground">
        <ChevronLeft aria-hidden="true" className="size-4" /> Claims
      </Link>
      <PageHeader
        title={
          <span className="flex flex-wrap items-center gap-3">
            {claim.displayNumber}
            <ClaimStatusBadge status={claim.status} label={claim.statusLabel} />
          </span>
        }
        description={`${claim.patient.name} · ${claim.payer.name}`}
        actions={
          <ClaimActions
            claimId={claim.id}
            displayNumber={claim.displayNumber}
            allowed={claim.allowedActions}
            canWrite={canWrite}
            channel={settings ? (settings.connection === "sftp" ? "sftp" : "download") : null}
            actions={{ validate: validateClaimAction, submit: submitClaimsAction, correct: correctClaimAction, void: voidClaimAction, close: closeClaimAction }}
          />
        }
      />
      {claim.rejectionReasons.length > 0 && (
        <Alert variant="destructive" data-testid="claim-rejection">
          <AlertTitle>{claim.status === "rejected" ? "Rejected" : "Earlier rejection"}</AlertTitle>
          <AlertDescription>
            <ul className="grid list-disc gap-1 pl-5">
              {claim.rejectionReasons.map((reason, index) => (
                <li key={index}>
                  {reason.message} <span className="text-xs opacity-80">({REASON_SOURCES[reason.source]})</span>
                </li>
              ))}
            </ul>
            {claim.status === "rejected" && canWrite && <p className="mt-2">Edit the claim to fix it, validate it and submit it again.</p>}
          </AlertDescription>
        </Alert>
      )}
      {claim.problems.length > 0 && (
        <Alert variant="warning" data-testid="claim-problems">
          <AlertTitle>{claim.problems.length === 1 ? "1 problem" : `${claim.problems.length} problems`} to fix before this claim can be submitted</AlertTitle>
          <AlertDescription>
            <ul className="grid list-disc gap-1 pl-5">
              {claim.problems.map((problem, index) => {
                const href = claimProblemHref(problem, claim);
                return (
                  <li key={`${problem.path}-${index}`}>
                    {href ? (
                      <Link href={href} className="underline underline-offset-4">
                        {problem.message}
                      </Link>
                    ) : (
                      problem.message
                    )}
                  </li>
                );
              })}
            </ul>
            {canWrite && <p className="mt-2">Fix them, then choose Validate again.</p>}
          </AlertDescription>
        </Alert>
      )}
      {denial && (
        <DenialCard
          denial={denial}
          canWrite={canWrite}
          onClaimPage={{ correctInHeader: claim.allowedActions.includes("correct") }}
          actions={{ correct: correctClaimAction, writeOff: writeOffDenialAction, appealNote: addAppealNoteAction, billPatient: billDenialToPatientAction }}
        />
      )}
      <div className="grid items-start gap-6 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <CardHeader>
            <CardTitle>Diagnoses and service lines</CardTitle>
          </CardHeader>
          <CardContent>
            <ServiceLinesTable diagnoses={claim.diagnoses} lines={claim.lines} totalCharge={claim.totalCharge} currency={claim.currency} />
          </CardContent>
        </Card>
        <Card>
          <CardContent className="pt-4 sm:pt-6">
            <dl className="grid gap-3 text-sm" data-testid="claim-facts">
              {facts.map(([label, value]) => (
                <div key={label} className="grid gap-0.5">
                  <dt className="text-muted-foreground">{label}</dt>
                  <dd className="min-w-0 break-words">{value}</dd>
                </div>
              ))}
            </dl>
            {nextPayer && "ok" in nextPayer && (
              <div className="mt-4 grid gap-2 border-t pt-4 text-sm" data-testid="next-payer-claim">
                <p>
                  The patient&apos;s {nextOrder} coverage is with {nextPayer.payerName}: bill it what is left.
                </p>
                <CreateSecondaryClaimButton
                  claimId={claim.id}
                  displayNumber={claim.displayNumber}
                  order={nextOrder}
                  payerName={nextPayer.payerName}
                  create={createSecondaryClaimAction}
                />
              </div>
            )}
          </CardContent>
        </Card>
        {(remittances.length > 0 || claim.submittedAt) && <ClaimRemittancesCard payments={remittances} timeZone={timeZone} />}
        <Card className="lg:col-span-2">
          <CardHeader>
            <CardTitle>History</CardTitle>
          </CardHeader>
          <CardContent>
            <ol className="grid gap-4 border-l pl-4" data-testid="claim-history">
              {events.map((event) => (
                <li key={event.id} className="relative grid gap-0.5 text-sm">
                  <span aria-hidden="true" className="absolute top-1.5 -left-[1.3rem] size-2.5 rounded-full border-2 border-card bg-primary" />
                  <p className="font-medium">{claimEventLabel(event.kind)}</p>
                  {event.message && <p className="break-words whitespace-pre-line">{event.message}</p>}
                  <p className="text-muted-foreground">
                    {formatDateTime(event.createdAt, timeZone)} · {event.actor}
                  </p>
                </li>
              ))}
            </ol>
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>837 files</CardTitle>
            <CardDescription>The batches this claim was sent in.</CardDescription>
          </CardHeader>
          <CardContent>
            {claim.batches.length === 0 ? (
              <p className="text-sm text-muted-foreground">Not submitted yet.</p>
            ) : (
              <ul className="grid gap-3 text-sm" data-testid="claim-batches">
                {claim.batches.map((batch) => (
                  <li key={batch.id} className="grid gap-1">
                    <a
                      href={`/app/claims/batches/${batch.id}/file`}
                      download
                      className="inline-flex items-center gap-1.5 font-medium break-all text-primary underline-offset-4 hover:underline"
                    >
                      <Download aria-hidden="true" className="size-4 shrink-0" /> {batch.fileName}
                    </a>
                    <span className="text-muted-foreground">
                      {formatDateTime(batch.createdAt, timeZone)}
                      {batch.acknowledgment ? ` · ${batch.acknowledgment}` : " · no acknowledgment yet"}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </CardContent>
        </Card>
      </div>
    </div>
  );
}
