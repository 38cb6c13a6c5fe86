const METHOD_LABELS = {
  cash: "Cash",
  check: "Check",
  card_terminal: "Card (terminal)",
  bank_transfer: "Bank transfer",
  card: "Card",
  us_bank_account: "Bank account",
} as const;

/** How a payment was made, as printed on receipts and invoices ("Check no. 1042", "Visa •••• 4242", "Bank transfer, ref. …"). */
export function methodLabel(payment: {
  methodType: keyof typeof METHOD_LABELS;
  reference: string | null;
  cardBrand: string | null;
  cardLast4: string | null;
}): string {
  if (payment.methodType === "check") {
    // Staff type "1042", "#1042" or "Check #1042": print the number once.
    const number = payment.reference?.replace(/^\s*(check\b\s*)?(no\.\s*|no\s+|#\s*)?/i, "").trim();
    return number ? `Check no. ${number}` : "Check";
  }
  if (payment.methodType === "bank_transfer") return payment.reference ? `Bank transfer, ref. ${payment.reference}` : "Bank transfer";
  if (payment.cardLast4) {
    const brand = payment.cardBrand ? payment.cardBrand.charAt(0).toUpperCase() + payment.cardBrand.slice(1) : "Card";
    return `${brand} •••• ${payment.cardLast4}`;
  }
  return payment.reference ? `${METHOD_LABELS[payment.methodType]}, ref. ${payment.reference}` : METHOD_LABELS[payment.methodType];
}
