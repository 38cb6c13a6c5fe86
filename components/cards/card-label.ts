/** "Visa •••• 4242, expires 12/2034": how a card on file is named everywhere (brand, last 4, expiry; nothing more). */
export function cardLabel(card: { brand: string; last4: string; expMonth: number; expYear: number }): string {
  return `${cardBrand(card.brand)} •••• ${card.last4}, expires ${String(card.expMonth).padStart(2, "0")}/${card.expYear}`;
}

const BRANDS: Record<string, string> = {
  visa: "Visa",
  mastercard: "Mastercard",
  amex: "American Express",
  discover: "Discover",
  jcb: "JCB",
  diners: "Diners Club",
  unionpay: "UnionPay",
};

export function cardBrand(brand: string): string {
  return BRANDS[brand] ?? brand.replace(/^\w/, (letter) => letter.toUpperCase());
}
