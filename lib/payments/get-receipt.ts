import { isRecordId } from "@/lib/http/record-id";
import type { Db } from "@/lib/db/client";
import { clinicContact } from "@/lib/organizations/clinic-contact";
import { resolvePaymentLink } from "@/lib/payment-links/resolve-payment-link";
import type { PayPageClinic } from "./get-pay-page";
import { maskEmail } from "@/lib/utils/mask-email";
import { receiptNumber } from "./receipt-number";

export type Receipt = {
  clinic: PayPageClinic;
  invoiceNumber: string | null;
  currency: string;
  amount: number;
  /** `authorized`: the card is on hold for `amount`; the clinic charges it later. */
  status: "succeeded" | "processing" | "authorized";
  cardBrand: string | null;
  cardLast4: string | null;
  paidAt: Date;
  /** The clinic's time zone, for showing paidAt. */
  timeZone: string;
  remainingBalance: number;
  receiptNumber: string;
  /** Where the receipt was emailed, masked (m•••@example.com), and whether it left already; null when none was emailed. */
  emailedTo: { maskedAddress: string; status: "sent" | "queued" } | null;
};

/**
 * A payment's receipt, reachable only through a live link of the same invoice. Null for any
 * mismatch, so a receipt id cannot be used to look at other payments.
 */
export async function getReceipt(db: Db, options: { token: string; paymentId: string }): Promise<Receipt | null> {
  const link = await resolvePaymentLink(db, options.token);
  if (!link.ok || !isRecordId(options.paymentId)) return null;
  // A payment of this invoice: started for it, or one that paid it (a front-desk payment over several invoices).
  const [payment, invoice] = await Promise.all([
    db.payment.findFirst({
      where: {
        id: options.paymentId,
        status: { in: ["succeeded", "processing", "requires_capture"] },
        OR: [{ invoiceId: link.invoiceId }, { allocations: { some: { invoiceId: link.invoiceId } } }],
      },
    }),
    db.invoice.findUnique({ where: { id: link.invoiceId }, include: { organization: { include: { logo: { select: { sha256: true } } } } } }),
  ]);
  if (!payment || !invoice) return null;
  const email = await db.email.findFirst({
    where: {
      organizationId: invoice.organizationId,
      kind: "receipt",
      status: { in: ["queued", "sent"] },
      attachments: { array_contains: [{ paymentId: payment.id }] },
    },
    orderBy: { createdAt: "desc" },
    select: { toAddress: true, status: true },
  });
  const { organization } = invoice;
  return {
    clinic: clinicContact(organization),
    invoiceNumber: invoice.number,
    currency: payment.currency,
    amount: payment.status === "succeeded" ? payment.amountReceived : payment.amount,
    status: payment.status === "succeeded" ? "succeeded" : payment.status === "requires_capture" ? "authorized" : "processing",
    cardBrand: payment.cardBrand,
    cardLast4: payment.cardLast4,
    paidAt: payment.succeededAt ?? payment.updatedAt,
    timeZone: organization.timezone,
    // A hold still counts against the balance: it is charged later, so it is not asked for again.
    remainingBalance: payment.status === "requires_capture" ? Math.max(0, invoice.amountDue - payment.amountCapturable) : invoice.amountDue,
    receiptNumber: receiptNumber(payment),
    emailedTo: email ? { maskedAddress: maskEmail(email.toAddress), status: email.status === "sent" ? "sent" : "queued" } : null,
  };
}
