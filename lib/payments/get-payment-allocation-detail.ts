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
  const [allocations, recordedBy] = await Promise.all([
    getPaymentAllocations(db, payment),
    payment.recordedById ? db.user.findUnique({ where: { id: payment.recordedById }, select: { name: true } }) : null,
  ]);
  return { payment, recordedByName: recordedBy?.name ?? null, allocations };
}
