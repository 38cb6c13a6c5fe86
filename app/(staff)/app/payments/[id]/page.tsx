import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/lib/db/client";
import { requirePageAuth } from "@/lib/auth/session";
import { formatMoney } from "@/lib/money/currency";
import { getPaymentDetail } from "@/lib/payments/get-payment-detail";
import { orNotFound } from "@/lib/http/or-not-found";
import { hasRole } from "@/lib/auth/roles";
import { declineMessage } from "@/lib/payments/decline-reasons";
import { PaymentStatusBadge, paymentMethodLabel } from "@/components/payments/payment-status-badge";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { ManualPaymentPanel } from "./_components/manual-payment-panel";
import { PaymentHoldAndDisputes } from "./_components/payment-hold-and-disputes";
import { RefundsPanel } from "./_components/refunds-panel";
import { dateTimeFormatter } from "@/lib/dates/format-date";

export const metadata: Metadata = { title: "Payment" };

const SOURCE_LABELS: Record<string, string> = {
  pay_page: "Pay page",
  desk_card: "Card at the front desk",
  saved_card: "Saved card",
  manual: "Front desk",
  autopay: "Autopay",
};

export default async function PaymentPage({ params }: { params: Promise<{ id: string }> }) {
  const auth = await requirePageAuth("viewer");
  const db = await getDb();
  const { payment, display, timeline } = await orNotFound((await params).id, (paymentId) =>
    getPaymentDetail(db, { organizationId: auth.organization.id, paymentId }),
  );
  const money = (amount: number) => formatMoney(amount, payment.currency);
  const isAdmin = hasRole(auth.role, "admin");
  const dateFormat = dateTimeFormatter({ timeZone: auth.organization.timezone }, { seconds: true });

  return (
    <div className="grid gap-6">
      <PageHeader
        title={`${money(payment.status === "succeeded" ? payment.amountReceived : payment.amount)} · ${paymentMethodLabel(payment)}`}
        description={
          <>
            {payment.invoice ? (
              <>
                For{" "}
                <Link className="text-primary underline-offset-4 hover:underline" href={`/app/invoices/${payment.invoice.id}`}>
                  {payment.invoice.number}
                </Link>
              </>
            ) : (
              "Prepayment kept as patient credit"
            )}{" "}
            ·{" "}
            <Link className="text-primary underline-offset-4 hover:underline" href={`/app/patients/${payment.patient?.id}`}>
              {payment.patient?.firstName} {payment.patient?.lastName}
            </Link>
          </>
        }
        actions={<PaymentStatusBadge state={display} />}
      />
      {payment.creditAmount > 0 && payment.source !== "manual" && !payment.prepayment && (
        <Alert variant="warning">
          <AlertDescription>
            {money(payment.creditAmount)} of this payment was more than the invoice still owed (another payment completed at the same time). It is held as
            patient credit.
          </AlertDescription>
        </Alert>
      )}
      {payment.failureMessage && payment.status !== "succeeded" && (
        <Alert variant="destructive">
          <AlertDescription>
            {payment.failureCode ? `${declineMessage(payment.failureCode)}. The card issuer said: “${payment.failureMessage}”` : payment.failureMessage}
          </AlertDescription>
        </Alert>
      )}
      <PaymentHoldAndDisputes payment={payment} organizationId={auth.organization.id} timeZone={auth.organization.timezone} role={auth.role} />
      <ManualPaymentPanel paymentId={payment.id} auth={auth} />
      <RefundsPanel paymentId={payment.id} organizationId={auth.organization.id} role={auth.role} timeZone={auth.organization.timezone} />
      <div className="grid gap-6 md:grid-cols-[minmax(0,1fr)_minmax(0,2fr)]">
        <Card>
          <CardHeader>
            <CardTitle>Details</CardTitle>
          </CardHeader>
          <CardContent>
            <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-4 gap-y-2 text-sm">
              <dt className="text-muted-foreground">Requested</dt>
              <dd className="text-right tabular-nums">{money(payment.amount)}</dd>
              <dt className="text-muted-foreground">Received</dt>
              <dd className="text-right tabular-nums">{money(payment.amountReceived)}</dd>
              <dt className="text-muted-foreground">Applied to invoice</dt>
              <dd className="text-right tabular-nums">{money(payment.appliedAmount)}</dd>
              {display.refunded > 0 && (
                <>
                  <dt className="text-muted-foreground">Refunded</dt>
                  <dd className="text-right tabular-nums" data-testid="payment-refunded">
                    −{money(display.refunded)}
                  </dd>
                </>
              )}
              {display.refundPending > 0 && (
                <>
                  <dt className="text-muted-foreground">Refund pending</dt>
                  <dd className="text-right tabular-nums">−{money(display.refundPending)}</dd>
                </>
              )}
              {payment.receiptNumber && (
                <>
                  <dt className="text-muted-foreground">Receipt</dt>
                  <dd className="text-right font-mono" data-testid="payment-receipt-number">
                    {payment.receiptNumber}
                  </dd>
                </>
              )}
              {payment.source !== "manual" && (
                <>
                  <dt className="text-muted-foreground">Stripe fee</dt>
                  <dd className="text-right tabular-nums">{money(payment.feeAmount)}</dd>
                </>
              )}
              <dt className="text-muted-foreground">Source</dt>
              <dd className="text-right">{SOURCE_LABELS[payment.source] ?? payment.source.replace("_", " ")}</dd>
              {isAdmin && payment.stripePaymentIntentId && (
                <>
                  <dt className="text-muted-foreground">Stripe</dt>
                  <dd className="truncate text-right font-mono text-xs" title={payment.stripePaymentIntentId}>
                    {payment.stripePaymentIntentId}
                  </dd>
                </>
              )}
            </dl>
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Timeline</CardTitle>
          </CardHeader>
          <CardContent>
            <ol className="grid gap-4 border-l pl-4" data-testid="payment-timeline">
              {timeline.map((entry) => (
                <li key={entry.id} className="grid gap-1">
                  <p className="text-xs text-muted-foreground">
                    <time dateTime={entry.at.toISOString()}>{dateFormat.format(entry.at)}</time>
                  </p>
                  <p
                    className={`text-sm font-medium wrap-anywhere ${entry.tone === "danger" ? "text-destructive" : entry.tone === "success" ? "text-success" : ""}`}
                  >
                    {entry.title}
                  </p>
                  {entry.detail && <p className="text-xs wrap-anywhere text-muted-foreground">{entry.detail}</p>}
                  {isAdmin && entry.technical && (
                    <details className="text-xs text-muted-foreground">
                      <summary className="w-fit cursor-pointer rounded-sm underline-offset-4 hover:underline focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none">
                        Technical details
                      </summary>
                      <div className="mt-1 grid gap-1">
                        {entry.technical.eventType && (
                          <code className="wrap-anywhere">
                            {entry.technical.eventType} · {entry.technical.eventId}
                          </code>
                        )}
                        {entry.technical.lines && (
                          <ul>
                            {entry.technical.lines.map((line) => (
                              <li key={line.account} className="flex justify-between gap-4 tabular-nums">
                                <span className="min-w-0">{line.account}</span>
                                <span className="whitespace-nowrap">
                                  {line.amount > 0 ? "Dr" : "Cr"} {money(Math.abs(line.amount))}
                                </span>
                              </li>
                            ))}
                          </ul>
                        )}
                      </div>
                    </details>
                  )}
                </li>
              ))}
            </ol>
          </CardContent>
        </Card>
      </div>
    </div>
  );
}
