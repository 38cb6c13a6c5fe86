import Link from "next/link";
import { HandCoins } from "lucide-react";
import { buttonVariants } from "@/components/ui/button";
import { cn } from "@/lib/utils/cn";

/**
 * "Record payment" for money received at the front desk. With an invoice, shown only while it
 * can take a payment: open, partly paid, or written off (a payment recovers the write-off).
 */
export function RecordPaymentLink(props: {
  invoice?: { id: string; status: string; amountDue: number; amountWrittenOff: number };
  patientId?: string;
  variant?: "default" | "outline";
  className?: string;
}) {
  const { invoice } = props;
  if (invoice) {
    const receivable =
      invoice.status === "open" || invoice.status === "partially_paid"
        ? invoice.amountDue > 0
        : invoice.status === "uncollectible" && invoice.amountWrittenOff + invoice.amountDue > 0;
    if (!receivable) return null;
  }
  const href = invoice ? `/app/payments/new?invoiceId=${invoice.id}` : props.patientId ? `/app/payments/new?patientId=${props.patientId}` : "/app/payments/new";
  return (
    <Link href={href} className={cn(buttonVariants({ variant: props.variant ?? "outline" }), props.className)}>
      <HandCoins aria-hidden="true" /> Record payment
    </Link>
  );
}
