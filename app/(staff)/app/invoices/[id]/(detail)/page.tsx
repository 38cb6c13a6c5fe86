import type { Metadata } from "next";
import Link from "next/link";
import { ChevronLeft } from "lucide-react";
import { getDb } from "@/lib/db/client";
import { requirePageAuth } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/roles";
import { viewInvoice } from "@/lib/invoices/get-invoice";
import { formatMoney } from "@/lib/money/currency";
import { getPatientOrThrow } from "@/lib/patients/get-patient-or-throw";
import { InvoiceActions } from "@/components/invoices/invoice-actions";
import { ChargeSavedCard } from "@/components/invoices/charge-saved-card";
import { PayWithCardDialog } from "@/components/invoices/pay-with-card-dialog";
import { CARD_ON_FILE_TERMS_VERSION, consentTermsText } from "@/lib/consent/terms";
import { minimumCardPayment } from "@/lib/money/card-minimum";
import { PayLinkPanel } from "@/components/invoices/pay-link-panel";
import { listSavedCards } from "@/lib/payments/list-saved-cards";
import { PaymentStatusBadge, paymentMethodLabel } from "@/components/payments/payment-status-badge";
import { RecordPaymentLink } from "@/components/payments/record-payment-link";
import { getCurrentPaymentLink } from "@/lib/payment-links/get-current-payment-link";
import { listPayments } from "@/lib/payments/list-payments";
import { getInvoiceRefundTotals } from "@/lib/invoices/get-invoice-refund-totals";
import { formatDate, formatDateTime, formatIsoDate, TERMS_LABELS } from "@/components/invoices/invoice-format";
import { InvoiceLinesSummary } from "@/components/invoices/invoice-lines-summary";
import { InvoiceStatusBadge } from "@/components/invoices/invoice-status-badge";
import { Badge } from "@/components/ui/badge";
import { ReopenWriteOffButton } from "@/components/invoices/reopen-write-off-button";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { PlanStatusBadge } from "@/components/payment-plans/plan-status-badge";
import { listInvoicePaymentPlans } from "@/lib/payment-plans/get-payment-plan";
import { findInvoiceMembershipPeriod } from "@/lib/memberships/get-membership";
import { formatPeriod } from "@/components/memberships/membership-status-badge";
import { orNotFound } from "@/lib/http/or-not-found";
import { CreditNotesCard } from "./_components/credit-notes-card";
import { InvoicePatientCredit } from "./_components/invoice-patient-credit";

export const metadata: Metadata = { title: "Invoice" };

