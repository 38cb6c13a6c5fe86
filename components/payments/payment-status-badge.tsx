import { PAYMENT_STATUS_LABELS, type PaymentDisplayState } from "@/lib/payments/payment-display-state";
import { Badge } from "@/components/ui/badge";

/**
 * A payment's state as a badge: pass the display state (lib/payments/payment-display-state.ts, which
 * knows refunds) or, where refunds cannot apply, the bare status.
 */
export function PaymentStatusBadge(props: ({ state: PaymentDisplayState } | { status: string }) & { className?: string }) {
  const entry =
    "state" in props
      ? { label: props.state.label, tone: props.state.tone }
      : (PAYMENT_STATUS_LABELS[props.status as keyof typeof PAYMENT_STATUS_LABELS] ?? { label: "Unknown", tone: "outline" as const });
  return (
    <Badge variant={entry.tone} className={props.className} data-testid="payment-status-badge">
      {entry.label}
    </Badge>
  );
}

export function paymentMethodLabel(payment: { methodType: string; cardBrand: string | null; cardLast4: string | null }) {
  if (payment.cardLast4) return `${(payment.cardBrand ?? "card").replace(/^\w/, (letter) => letter.toUpperCase())} •••• ${payment.cardLast4}`;
  return payment.methodType.replace("_", " ").replace(/^\w/, (letter) => letter.toUpperCase());
}
