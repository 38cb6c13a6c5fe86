import type { Db } from "@/lib/db/client";
import { toInvoiceView } from "@/lib/invoices/to-invoice-view";
import type { InvoiceView } from "@/lib/invoices/invoices.types";
import { clinicContact, getClinicContact, type ClinicContact } from "@/lib/organizations/clinic-contact";
import { resolvePaymentLink } from "@/lib/payment-links/resolve-payment-link";
import { heldAmounts } from "./authorization-hold";
import { minimumCardPayment } from "@/lib/money/card-minimum";
import { getInvoiceRefundTotals } from "@/lib/invoices/get-invoice-refund-totals";
import type { InvoiceRefundTotals } from "@/lib/invoices/invoice-paid-figures";

export type PayPageClinic = ClinicContact;

export type PayPage =
  /** `clinic`: whose link it was, when the link says so (expired, revoked); null when it cannot be told. */
  | { kind: "problem"; reason: "invalid" | "expired" | "revoked"; clinic: PayPageClinic | null }
  | {
      kind: "payable" | "paid" | "closed";
      linkId: string;
      clinic: PayPageClinic;
      invoice: InvoiceView;
      /** The invoice's card refunds, for its totals (paid, refunded, net paid). */
      refunds: InvoiceRefundTotals;
      patientFirstName: string;
      minimumAmount: number;
      /** The clinic only authorizes cards now and charges them later (organization.cardCaptureMethod = manual). */
      authorizeOnly: boolean;
      /** Card holds on this invoice the clinic has not captured yet: not asked for again. */
      heldAmount: number;
      /** The latest successful payment, for the receipt link on a paid invoice. */
      lastPaymentId: string | null;
    };

/**
 * Everything the public pay page may show for a token: nothing at all for a tampered, expired or
 * revoked link; otherwise the invoice summary in the clinic's name. Only the patient's first
 * name is exposed: the link may be forwarded.
 */
export async function getPayPage(db: Db, token: string): Promise<PayPage> {
  const link = await resolvePaymentLink(db, token);
  if (!link.ok) return { kind: "problem", reason: link.reason, clinic: link.organizationId ? await getClinicContact(db, link.organizationId) : null };
  const invoice = await db.invoice.findUniqueOrThrow({
    where: { id: link.invoiceId },
    include: { lines: true, organization: { include: { logo: { select: { sha256: true } } } }, patient: { select: { firstName: true } } },
  });
  const [held, refunds] = await Promise.all([heldAmounts(db, [invoice.id]), getInvoiceRefundTotals(db, invoice.id)]);
  const lastPayment = await db.payment.findFirst({
    where: { invoiceId: invoice.id, status: "succeeded" },
    orderBy: { succeededAt: "desc" },
    select: { id: true },
  });
  const organization = invoice.organization;
  const kind = invoice.status === "paid" ? "paid" : invoice.status === "open" || invoice.status === "partially_paid" ? "payable" : "closed";
  return {
    kind,
    linkId: link.linkId,
    clinic: clinicContact(organization),
    invoice: toInvoiceView(invoice, organization.timezone),
    refunds,
    patientFirstName: invoice.patient.firstName,
    minimumAmount: minimumCardPayment(invoice.currency),
    authorizeOnly: organization.cardCaptureMethod === "manual",
    heldAmount: held.get(invoice.id) ?? 0,
    lastPaymentId: lastPayment?.id ?? null,
  };
}
