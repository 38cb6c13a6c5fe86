import type { Metadata } from "next";
import Link from "next/link";
import { ChevronLeft, Pencil } from "lucide-react";
import { getDb } from "@/lib/db/client";
import { requirePageAuth } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/roles";
import { orNotFound } from "@/lib/http/or-not-found";
import { getVisitOrThrow } from "@/lib/claims/visits";
import { listPatientCoverages } from "@/lib/insurance/coverages";
import { estimateVisitResponsibility, ZEstimateVisitType } from "@/lib/insurance/estimate";
import { COPAY_VISIT_TYPES } from "@/lib/insurance/insurance-codes";
import { getPatientCredit } from "@/lib/patient-credit/credit-balances";
import { recordManualPaymentAction } from "@/lib/actions/payments/record-manual-payment";
import { startDeskCardPrepaymentAction } from "@/lib/actions/payments/desk-card-payment";
import { chargeSavedCardPrepaymentAction } from "@/lib/actions/payments/charge-saved-card";
import { CARD_ON_FILE_TERMS_VERSION, consentTermsText } from "@/lib/consent/terms";
import { minimumCardPayment } from "@/lib/money/card-minimum";
import { listSavedCards } from "@/lib/payments/list-saved-cards";
import { PatientEstimateCard } from "@/components/insurance/patient-estimate-card";
import { CollectEstimateDialog } from "@/components/payments/collect-estimate-dialog";
import { CLAIM_STATUS_LABELS } from "@/lib/claims/transition-claim";
import { createClaimAction } from "@/lib/actions/claims/claim-actions";
import { ClaimStatusBadge } from "@/components/claims/claim-status-badge";
import { CreateClaimForm } from "@/components/claims/create-claim-form";
import { placeOfServiceLabel, renderingProviderLabel } from "@/components/claims/claim-format";
import { ServiceLinesTable } from "@/components/claims/service-lines-table";
import { formatDate, formatIsoDate } from "@/components/invoices/invoice-format";
import { buttonVariants } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";

// A visit names the patient's diagnoses (PHI): the tab title stays generic.
export const metadata: Metadata = { title: "Visit" };

/** Claims that still stand for the visit: a closed one no longer blocks a new claim. */
const LIVE = new Set(["draft", "ready", "submitted", "accepted", "rejected", "paid", "partially_paid", "denied"]);

