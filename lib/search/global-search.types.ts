import { z } from "zod";
import type { PaymentDisplayState } from "@/lib/payments/payment-display-state";
import { zSingleLineText } from "@/lib/validation/fields";

export const ZGlobalSearchInput = z.object({ query: zSingleLineText().max(100) });
export type TGlobalSearchInput = z.input<typeof ZGlobalSearchInput>;

/** At most this many results per group: enough to pick from, few enough to read. */
export const GLOBAL_SEARCH_GROUP_LIMIT = 8;

export type GlobalSearchResults = {
  patients: { id: string; name: string; externalId: string | null; email: string | null; phone: string | null; archived: boolean }[];
  invoices: { id: string; number: string | null; status: string; patientName: string; currency: string; total: number; amountDue: number }[];
  payments: {
    id: string;
    /** Its state in words, refunds included, as the payments list shows it. */
    display: PaymentDisplayState;
    methodType: string;
    cardBrand: string | null;
    cardLast4: string | null;
    currency: string;
    amount: number;
    createdAt: string;
    /** The day it was made, in the clinic's time zone ("Dec 4, 2026"). */
    createdOn: string;
    patientName: string | null;
    invoiceNumber: string | null;
  }[];
};
