import { hasRole, type Role } from "@/lib/auth/roles";
import { getDb } from "@/lib/db/client";
import { disputeReasonLabel, isClosed, isInquiry } from "@/lib/disputes/dispute-status";
import { listPaymentDisputes } from "@/lib/disputes/list-payment-disputes";
import { holdExpiry } from "@/lib/payments/list-authorized-payments";
import { CapturePanel } from "@/components/payments/capture-panel";
import { DisputePanel } from "@/components/disputes/dispute-panel";
import { DeadlineBadge, DisputeStatusBadge } from "@/components/disputes/dispute-status-badge";
import { dateTimeFormatter, dayFormatter } from "@/lib/dates/format-date";
import { todayIn } from "@/lib/invoices/dates";

type HeldPayment = {
  id: string;
  status: string;
  currency: string;
  amountCapturable: number;
  authorizedAt: Date | null;
  captureBefore: Date | null;
  invoice: { amountDue: number } | null;
};

/**
 * The payment page's hold and dispute panels: Capture / Release while the card is only
 * authorized, and one panel per dispute (newest first). Renders nothing for other payments.
 */
export async function PaymentHoldAndDisputes(props: { payment: HeldPayment; organizationId: string; timeZone: string; role: Role }) {
  const { payment } = props;
  const canAct = hasRole(props.role, "billing");
  const disputes = await listPaymentDisputes(await getDb(), { organizationId: props.organizationId, paymentId: payment.id });
  const dateTime = dateTimeFormatter({ timeZone: props.timeZone });
  const date = dayFormatter({ timeZone: props.timeZone });
  const today = todayIn(props.timeZone);
  const format = (value: Date | null, formatter: { format: (value: Date) => string } = dateTime) => (value ? formatter.format(value) : null);

  return (
    <>
      {payment.status === "requires_capture" && (
        <CapturePanel
          paymentId={payment.id}
          currency={payment.currency}
          amountCapturable={payment.amountCapturable}
          authorizedAtLabel={format(payment.authorizedAt)}
          captureBeforeLabel={format(payment.captureBefore)}
          expiry={holdExpiry(payment.captureBefore)}
          invoiceAmountDue={payment.invoice?.amountDue ?? 0}
          canAct={canAct}
        />
      )}
      {disputes.map((dispute) => {
        const open = !isClosed(dispute.status);
        return (
          <DisputePanel
            key={dispute.id}
            id={dispute.id}
            currency={dispute.currency}
            amount={dispute.amount}
            feeAmount={dispute.feeAmount}
            reasonLabel={disputeReasonLabel(dispute.reason)}
            inquiry={isInquiry(dispute.status)}
            open={open}
            lost={dispute.status === "lost"}
            resolution={dispute.resolution}
            invoiceNumber={dispute.invoice ? dispute.invoice.number : null}
            prepayment={dispute.invoice === null}
            evidenceNote={dispute.evidenceNote}
            evidenceSubmittedLabel={format(dispute.evidenceSubmittedAt, date)}
            evidenceDueLabel={format(dispute.evidenceDueBy)}
            resolvedLabel={format(dispute.resolvedAt)}
            closedLabel={format(dispute.closedAt)}
            badges={
              <>
                <DisputeStatusBadge status={dispute.status} />
                <DeadlineBadge dueBy={dispute.evidenceDueBy} open={open && !dispute.evidenceSubmittedAt} />
              </>
            }
            canAct={canAct}
            today={today}
            journals={dispute.journals.map((journal) => ({
              id: journal.id,
              title: journal.memo,
              at: dateTime.format(journal.createdAt),
              lines: journal.lines,
            }))}
          />
        );
      })}
    </>
  );
}
