import type { PaymentDisplayState } from "@/lib/payments/payment-display-state";
import { Badge } from "@/components/ui/badge";

/** A payment's state as a badge, from its display state (lib/payments/payment-display-state.ts, which knows refunds). */
export function PaymentStatusBadge(props: { state: PaymentDisplayState; className?: string }) {
  return (
    <Badge variant={props.state.tone} className={props.className} data-testid="payment-status-badge">
      {props.state.label}
    </Badge>
  );
}

export function paymentMethodLabel(payment: { methodType: string; cardBrand: string | null; cardLast4: string | null }) {
  if (payment.cardLast4) return `${(payment.cardBrand ?? "card").replace(/^\w/, (letter) => letter.toUpperCase())} •••• ${payment.cardLast4}`;
  return payment.methodType.replace("_", " ").replace(/^\w/, (letter) => letter.toUpperCase());
}
