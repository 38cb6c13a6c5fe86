import type { Metadata } from "next";
import Link from "next/link";
import { ChevronLeft, FilePlus, FileText, Pencil } from "lucide-react";
import { getDb } from "@/lib/db/client";
import { requirePageAuth } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/roles";
import { formatMoney } from "@/lib/money/currency";
import { getPatientDetail } from "@/lib/patients/get-patient-detail";
import { postalAddressLines } from "@/lib/addresses/postal-address";
import { formatPhone } from "@/lib/validation/phone";
import { listSavedCards } from "@/lib/payments/list-saved-cards";
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
  const savedCards = await listSavedCards(db, { organizationId: auth.organization.id, patientId: patient.id });
  const name = `${patient.firstName} ${patient.lastName}`;
  const newInvoiceHref = `/app/invoices/new?patientId=${patient.id}`;
  const organizationCountry = auth.organization.country;
  const contactRows: [string, string | null][] = [
    ["Email", patient.email],
    ["Phone", patient.phone && formatPhone(patient.phone, organizationCountry)],
    ["Address", postalAddressLines(patient, { homeCountry: organizationCountry }).join("\n") || null],
    ["Date of birth", patient.dateOfBirth && formatIsoDate(patient.dateOfBirth)],
    ["MRN", patient.externalId],
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
      <div className="grid items-start gap-6 lg:grid-cols-3 lg:grid-rows-[auto_auto_auto_1fr]">
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
        <Card className="lg:col-span-2 lg:col-start-1 lg:row-span-4 lg:row-start-1">
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
          className="lg:col-start-3 lg:row-start-3"
        />
        <Card className="lg:col-start-3 lg:row-start-4">
          <CardHeader>
            <CardTitle>Cards on file</CardTitle>
            <CardDescription>Saved by the patient when paying online; charge them from an invoice.</CardDescription>
          </CardHeader>
          <CardContent>
            {savedCards.length === 0 ? (
              <p className="text-sm text-muted-foreground">No saved cards.</p>
            ) : (
              <ul className="grid gap-2 text-sm" data-testid="saved-cards">
                {savedCards.map((card) => (
                  <li key={card.id} className="flex justify-between gap-3">
                    <span>
                      {card.brand.replace(/^\w/, (letter) => letter.toUpperCase())} •••• {card.last4}
                    </span>
                    <span className="text-muted-foreground">
                      exp. {String(card.expMonth).padStart(2, "0")}/{card.expYear}
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
