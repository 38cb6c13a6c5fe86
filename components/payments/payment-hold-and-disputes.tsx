import { hasRole, type Role } from "@/lib/auth/roles";
import { getDb } from "@/lib/db/client";
import { disputeReasonLabel, isClosed, isInquiry } from "@/lib/disputes/dispute-status";
import { holdExpiry } from "@/lib/payments/list-authorized-payments";
import { CapturePanel } from "@/components/payments/capture-panel";
import { DisputePanel } from "@/components/disputes/dispute-panel";
import { DeadlineBadge, DisputeStatusBadge } from "@/components/disputes/dispute-status-badge";

/**
 * The payment page's hold and dispute panels: Capture / Release while the card is only
 * authorized, and one panel per dispute (newest first). Renders nothing for other payments.
 */
export async function PaymentHoldAndDisputes(props: { paymentId: string; organizationId: string; timeZone: string; role: Role }) {
  const canAct = hasRole(props.role, "billing");
  const db = await getDb();
  const [payment, disputes] = await Promise.all([
    db.payment.findFirst({
      where: { id: props.paymentId, organizationId: props.organizationId },
      select: { status: true, currency: true, amountCapturable: true, authorizedAt: true, captureBefore: true, invoice: { select: { amountDue: true } } },
    }),
    db.dispute.findMany({
      where: { paymentId: props.paymentId, organizationId: props.organizationId },
      include: { invoice: { select: { number: true } } },
      orderBy: { createdAt: "desc" },
    }),
  ]);
  if (!payment) return null;
  const journals =
    disputes.length === 0
      ? []
      : await db.journalEntry.findMany({
          where: { organizationId: props.organizationId, sourceType: "dispute", sourceId: { in: disputes.map((dispute) => dispute.id) } },
          include: { lines: { include: { account: { select: { code: true, name: true } } } } },
          orderBy: { createdAt: "asc" },
        });
  const dateTime = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: props.timeZone });
  const date = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone: props.timeZone });
  const today = new Intl.DateTimeFormat("en-CA", { timeZone: props.timeZone }).format(new Date());
  const format = (value: Date | null, formatter = dateTime) => (value ? formatter.format(value) : null);

  return (
    <>
      {payment.status === "requires_capture" && (
        <CapturePanel
          paymentId={props.paymentId}
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
            invoiceNumber={dispute.invoice.number}
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
            journals={journals
              .filter((journal) => journal.sourceId === dispute.id)
              .map((journal) => ({
                id: journal.id,
                title: journal.memo,
                at: dateTime.format(journal.createdAt),
                lines: journal.lines.map((line) => ({ account: `${line.account.code} ${line.account.name}`, amount: line.amount })),
              }))}
          />
        );
      })}
    </>
  );
}
