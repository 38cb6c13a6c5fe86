import { z } from "zod";
import { AGE_FILTERS } from "@/lib/analytics/aging-buckets";
import { zListPageFields } from "@/lib/search/list-sort";
import { isValidCurrency, MAX_AMOUNT } from "@/lib/money/currency";
import { ZCalendarDate, zMultilineText, zSingleLineText } from "@/lib/validation/fields";

/** A percentage with at most three decimals, 0–100 (8.25 means 8.25%). */
const ZPercent = z
  .number({ message: "Enter a percentage as a number, e.g. 8.25." })
  .min(0, "Cannot be negative.")
  .max(100, "Cannot exceed 100%.")
  .refine((value) => Math.abs(value * 1000 - Math.round(value * 1000)) < 1e-6, "Use at most three decimals.");

const ZMinorUnits = z
  .number({ message: "Enter an amount in minor units (cents), e.g. 1999." })
  .int("Amounts are whole minor units (cents); fractions of a cent are not allowed.")
  .min(0, "Cannot be negative.")
  .max(MAX_AMOUNT, `Cannot exceed ${MAX_AMOUNT.toLocaleString("en-US")} minor units.`);

export const ZInvoiceLineInput = z.object({
  description: zSingleLineText().min(1, "Describe the service.").max(500, "Keep the description under 500 characters."),
  serviceCode: z
    .string()
    .trim()
    .toUpperCase()
    .max(20)
    .regex(/^[A-Z0-9.-]*$/, "Use letters and digits, e.g. 99213.")
    .transform((value) => (value === "" ? null : value))
    .nullable()
    .optional(),
  quantity: z.number({ message: "Enter a quantity." }).int("Quantity must be a whole number.").min(1, "Quantity must be at least 1.").max(10_000),
  unitAmount: ZMinorUnits,
  taxExempt: z.boolean().default(false),
});
export type TInvoiceLineInput = z.input<typeof ZInvoiceLineInput>;

export const ZDiscountInput = z.union([z.object({ percent: ZPercent }).strict(), z.object({ amount: ZMinorUnits }).strict()]);

export const PAYMENT_TERMS = ["due_on_receipt", "net_15", "net_30", "custom"] as const;
export const ZPaymentTerms = z.enum(PAYMENT_TERMS, { message: "Choose due on receipt, net 15, net 30 or custom." });

const invoiceFields = {
  currency: z.string().trim().toUpperCase().refine(isValidCurrency, "Use an ISO 4217 currency code, e.g. USD."),
  terms: ZPaymentTerms,
  /** Only with custom terms (setting a due date implies them). */
  dueDate: ZCalendarDate.nullable().describe("YYYY-MM-DD: the clinic's calendar date in the organization's time zone; null for due on receipt"),
  taxRate: ZPercent,
  discount: ZDiscountInput.nullable(),
  memo: zMultilineText()
    .max(2000, "Keep the memo under 2,000 characters.")
    .transform((value) => (value === "" ? null : value))
    .nullable(),
  lines: z.array(ZInvoiceLineInput).max(100, "An invoice can have at most 100 lines."),
};

export const ZCreateInvoiceInput = z
  .object({ patientId: z.string().uuid("Unknown patient."), ...invoiceFields })
  .partial({ currency: true, terms: true, dueDate: true, taxRate: true, discount: true, memo: true })
  .extend({ lines: invoiceFields.lines.default([]) });
export type TCreateInvoiceInput = z.input<typeof ZCreateInvoiceInput>;

export const ZUpdateInvoiceInput = z.object(invoiceFields).partial();
export type TUpdateInvoiceInput = z.input<typeof ZUpdateInvoiceInput>;

export const INVOICE_STATUSES = ["draft", "open", "partially_paid", "paid", "void", "uncollectible"] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