export default async function VisitPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ visitType?: string }> }) {
  const auth = await requirePageAuth("viewer");
  const db = await getDb();
  const organizationId = auth.organization.id;
  const visit = await orNotFound((await params).id, (visitId) => getVisitOrThrow(db, { organizationId, visitId }));
  const canWrite = hasRole(auth.role, "billing");
  // The co-pay's visit type, chosen on the estimate card (an unknown value counts as none).
  const visitType = ZEstimateVisitType.safeParse((await searchParams).visitType).data;
  const [estimate, credits] = await Promise.all([
    estimateVisitResponsibility(db, { organizationId, visitId: visit.id, visitType }),
    getPatientCredit(db, { organizationId, patientId: visit.patient.id }),
  ]);
  const credit = credits.find((entry) => entry.currency === estimate.currency)?.balance ?? 0;
  const [coverages, savedCards] = canWrite
    ? await Promise.all([
        listPatientCoverages(db, { organizationId, patientId: visit.patient.id }),
        listSavedCards(db, { organizationId, patientId: visit.patient.id }),
      ])
    : [[], []];
  const usable = coverages.filter(
    (coverage) => coverage.effectiveFrom <= visit.serviceDate && (coverage.effectiveTo === null || coverage.effectiveTo >= visit.serviceDate),
  );
  const liveClaims = visit.claims.filter((claim) => LIVE.has(claim.status));
  // A visit's charges change only while its claims are drafts (or closed).
  const editable = visit.claims.every((claim) => claim.status === "draft" || claim.status === "closed");
  const facts: [string, string][] = [
    ["Date of service", formatIsoDate(visit.serviceDate)],
    ["Place of service", placeOfServiceLabel(visit.placeOfService)],
    ["Rendering provider", visit.renderingProvider ? renderingProviderLabel(visit.renderingProvider) : "The billing provider (the practice)"],
    ["Recorded", `${formatDate(visit.createdAt, auth.organization.timezone)} by ${visit.createdBy}`],
  ];
  if (visit.note) facts.push(["Note", visit.note]);

  return (
    <div className="grid grid-cols-1 gap-6">
      <Link href={`/app/patients/${visit.patient.id}`} className="inline-flex w-fit items-center gap-1 text-sm text-muted-foreground hover:text-foreground">
        <ChevronLeft aria-hidden="true" className="size-4" /> {visit.patient.name}
      </Link>
      <PageHeader
        title={`Visit of ${formatIsoDate(visit.serviceDate)}`}
        description={`${visit.patient.name}'s diagnoses and charges.`}
        actions={
          canWrite &&
          editable && (
            <Link href={`/app/visits/${visit.id}/edit`} className={buttonVariants({ variant: "outline" })}>
              <Pencil aria-hidden="true" /> Edit
            </Link>
          )
        }
      />
      <div className="grid items-start gap-6 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <CardHeader>
            <CardTitle>Charges</CardTitle>
          </CardHeader>
          <CardContent>
            <ServiceLinesTable diagnoses={visit.diagnoses} lines={visit.charges} totalCharge={visit.totalCharge} currency={visit.currency} />
          </CardContent>
        </Card>
        <div className="grid gap-6">
          <PatientEstimateCard
            estimate={estimate}
            patientId={visit.patient.id}
            visitTypes={COPAY_VISIT_TYPES}
            visitType={visitType}
            credit={credit}
            collect={
              canWrite && (
                <CollectEstimateDialog
                  patientId={visit.patient.id}
                  patientName={visit.patient.name}
                  currency={estimate.currency}
                  estimate={estimate.status === "estimated" ? estimate.total : 0}
                  minimumCardAmount={minimumCardPayment(estimate.currency)}
                  termsText={consentTermsText(CARD_ON_FILE_TERMS_VERSION, auth.organization.name)}
                  // Only cards the patient agreed may be charged without them present (the charge refuses the others).
                  savedCards={savedCards
                    .filter((card) => card.acceptedBy !== null)
                    .map((card) => ({
                      id: card.id,
                      label: `${card.brand.replace(/^\w/, (letter) => letter.toUpperCase())} •••• ${card.last4} (exp. ${String(card.expMonth).padStart(2, "0")}/${card.expYear})`,
                    }))}
                  collect={recordManualPaymentAction}
                  startCard={startDeskCardPrepaymentAction}
                  chargeSavedCard={chargeSavedCardPrepaymentAction}
                />
              )
            }
          />
          <Card>
            <CardHeader>
              <CardTitle>Claims</CardTitle>
              <CardDescription>
                {liveClaims.length === 0 ? "Not billed to insurance yet." : "This visit's charges are billed on the claims below."}
              </CardDescription>
            </CardHeader>
            <CardContent className="grid gap-4">
              {visit.claims.length > 0 && (
                <ul className="grid gap-2 text-sm" data-testid="visit-claims">
                  {visit.claims.map((claim) => (
                    <li key={claim.id} className="flex flex-wrap items-center justify-between gap-2">
                      <Link href={`/app/claims/${claim.id}`} className="font-medium text-primary underline-offset-4 hover:underline">
                        {claim.displayNumber}
                      </Link>
                      <ClaimStatusBadge status={claim.status} label={CLAIM_STATUS_LABELS[claim.status]} />
                    </li>
                  ))}
                </ul>
              )}
              {canWrite &&
                (coverages.length === 0 ? (
                  <p className="text-sm text-muted-foreground">
                    Add the patient&apos;s insurance on{" "}
                    <Link href={`/app/patients/${visit.patient.id}#insurance`} className="text-primary underline-offset-4 hover:underline">
                      their page
                    </Link>{" "}
                    to bill this visit.
                  </p>
                ) : (
                  <CreateClaimForm
                    visitId={visit.id}
                    coverages={usable.map((coverage) => ({
                      id: coverage.id,
                      label: `${coverage.priorityLabel}: ${coverage.payer.name} (member ${coverage.memberId})`,
                    }))}
                    create={createClaimAction}
                  />
                ))}
            </CardContent>
          </Card>
          <Card>
            <CardContent className="pt-4 sm:pt-6">
              <dl className="grid gap-3 text-sm" data-testid="visit-facts">
                {facts.map(([label, value]) => (
                  <div key={label} className="grid gap-0.5">
                    <dt className="text-muted-foreground">{label}</dt>
                    <dd className="min-w-0 break-words whitespace-pre-line">{value}</dd>
                  </div>
                ))}
              </dl>
            </CardContent>
          </Card>
        </div>
      </div>
    </div>
  );
}
