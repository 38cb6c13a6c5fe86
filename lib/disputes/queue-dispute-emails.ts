import type { Tx } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { formatMoney } from "@/lib/money/currency";
import { escapeHtml } from "@/lib/utils/escape-html";
import { disputeReasonLabel, isInquiry } from "./dispute-status";
import type { DisputeStatus } from "@/lib/db/generated/enums";
import { formatDateTime } from "@/lib/dates/format-date";

/**
 * Writes one email per active admin to the outbox, in the transaction that records the dispute,
 * so admins hear of it exactly once. Staff-facing: the invoice number, amount, reason and
 * deadline, and a link to the payment; no patient details (they are one click away, behind sign-in).
 */
export async function queueDisputeEmails(
  tx: Tx,
  options: {
    organizationId: string;
    /** Null for a disputed prepayment (it paid no invoice). */
    invoiceId: string | null;
    invoiceNumber: string | null;
    paymentId: string;
    amount: number;
    currency: string;
    reason: string;
    status: DisputeStatus;
    evidenceDueBy: Date | null;
  },
): Promise<number> {
  const [admins, organization] = await Promise.all([
    tx.membership.findMany({
      where: { organizationId: options.organizationId, role: "admin", deactivatedAt: null },
      select: { user: { select: { email: true, name: true } } },
    }),
    tx.organization.findUniqueOrThrow({ where: { id: options.organizationId }, select: { name: true, timezone: true } }),
  ]);
  if (admins.length === 0) return 0;
  const amount = formatMoney(options.amount, options.currency);
  const inquiry = isInquiry(options.status);
  const what = inquiry ? "An inquiry was opened" : "A chargeback was opened";
  const deadline = options.evidenceDueBy
    ? formatDateTime(options.evidenceDueBy, { timeZone: organization.timezone }, { style: "full", zoneName: true })
    : "not given";
  const link = `${getEnv().APP_URL.replace(/\/$/, "")}/app/payments/${options.paymentId}`;
  const invoice = options.invoiceId === null ? "a prepayment (kept as the patient's credit)" : (options.invoiceNumber ?? "an invoice");
  const subject = `${inquiry ? "Card inquiry" : "Chargeback"}: ${amount} on ${invoice} — respond by the deadline`;
  const consequence = inquiry
    ? "No money has been taken yet. If the inquiry is not answered it can become a chargeback."
    : `${amount} plus Stripe's dispute fee has been withdrawn from your Stripe balance until the card network decides.`;
  const lines = [
    `${what} on a card payment to ${organization.name}.`,
    "",
    `Invoice: ${invoice}`,
    `Amount: ${amount}`,
    `Reason: ${disputeReasonLabel(options.reason)}`,
    `Evidence due by: ${deadline}`,
    "",
    consequence,
    "Submit evidence in Stripe's dashboard before the deadline, then record it on the payment page:",
    link,
  ];
  const html = [
    `<p>${escapeHtml(what)} on a card payment to ${escapeHtml(organization.name)}.</p>`,
    `<p>Invoice: <strong>${escapeHtml(invoice)}</strong><br>Amount: <strong>${escapeHtml(amount)}</strong><br>Reason: ${escapeHtml(disputeReasonLabel(options.reason))}<br>Evidence due by: <strong>${escapeHtml(deadline)}</strong></p>`,
    `<p>${escapeHtml(consequence)}</p>`,
    `<p>Submit evidence in Stripe's dashboard before the deadline, then record it on <a href="${escapeHtml(link)}">the payment page</a>.</p>`,
  ].join("");
  await tx.email.createMany({
    data: admins.map((admin) => ({
      organizationId: options.organizationId,
      invoiceId: options.invoiceId,
      kind: "dispute_opened",
      toAddress: admin.user.email,
      subject,
      text: [`Hello ${admin.user.name},`, "", ...lines].join("\n"),
      html: `<p>Hello ${escapeHtml(admin.user.name)},</p>${html}`,
    })),
  });
  return admins.length;
}
