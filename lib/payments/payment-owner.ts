/**
 * Today's payments (card and front desk) each belong to one patient; a card payment to the invoice
 * it was started for unless it is a prepayment (collected at the desk for no invoice: everything
 * it received became the patient's credit). The schema also allows payments that belong to no
 * patient (an insurer's remittance, a plan's charge), so code that handles a patient's payment
 * says so here. The database refuses a card or manual payment without them (`payments_owner_known`,
 * `payments_prepayment_valid`).
 */
export function patientPayment<T extends { id: string; patientId: string | null }>(payment: T): T & { patientId: string } {
  if (payment.patientId === null) throw new Error(`payment ${payment.id} belongs to no single patient`);
  return payment as T & { patientId: string };
}

/** A patient's card payment started for one invoice (not a prepayment): the pay page's, a capture, an attempt. */
export function invoicePayment<T extends { id: string; patientId: string | null; invoiceId: string | null }>(
  payment: T,
): T & { patientId: string; invoiceId: string } {
  if (payment.patientId === null || payment.invoiceId === null) throw new Error(`payment ${payment.id} belongs to no single patient and invoice`);
  return payment as T & { patientId: string; invoiceId: string };
}

/**
 * A front-desk payment: one patient's, with or without an invoice (a prepayment pays none and goes
 * wholly to the patient's credit). What it paid is in its allocations.
 */
export const patientManualPayment = patientPayment;