export default async function InvoicePage({ params }: { params: Promise<{ id: string }> }) {
  const auth = await requirePageAuth("viewer");
  const db = await getDb();
  const invoice = await orNotFound((await params).id, (id) => viewInvoice(db, { id, organizationId: auth.organization.id, actor: auth.actor }));
  const patient = await getPatientOrThrow(db, { id: invoice.patientId, organizationId: auth.organization.id });
  const timeZone = auth.organization.timezone;
  const canWrite = hasRole(auth.role, "billing");
  const isDraft = invoice.status === "draft";
  const patientName = `${patient.firstName} ${patient.lastName}`;
  const payable = invoice.status === "open" || invoice.status === "partially_paid";
  const [payments, payLink, savedCards, refunds, plans, membershipPeriod] = await Promise.all([
    isDraft ? Promise.resolve({ data: [] }) : listPayments(db, { organizationId: auth.organization.id, input: { invoiceId: invoice.id, limit: 50 } }),
    payable ? getCurrentPaymentLink(db, { organizationId: auth.organization.id, invoiceId: invoice.id }) : Promise.resolve(null),
    payable && canWrite ? listSavedCards(db, { organizationId: auth.organization.id, patientId: patient.id }) : Promise.resolve([]),
    getInvoiceRefundTotals(db, invoice.id),
    listInvoicePaymentPlans(db, { organizationId: auth.organization.id, invoiceId: invoice.id }),
    findInvoiceMembershipPeriod(db, { organizationId: auth.organization.id, invoiceId: invoice.id }),
  ]);
  const plan = plans[0];
  // Card authorizations not captured or released yet: money the clinic can still take by capturing.
  const holds = payments.data.filter((payment) => payment.status === "requires_capture");

  return (
    <div className="grid gap-6">
      <Link href="/app/invoices" className="inline-flex w-fit items-center gap-1 text-sm text-muted-foreground hover:text-foreground">
        <ChevronLeft aria-hidden="true" className="size-4" /> Invoices
      </Link>
      <PageHeader
        title={
          <span className="flex flex-wrap items-center gap-3">
            <span className="tabular-nums">{invoice.number ?? "Draft invoice"}</span>
            {!isDraft && <InvoiceStatusBadge status={invoice.status} overdue={invoice.overdue} />}
            {invoice.disputed && <Badge variant="destructive">Disputed</Badge>}
          </span>
        }
        description={
          <>
            Billed to{" "}
            <Link href={`/app/patients/${patient.id}`} className="font-medium text-foreground underline-offset-4 hover:underline">
              {patientName}
            </Link>
            {invoice.dueDate && (invoice.status === "open" || invoice.status === "partially_paid") && (
              <>
                {" "}
                · {formatMoney(invoice.amountDue, invoice.currency)} due {formatIsoDate(invoice.dueDate)}
              </>
            )}
          </>
        }
        actions={
          (canWrite || !isDraft) && (
            <InvoiceActions
              invoice={{ id: invoice.id, number: invoice.number, status: invoice.status, amountPaid: invoice.amountPaid, sentAt: invoice.sentAt }}
              patient={{ id: patient.id, email: patient.email }}
              canWrite={canWrite}
            />
          )
        }
      />
      {plan && (
        <p className="flex flex-wrap items-center gap-2 text-sm" data-testid="invoice-payment-plan">
          On a{" "}
          <Link href={`/app/payment-plans/${plan.id}`} className="font-medium text-primary underline-offset-4 hover:underline">
            payment plan
          </Link>
          <PlanStatusBadge status={plan.status} />
        </p>
      )}
      {membershipPeriod && (
        <p className="text-sm" data-testid="invoice-membership">
          Membership{" "}
          <Link href={`/app/memberships/${membershipPeriod.membershipId}`} className="font-medium text-primary underline-offset-4 hover:underline">
            {membershipPeriod.planName}
          </Link>
          , period {membershipPeriod.sequence}: {formatPeriod(membershipPeriod.periodStart, membershipPeriod.periodEnd)}
        </p>
      )}
      {holds.length > 0 && (
        <Alert variant="warning">
          <AlertTitle>
            The patient&apos;s card is authorized for {holds.map((payment) => formatMoney(payment.amount, payment.currency)).join(" and ")}, not yet captured
          </AlertTitle>
          <AlertDescription>
            <span>
              Capture it when the service is delivered, or release it, from{" "}
              {holds.map((payment, index) => (
                <span key={payment.id}>
                  {index > 0 && ", "}
                  <Link href={`/app/payments/${payment.id}`} className="font-medium text-primary underline-offset-4 hover:underline">
                    the card payment{holds.length > 1 ? ` ${index + 1}` : ""}
                  </Link>
                </span>
              ))}
              . Collecting at the desk as well would charge the patient twice.
            </span>
          </AlertDescription>
        </Alert>
      )}
      {invoice.status === "void" && (
        <Alert variant="warning">
          <AlertTitle>Voided{invoice.voidedAt ? ` on ${formatDate(invoice.voidedAt, timeZone)}` : ""}</AlertTitle>
          {invoice.voidReason && <AlertDescription>Reason: {invoice.voidReason}</AlertDescription>}
        </Alert>
      )}
      {invoice.status === "uncollectible" && (
        <Alert variant="warning">
          <AlertTitle>Written off{invoice.uncollectibleAt ? ` on ${formatDate(invoice.uncollectibleAt, timeZone)}` : ""}</AlertTitle>
          <AlertDescription>
            The remaining balance was marked uncollectible{invoice.uncollectibleReason ? `. Reason: ${invoice.uncollectibleReason}` : "."}
          </AlertDescription>
          {canWrite && invoice.amountWrittenOff > 0 && (
            <AlertDescription className="mt-2">
              <ReopenWriteOffButton
                invoiceId={invoice.id}
                invoiceNumber={invoice.number ?? "this invoice"}
                amountWrittenOff={invoice.amountWrittenOff}
                currency={invoice.currency}
              />
            </AlertDescription>
          )}
        </Alert>
      )}
      <div className="grid items-start gap-6 lg:grid-cols-3">
        <div className="grid gap-6 lg:col-span-2">
          <Card>
            <CardHeader>
              <CardTitle>Line items</CardTitle>
            </CardHeader>
            <CardContent>
              <InvoiceLinesSummary invoice={invoice} refunds={refunds} />
            </CardContent>
          </Card>
          {invoice.memo && (
            <Card>
              <CardHeader>
                <CardTitle>Memo</CardTitle>
              </CardHeader>
              <CardContent>
                <p className="text-sm whitespace-pre-line">{invoice.memo}</p>
              </CardContent>
            </Card>
          )}
        </div>
        <div className="grid gap-6">
          <Card>
            <CardHeader>
              <CardTitle>Details</CardTitle>
            </CardHeader>
            <CardContent>
              <dl className="grid grid-cols-[auto_1fr] gap-x-6 gap-y-3 text-sm">
                <dt className="text-muted-foreground">Patient</dt>
                <dd className="min-w-0">
                  <Link href={`/app/patients/${patient.id}`} className="font-medium text-primary hover:underline">
                    {patientName}
                  </Link>
                </dd>
                <dt className="text-muted-foreground">Currency</dt>
                <dd>{invoice.currency}</dd>
                <dt className="text-muted-foreground">Terms</dt>
                <dd>{TERMS_LABELS[invoice.terms]}</dd>
                <dt className="text-muted-foreground">Issued</dt>
                <dd>{invoice.finalizedAt ? formatDate(invoice.finalizedAt, timeZone) : <span className="text-muted-foreground">When finalized</span>}</dd>
                <dt className="text-muted-foreground">Due</dt>
                <dd>{invoice.dueDate ? formatIsoDate(invoice.dueDate) : <span className="text-muted-foreground">Set when finalized</span>}</dd>
                {!isDraft && (
                  <>
                    <dt className="text-muted-foreground">Sent</dt>
                    <dd className="min-w-0 break-words" data-testid="invoice-sent">
                      {invoice.sentAt ? formatDateTime(invoice.sentAt, timeZone) : <span className="text-muted-foreground">Not sent yet</span>}
                      {!patient.email && <span className="block text-muted-foreground">No email address on file</span>}
                    </dd>
                  </>
                )}
                <dt className="text-muted-foreground">Created</dt>
                <dd>{formatDate(invoice.createdAt, timeZone)}</dd>
              </dl>
            </CardContent>
          </Card>
          <InvoicePatientCredit organizationId={auth.organization.id} invoice={invoice} canWrite={canWrite} timeZone={timeZone} />
          <CreditNotesCard invoiceId={invoice.id} organizationId={auth.organization.id} canWrite={canWrite} timeZone={timeZone} />
          {!isDraft && (
            <Card>
              <CardHeader>
                <CardTitle>Pay link</CardTitle>
              </CardHeader>
              <CardContent>
                <PayLinkPanel
                  invoiceId={invoice.id}
                  payable={payable}
                  canWrite={canWrite}
                  link={payLink ? { url: payLink.url, expiresLabel: `expires ${formatDate(payLink.expiresAt.toISOString(), timeZone)}` } : null}
                />
              </CardContent>
            </Card>
          )}
          {!isDraft && (
            <Card>
              <CardHeader>
                <CardTitle>Payments</CardTitle>
              </CardHeader>
              <CardContent>
                {payments.data.length === 0 ? (
                  <p className="text-sm text-muted-foreground">
                    {invoice.amountPaid > 0 ? "No card or front-desk payments: what was paid came from the patient's credit." : "No payments yet."}
                  </p>
                ) : (
                  <ul className="grid gap-3 text-sm">
                    {payments.data.map((payment) => (
                      <li key={payment.id} className="flex items-center justify-between gap-3">
                        <Link href={`/app/payments/${payment.id}`} className="min-w-0 text-primary hover:underline">
                          <span className="block truncate">{paymentMethodLabel(payment)}</span>
                          <span className="block text-xs text-muted-foreground">{formatDateTime(payment.createdAt.toISOString(), timeZone)}</span>
                        </Link>
                        <span className="grid justify-items-end gap-1">
                          <span className="tabular-nums">
                            {formatMoney(payment.status === "succeeded" ? payment.amountReceived : payment.amount, payment.currency)}
                          </span>
                          <PaymentStatusBadge state={payment.display} />
                        </span>
                      </li>
                    ))}
                  </ul>
                )}
                {savedCards.length > 0 && (
                  <ChargeSavedCard
                    invoiceId={invoice.id}
                    amountDue={invoice.amountDue}
                    currency={invoice.currency}
                    cards={savedCards.map((card) => ({
                      id: card.id,
                      label: `${card.brand.replace(/^\w/, (letter) => letter.toUpperCase())} •••• ${card.last4} (exp. ${String(card.expMonth).padStart(2, "0")}/${card.expYear})`,
                    }))}
                  />
                )}
                {canWrite && (
                  <div className="mt-4 grid gap-2 empty:hidden">
                    {/* Always rendered (its button only while a card payment is possible), so the dialog stays open on its receipt after the payment settles the invoice. */}
                    <PayWithCardDialog
                      available={payable && invoice.amountDue >= minimumCardPayment(invoice.currency)}
                      invoiceId={invoice.id}
                      invoiceNumber={invoice.number}
                      currency={invoice.currency}
                      amountDue={invoice.amountDue}
                      minimumAmount={minimumCardPayment(invoice.currency)}
                      termsText={consentTermsText(CARD_ON_FILE_TERMS_VERSION, auth.organization.name)}
                    />
                    <RecordPaymentLink invoice={invoice} className="w-full" />
                  </div>
                )}
              </CardContent>
            </Card>
          )}
        </div>
      </div>
    </div>
  );
}
