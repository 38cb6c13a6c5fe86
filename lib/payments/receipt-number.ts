/** The short number printed on a payment's receipt (and in the receipt email): its id's first 8 characters. */
export function receiptNumber(paymentId: string): string {
  return paymentId.slice(0, 8).toUpperCase();
}
