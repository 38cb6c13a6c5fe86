import { Badge, type BadgeProps } from "@/components/ui/badge";

const LABELS: Record<string, { label: string; variant: BadgeProps["variant"] }> = {
  succeeded: { label: "Succeeded", variant: "success" },
  processing: { label: "Processing", variant: "warning" },
  requires_capture: { label: "Authorized", variant: "warning" },
  requires_action: { label: "Needs authentication", variant: "warning" },
  requires_payment_method: { label: "Not completed", variant: "secondary" },
  requires_confirmation: { label: "Not completed", variant: "secondary" },
  failed: { label: "Declined", variant: "destructive" },
  canceled: { label: "Canceled", variant: "outline" },
  voided: { label: "Voided", variant: "outline" },
};

export function PaymentStatusBadge({ status }: { status: string }) {
  const entry = LABELS[status] ?? { label: status, variant: "outline" as const };
  return <Badge variant={entry.variant}>{entry.label}</Badge>;
}

export function paymentMethodLabel(payment: { methodType: string; cardBrand: string | null; cardLast4: string | null }) {
  if (payment.cardLast4) return `${(payment.cardBrand ?? "card").replace(/^\w/, (letter) => letter.toUpperCase())} •••• ${payment.cardLast4}`;
  return payment.methodType.replace("_", " ").replace(/^\w/, (letter) => letter.toUpperCase());
}
