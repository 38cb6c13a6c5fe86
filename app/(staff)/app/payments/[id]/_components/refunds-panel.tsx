import Link from "next/link";
import { FileText } from "lucide-react";
import { hasRole, type Role } from "@/lib/auth/roles";
import { getDb } from "@/lib/db/client";
import { formatMoney } from "@/lib/money/currency";
import { getPaymentRefunds } from "@/lib/refunds/list-refunds";
import { describeRefundFailure, REFUND_REASON_LABELS, type RefundView } from "@/lib/refunds/refunds.types";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge, type BadgeProps } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { RefreshWhilePending, RefundRequestControl, ResendRefundButton } from "@/components/refunds/refund-controls";
import { dateTimeFormatter } from "@/lib/dates/format-date";

const STATUS: Record<RefundView["status"], { label: string; variant: BadgeProps["variant"] }> = {
  pending: { label: "Pending", variant: "warning" },
  succeeded: { label: "Succeeded", variant: "success" },
  failed: { label: "Failed", variant: "destructive" },
  canceled: { label: "Refused by Stripe", variant: "outline" },
};

/**
 * The payment page's refunds: what can still be refunded, the Refund button (billing and admin),
 * every refund with its status and credit note, and a plain explanation of any refund that failed.
 */
export async function RefundsPanel(props: { paymentId: string; organizationId: string; role: Role; timeZone: string }) {
  const canWrite = hasRole(props.role, "billing");
  const { payment, invoice, amounts, blockedReason, refunds, unsentRefundIds } = await getPaymentRefunds(await getDb(), {
    organizationId: props.organizationId,
    paymentId: props.paymentId,
  });
  // Nothing to refund and nothing refunded (an unfinished attempt), or a manual payment, which is voided instead (its own panel).
  if (refunds.length === 0 && (payment.amountReceived === 0 || payment.source === "manual")) return null;
  const money = (amount: number) => formatMoney(amount, payment.currency);
  const dateTime = dateTimeFormatter({ timeZone: props.timeZone });
  const failed = refunds.filter((refund) => refund.status === "failed");
  const anyPending = refunds.some((refund) => refund.status === "pending");
  const cardLabel = payment.cardLabel ?? "the card";

  return (
    <Card data-testid="refunds-panel">
      <CardHeader>
        <CardTitle>Refunds</CardTitle>
      </CardHeader>
      <CardContent className="grid gap-4">
        {failed.map((refund) => (
          <Alert key={refund.id} variant="destructive" data-testid="refund-failed">
            <AlertTitle>A refund failed</AlertTitle>
            <AlertDescription>
              The refund of {money(refund.amount)} to {cardLabel} failed ({describeRefundFailure(refund.failureReason)}). Nothing was returned to the patient
              and the invoice is as it was before. Refund another way (e.g. by check), or contact the patient.
            </AlertDescription>
          </Alert>
        ))}
        <dl className="grid grid-cols-[1fr_auto] gap-x-4 gap-y-1 text-sm">
          <dt className="text-muted-foreground">Received</dt>
          <dd className="text-right tabular-nums">{money(payment.amountReceived)}</dd>
          <dt className="text-muted-foreground">Refunded or pending</dt>
          <dd className="text-right tabular-nums">{money(payment.amountRefunded)}</dd>
          <dt className="font-medium">Can be refunded</dt>
          <dd className="text-right font-medium tabular-nums" data-testid="refundable">
            {money(blockedReason ? 0 : amounts.refundable)}
          </dd>
        </dl>
        {blockedReason ? (
          <p className="text-sm text-muted-foreground">{blockedReason}</p>
        ) : (
          canWrite &&
          amounts.refundable > 0 && (
            <RefundRequestControl
              paymentId={payment.id}
              currency={payment.currency}
              refundable={amounts.refundable}
              fromCredit={Math.min(amounts.fromCredit, amounts.refundable)}
              invoiceNumber={invoice ? (invoice.number ?? "the invoice") : "the prepayment"}
              cardLabel={payment.cardLabel}
              canReopen={invoice !== null && (invoice.status === "paid" || invoice.status === "partially_paid")}
              prepayment={invoice === null}
              anyPending={anyPending}
            />
          )
        )}
        {refunds.length === 0 ? (
          <p className="text-sm text-muted-foreground">No refunds yet.</p>
        ) : (
          <ul className="grid gap-3 border-t pt-4" aria-label="Refunds of this payment">
            {refunds.map((refund) => {
              const status = STATUS[refund.status];
              const unsent = unsentRefundIds.includes(refund.id);
              return (
                <li key={refund.id} className="grid gap-1 text-sm" data-testid="refund-row">
                  <div className="flex flex-wrap items-center justify-between gap-2">
                    <span className="font-medium tabular-nums">{money(refund.amount)}</span>
                    <Badge variant={status.variant}>{status.label}</Badge>
                  </div>
                  <p className="text-muted-foreground">
                    {dateTime.format(new Date(refund.createdAt))} · {REFUND_REASON_LABELS[refund.reason]}
                    {refund.mode === "reopen_balance" ? " · amount owed again on the invoice" : ""}
                    {refund.fromCredit > 0 ? ` · ${money(refund.fromCredit)} from patient credit` : ""}
                  </p>
                  {refund.note && <p className="text-muted-foreground">“{refund.note}”</p>}
                  {refund.creditNote && (
                    <Link
                      href={`/app/credit-notes/${refund.creditNote.id}/pdf`}
                      className="inline-flex w-fit items-center gap-1 text-primary underline-offset-4 hover:underline"
                      target="_blank"
                      rel="noopener"
                      prefetch={false}
                    >
                      <FileText aria-hidden="true" className="size-4" /> Credit note {refund.creditNote.number}
                      {refund.status === "failed" || refund.status === "canceled" ? " (void)" : ""}
                    </Link>
                  )}
                  {refund.status === "canceled" && (
                    <p className="text-muted-foreground">Stripe refused it ({describeRefundFailure(refund.failureReason)}); nothing changed.</p>
                  )}
                  {refund.status === "pending" && !refund.stripeRefundId && (
                    <div className="flex flex-wrap items-center justify-between gap-2">
                      <p className="text-muted-foreground">{unsent ? "Not sent to Stripe yet (Stripe could not be reached)." : "Sending to Stripe…"}</p>
                      {unsent && canWrite && <ResendRefundButton refundId={refund.id} />}
                    </div>
                  )}
                </li>
              );
            })}
          </ul>
        )}
        {anyPending && <RefreshWhilePending />}
      </CardContent>
    </Card>
  );
}
