import type { Db } from "@/lib/db/client";
import { getPaymentAllocations } from "./payment-view";

/**
 * Where a payment's money went, each invoice with what it still owes now, and who recorded it
 * (front-desk payments). Null for another organization's payment.
 */
export async function getPaymentAllocationDetail(db: Db, options: { organizationId: string; paymentId: string }) {
  const payment = await db.payment.findFirst({
    where: { id: options.paymentId, organizationId: options.organizationId },
    include: { patient: { select: { email: true } } },
  });
  if (!payment) return null;
  const allocations = await getPaymentAllocations(db, payment);
  const [invoices, recordedBy] = await Promise.all([
    db.invoice.findMany({
      where: { id: { in: allocations.map((allocation) => allocation.invoiceId) }, organizationId: options.organizationId },
      select: { id: true, status: true, amountDue: true, amountWrittenOff: true },
    }),
    payment.recordedById ? db.user.findUnique({ where: { id: payment.recordedById }, select: { name: true } }) : null,
  ]);
  const byId = new Map(invoices.map((invoice) => [invoice.id, invoice]));
  return {
    payment,
    recordedByName: recordedBy?.name ?? null,
    /** `invoice` is null only if the invoice is not the organization's (never, in a consistent database). */
    allocations: allocations.map((allocation) => ({ ...allocation, invoice: byId.get(allocation.invoiceId) ?? null })),
  };
}
