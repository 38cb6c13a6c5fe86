import { revalidatePath } from "next/cache";

/** After a capture or release: the payment, its invoice, the payments list (holds) and the dashboard. */
export function revalidatePaymentPages(paymentId: string, invoiceId: string) {
  revalidatePath(`/app/payments/${paymentId}`);
  revalidatePath(`/app/invoices/${invoiceId}`);
  revalidatePath("/app/payments");
  revalidatePath("/app");
}
