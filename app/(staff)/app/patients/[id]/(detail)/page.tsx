import type { Metadata } from "next";
import Link from "next/link";
import { ChevronLeft, FilePlus, FileText, Pencil } from "lucide-react";
import { getDb } from "@/lib/db/client";
import { requirePageAuth } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/roles";
import { formatMoney } from "@/lib/money/currency";
import { getPatientDetail } from "@/lib/patients/get-patient-detail";
import { PATIENT_SEX_LABELS, RELEASE_OF_INFORMATION_LABELS } from "@/lib/patients/patients.types";
import { postalAddressLines } from "@/lib/addresses/postal-address";
import { formatPhone } from "@/lib/validation/phone";
import { expiresSoon, isExpired, listSavedCards, type SavedCardView } from "@/lib/payments/list-saved-cards";
import { getLiveCardLink } from "@/lib/card-links/create-card-link";
import { wallClockParts } from "@/lib/dates/format-date";
import { CARD_ON_FILE_TERMS_VERSION, consentTermsText } from "@/lib/consent/terms";
import { CardsOnFileSection, type CardOnFileRow } from "@/components/cards/cards-on-file-section";
import { formatDate, formatIsoDate } from "@/components/invoices/invoice-format";
import { InvoiceTable } from "@/components/invoices/invoice-table";
import { ArchivePatientButton } from "@/components/patients/archive-patient-button";
import { RecordPaymentLink } from "@/components/payments/record-payment-link";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { buttonVariants } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { orNotFound } from "@/lib/http/or-not-found";
import { PatientCreditCard } from "./_components/patient-credit-card";
import { listPaymentPlans } from "@/lib/payment-plans/get-payment-plan";
import { PlanStatusBadge } from "@/components/payment-plans/plan-status-badge";
import { listMemberships } from "@/lib/memberships/get-membership";
import { PatientMembershipsCard } from "@/components/memberships/patient-memberships-card";
import { PatientInsuranceSection } from "./_components/patient-insurance-section";
import { listPatientVisits } from "@/lib/claims/visits";
import { CLAIM_STATUS_LABELS } from "@/lib/claims/transition-claim";
import { PatientVisitsCard } from "@/components/claims/patient-visits-card";

const CARD_SOURCES: Record<SavedCardView["source"], string> = { pay_page: "Pay page", front_desk: "Front desk", card_link: "Card link" };
const CONSENT_BY = { patient_online: "by the patient online", staff_on_behalf: "by staff for the patient" } as const;

/** This month in the clinic's calendar, for the cards' expiring-soon flag. */
function clinicMonth(timeZone: string, now = new Date()): { year: number; month: number } {
  const parts = wallClockParts(now, timeZone);
  return { year: Number(parts.year), month: Number(parts.month) };
}

// The patient's name is PHI: the tab title stays generic.
export const metadata: Metadata = { title: "Patient" };