/** The columns the invoices list sorts by; each with its first-click direction. */
export const INVOICE_SORT_DIRECTIONS = { created: "desc", number: "desc", patient: "asc", due: "asc", total: "desc", balance: "desc" } as const;
export type InvoiceSortColumn = keyof typeof INVOICE_SORT_DIRECTIONS;

export const ZListInvoicesInput = z.object({
  /** Besides the statuses: "outstanding" (open or partly paid) and "overdue" (outstanding and past due). */
  status: z.enum([...INVOICE_STATUSES, "outstanding", "overdue"]).optional(),
  patientId: z.string().uuid().optional(),
  createdFrom: z.date().optional(),
  createdTo: z.date().optional(),
  /** Open or partly paid invoices of one aging bucket today (days past the invoice date, lib/analytics/aging-buckets.ts). */
  age: z.enum(AGE_FILTERS).optional(),
  /** Invoices finalized on these clinic calendar days (both inclusive). */
  finalizedFrom: ZCalendarDate.optional(),
  finalizedTo: ZCalendarDate.optional(),
  /** Matches the invoice number (e.g. "INV-00012" or "12"). */
  number: zSingleLineText().max(20).optional(),
  /** Invoice number or the patient's name, email, phone or MRN (lib/search). */
  query: zSingleLineText().max(100).optional(),
  ...zListPageFields(INVOICE_SORT_DIRECTIONS, "created"),
});
export type TListInvoicesInput = z.input<typeof ZListInvoicesInput>;

export const ZInvoiceLineView = z.object({
  id: z.string().uuid(),
  position: z.number().int(),
  description: z.string(),
  serviceCode: z.string().nullable(),
  quantity: z.number().int(),
  unitAmount: z.number().int().describe("Minor units"),
  taxExempt: z.boolean(),
  amount: z.number().int().describe("quantity × unitAmount, minor units"),
  discountAmount: z.number().int(),
  taxAmount: z.number().int(),
});
export type InvoiceLineView = z.infer<typeof ZInvoiceLineView>;

const minorUnits = (description: string) => z.number().int().describe(`${description}, minor units`);

/** An invoice as the app and the API show it (also the API's response schema). */
export const ZInvoiceView = z.object({
  id: z.string().uuid(),
  number: z.string().nullable().describe("INV-00001; null while draft"),
  status: z.enum(INVOICE_STATUSES),
  overdue: z.boolean().describe("Open or partially paid and past its due date"),
  patientId: z.string().uuid(),
  currency: z.string().describe("ISO 4217"),
  terms: z.enum(PAYMENT_TERMS),
  dueDate: z.string().nullable().describe("YYYY-MM-DD: the clinic's calendar date in the organization's time zone"),
  taxRate: z.number().describe("Percent, e.g. 8.25"),
  discount: z.union([z.object({ percent: z.number() }), z.object({ amount: z.number().int() })]).nullable(),
  memo: z.string().nullable(),
  subtotal: minorUnits("Sum of line amounts"),
  discountTotal: minorUnits("Discount before tax"),
  taxTotal: minorUnits("Tax"),
  total: minorUnits("subtotal − discountTotal + taxTotal"),
  amountPaid: minorUnits("Paid so far"),
  amountWrittenOff: minorUnits("Written off as uncollectible"),
  amountCredited: minorUnits("Taken off what is owed by credit notes"),
  disputed: z.boolean().describe("A payment for this invoice has an open chargeback or inquiry"),
  amountDue: minorUnits("Still owed"),
  lines: z.array(ZInvoiceLineView),
  finalizedAt: z.string().datetime().nullable(),
  sentAt: z.string().datetime().nullable(),
  voidedAt: z.string().datetime().nullable(),
  voidReason: z.string().nullable(),
  uncollectibleAt: z.string().datetime().nullable(),
  uncollectibleReason: z.string().nullable(),
  createdAt: z.string().datetime(),
  updatedAt: z.string().datetime(),
});
export type InvoiceView = z.infer<typeof ZInvoiceView>;
