import type { Prisma } from "@/lib/db/generated/client";
import { escapeLike, type SearchText } from "./search-text";

/*
 * The one search predicate of the staff lists and the global search. Each list matches its own
 * number (and amount where people search by it) or its patient by name, email, phone or MRN; the
 * patient part is written once, below. Prisma sends every value as a parameter; LIKE wildcards in
 * the text are escaped. Callers always add the organization to the same `where`.
 */

const insensitive = (text: string) => ({ contains: escapeLike(text), mode: "insensitive" as const });

/** A patient whose name, email or MRN holds every word, or whose phone holds the digits typed. */
export function patientSearchWhere(search: SearchText): Prisma.PatientWhereInput {
  const byWords: Prisma.PatientWhereInput = {
    AND: search.terms.map((term) => ({
      OR: [{ firstName: insensitive(term) }, { lastName: insensitive(term) }, { email: insensitive(term) }, { externalId: insensitive(term) }],
    })),
  };
  return search.phoneLike ? { OR: [byWords, { phoneDigits: { contains: search.digits } }] } : byWords;
}

/** A document number ("INV-00012", "CN-00003") holding the digits typed; null when none were typed. */
function numberWhere(search: SearchText): { contains: string } | null {
  return search.numberDigits ? { contains: search.numberDigits } : null;
}

/** An invoice by its number or its patient. */
export function invoiceSearchWhere(search: SearchText): Prisma.InvoiceWhereInput {
  const number = numberWhere(search);
  return { OR: [...(number ? [{ number }] : []), { patient: patientSearchWhere(search) }] };
}

/** A payment by the number of an invoice it paid, its patient, or its amount ("150", "$150.00"). */
export function paymentSearchWhere(search: SearchText): Prisma.PaymentWhereInput {
  const number = numberWhere(search);
  return {
    OR: [
      ...(number ? [{ invoice: { number } }, { allocations: { some: { invoice: { number } } } }] : []),
      { patient: patientSearchWhere(search) },
      ...(search.amount !== null ? [{ amount: search.amount }, { amountReceived: search.amount }] : []),
    ],
  };
}

/** A dispute by its invoice's number, the invoice's patient, or its amount. */
export function disputeSearchWhere(search: SearchText): Prisma.DisputeWhereInput {
  const number = numberWhere(search);
  return {
    OR: [
      ...(number ? [{ invoice: { number } }] : []),
      { invoice: { patient: patientSearchWhere(search) } },
      ...(search.amount !== null ? [{ amount: search.amount }] : []),
    ],
  };
}

/** A credit note by its own number, its invoice's number, or its patient. */
export function creditNoteSearchWhere(search: SearchText): Prisma.CreditNoteWhereInput {
  const number = numberWhere(search);
  return {
    OR: [...(number ? [{ number }, { invoice: { number } }] : []), { patient: patientSearchWhere(search) }],
  };
}