export default async function PatientPage({ params }: { params: Promise<{ id: string }> }) {
  const auth = await requirePageAuth("viewer");
  const db = await getDb();
  // getPatientDetail records the audited view: exactly one call per render.
  const { patient, balances, invoices } = await orNotFound((await params).id, (patientId) =>
    getPatientDetail(db, { organizationId: auth.organization.id, patientId, actor: auth.actor }),
  );
  const canWrite = hasRole(auth.role, "billing");
  const [savedCards, liveCardLink, plans, memberships, visits] = await Promise.all([
    listSavedCards(db, { organizationId: auth.organization.id, patientId: patient.id }),
    getLiveCardLink(db, { organizationId: auth.organization.id, patientId: patient.id }),
    listPaymentPlans(db, { organizationId: auth.organization.id, patientId: patient.id, limit: 20 }),
    listMemberships(db, { organizationId: auth.organization.id, patientId: patient.id, limit: 20 }),
    listPatientVisits(db, { organizationId: auth.organization.id, patientId: patient.id }),
  ]);
  const today = clinicMonth(auth.organization.timezone);
  const cardRows: CardOnFileRow[] = savedCards.map((card) => ({
    id: card.id,
    brand: card.brand,
    last4: card.last4,
    expMonth: card.expMonth,
    expYear: card.expYear,
    isDefault: card.isDefault,
    sourceLabel: CARD_SOURCES[card.source],
    consentLabel: card.acceptedBy
      ? `${formatDate(card.consentedAt.toISOString(), auth.organization.timezone)}, ${CONSENT_BY[card.acceptedBy]}`
      : "none recorded (cannot be charged)",
    expiresSoon: expiresSoon(card, today),
    expired: isExpired(card, today),
  }));
  const name = `${patient.firstName} ${patient.lastName}`;
  const newInvoiceHref = `/app/invoices/new?patientId=${patient.id}`;
  const organizationCountry = auth.organization.country;
  const contactRows: [string, string | null][] = [
    ["Email", patient.email],
    ["Phone", patient.phone && formatPhone(patient.phone, organizationCountry)],
    ["Address", postalAddressLines(patient, { homeCountry: organizationCountry }).join("\n") || null],
    ["Date of birth", patient.dateOfBirth && formatIsoDate(patient.dateOfBirth)],
    ["MRN", patient.externalId],
    ["Sex", patient.sex && PATIENT_SEX_LABELS[patient.sex]],
    ["Release of information", patient.releaseOfInformation && RELEASE_OF_INFORMATION_LABELS[patient.releaseOfInformation]],
  ];
  const openInvoices = invoices.filter((invoice) => invoice.status === "open" || invoice.status === "partially_paid").length;

  return (
    <div className="grid gap-6">
      <Link href="/app/patients" className="inline-flex w-fit items-center gap-1 text-sm text-muted-foreground hover:text-foreground">
        <ChevronLeft aria-hidden="true" className="size-4" /> Patients
      </Link>
      <PageHeader
        title={
          <span className="flex flex-wrap items-center gap-3">
            {name}
            {patient.archived && <Badge variant="secondary">Archived</Badge>}
          </span>
        }
        description={`${patient.externalId ? `MRN ${patient.externalId} · ` : ""}Patient since ${formatDate(patient.createdAt, auth.organization.timezone)}`}
        actions={
          canWrite && (
            <>
              {!patient.archived && (
                <Link href={newInvoiceHref} className={buttonVariants()}>
                  <FilePlus aria-hidden="true" /> New invoice
                </Link>
              )}
              <RecordPaymentLink patientId={patient.id} />
              <Link href={`/app/patients/${patient.id}/edit`} className={buttonVariants({ variant: "outline" })}>
                <Pencil aria-hidden="true" /> Edit
              </Link>
              <ArchivePatientButton patientId={patient.id} name={name} archived={patient.archived} />
            </>
          )
        }
      />
      {patient.archived && (
        <Alert variant="warning">
          <AlertDescription>This patient is archived: hidden from the patient list and cannot be billed until restored.</AlertDescription>
        </Alert>
      )}
      {/* Phones read balance, invoices, contact details, credit, then cards; wide screens stack the small cards beside the invoices. */}
      <div className="grid items-start gap-6 lg:grid-cols-3 lg:grid-rows-[auto_auto_auto_auto_auto_1fr]">
        <Card className="lg:col-start-3 lg:row-start-1">
          <CardHeader>
            <CardTitle>Balance</CardTitle>
            <CardDescription>
              {openInvoices === 0 ? "Nothing outstanding." : `Across ${openInvoices} open ${openInvoices === 1 ? "invoice" : "invoices"}.`}
            </CardDescription>
          </CardHeader>
          <CardContent>
            {balances.length === 0 ? (
              <p className="text-2xl font-semibold tabular-nums" data-testid="patient-balance">
                {formatMoney(0, auth.organization.currency)}
              </p>
            ) : (
              <ul className="grid gap-1" data-testid="patient-balance">
                {balances.map((balance) => (
                  <li key={balance.currency} className="text-2xl font-semibold tabular-nums">
                    {formatMoney(balance.amountDue, balance.currency)}
                    {balances.length > 1 && <span className="ml-2 text-sm font-normal text-muted-foreground">{balance.currency}</span>}
                  </li>
                ))}
              </ul>
            )}
          </CardContent>
        </Card>
        {/* Invoices, then insurance, down the wide column. */}
        <div className="grid min-w-0 gap-6 lg:col-span-2 lg:col-start-1 lg:row-span-6 lg:row-start-1">
          <Card>
            <CardHeader className="flex flex-row flex-wrap items-center justify-between gap-2">
              <CardTitle>Invoices</CardTitle>
              {/* The lists narrowed to this patient: search, sort and CSV export there. */}
              <nav aria-label="This patient's records" className="flex flex-wrap gap-1">
                <Link href={`/app/invoices?patient=${patient.id}`} className={buttonVariants({ variant: "ghost", size: "sm" })}>
                  All invoices
                </Link>
                <Link href={`/app/payments?patient=${patient.id}`} className={buttonVariants({ variant: "ghost", size: "sm" })}>
                  Payments
                </Link>
                <Link href={`/app/credit-notes?patient=${patient.id}`} className={buttonVariants({ variant: "ghost", size: "sm" })}>
                  Credit notes
                </Link>
                <Link href={`/app/disputes?patient=${patient.id}`} className={buttonVariants({ variant: "ghost", size: "sm" })}>
                  Disputes
                </Link>
              </nav>
            </CardHeader>
            <CardContent>
              {invoices.length === 0 ? (
                <EmptyState
                  icon={FileText}
                  title="No invoices yet"
                  description={canWrite && !patient.archived ? "Bill this patient for a visit or service." : undefined}
                  action={
                    canWrite &&
                    !patient.archived && (
                      <Link href={newInvoiceHref} className={buttonVariants({ variant: "outline" })}>
                        <FilePlus aria-hidden="true" /> New invoice
                      </Link>
                    )
                  }
                />
              ) : (
                <InvoiceTable invoices={invoices} showPatient={false} />
              )}
            </CardContent>
          </Card>
          <PatientInsuranceSection
            organizationId={auth.organization.id}
            patientId={patient.id}
            timeZone={auth.organization.timezone}
            canWrite={canWrite && !patient.archived}
          />
        </div>
        <Card className="lg:col-start-3 lg:row-start-2">
          <CardHeader>
            <CardTitle>Contact details</CardTitle>
          </CardHeader>
          <CardContent>
            <dl className="grid gap-3 text-sm">
              {contactRows.map(([label, value]) => (
                <div key={label} className="grid gap-0.5">
                  <dt className="text-muted-foreground">{label}</dt>
                  <dd className="min-w-0 break-words whitespace-pre-line">{value ?? <span className="text-muted-foreground">Not on file</span>}</dd>
                </div>
              ))}
            </dl>
          </CardContent>
        </Card>
        <PatientCreditCard
          organizationId={auth.organization.id}
          patientId={patient.id}
          timeZone={auth.organization.timezone}
          canRefund={canWrite}
          className="lg:col-start-3 lg:row-start-3"
        />
        <Card className="lg:col-start-3 lg:row-start-4" data-testid="cards-on-file">
          <CardHeader>
            <CardTitle>Cards on file</CardTitle>
            <CardDescription>Kept with the patient&apos;s consent; charge them from an invoice, or by a payment plan or membership.</CardDescription>
          </CardHeader>
          <CardContent>
            <CardsOnFileSection
              patientId={patient.id}
              cards={cardRows}
              canWrite={canWrite}
              termsText={consentTermsText(CARD_ON_FILE_TERMS_VERSION, auth.organization.name)}
              patientEmail={patient.email}
              archived={patient.archived}
              liveLink={
                liveCardLink && {
                  url: liveCardLink.url,
                  expiresLabel: `until ${formatDate(liveCardLink.expiresAt.toISOString(), auth.organization.timezone)}`,
                  emailed: liveCardLink.emailedAt !== null,
                }
              }
            />
          </CardContent>
        </Card>
        <Card className="lg:col-start-3 lg:row-start-5">
          <CardHeader>
            <CardTitle>Payment plans</CardTitle>
            <CardDescription>Installments charged to a card on file with the patient&apos;s consent.</CardDescription>
          </CardHeader>
          <CardContent className="grid gap-3">
            {canWrite && openInvoices > 0 && (
              <Link href={`/app/payment-plans/new?patientId=${patient.id}`} className={buttonVariants({ variant: "outline", size: "sm", className: "w-fit" })}>
                New payment plan
              </Link>
            )}
            {plans.data.length === 0 ? (
              <p className="text-sm text-muted-foreground">No payment plans.</p>
            ) : (
              <ul className="grid gap-2 text-sm" data-testid="payment-plans">
                {plans.data.map((plan) => (
                  <li key={plan.id} className="flex flex-wrap items-center justify-between gap-2">
                    <Link href={`/app/payment-plans/${plan.id}`} className="font-medium text-primary underline-offset-4 hover:underline">
                      {formatMoney(plan.totalAmount, plan.currency)} plan
                    </Link>
                    <span className="flex items-center gap-2">
                      <span className="text-muted-foreground tabular-nums">{formatMoney(plan.remainingAmount, plan.currency)} owed</span>
                      <PlanStatusBadge status={plan.status} />
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </CardContent>
        </Card>
        <PatientMembershipsCard
          patientId={patient.id}
          memberships={memberships.data}
          canEnroll={canWrite && !patient.archived}
          className="lg:col-start-3 lg:row-start-6"
        />
      </div>
      <PatientVisitsCard patientId={patient.id} visits={visits} statusLabels={CLAIM_STATUS_LABELS} canRecord={canWrite && !patient.archived} />
    </div>
  );
}
