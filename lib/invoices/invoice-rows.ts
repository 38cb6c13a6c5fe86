import type { Invoice, InvoiceLine } from "@/lib/db/generated/client";
import type { Sql } from "@/lib/db/sql";
import { fromIsoDate } from "./dates";
import { lockInvoiceRow } from "./lock-invoice";

/**
 * Invoices read and written with plain SQL (the `Sql` runner) in the shape Prisma gives them, for
 * the invoice API's hot path (create and finalize: bench/README.md). Each field of Prisma's
 * `Invoice` and `InvoiceLine` with its column and the column's SQL type (enums by their quoted
 * type name), which is also the cast of its parameter.
 */
type SqlType = "uuid" | "text" | "int" | "boolean" | "date" | "timestamptz" | `"${string}"`;

const INVOICE_FIELDS = {
  id: ["id", "uuid"],
  organizationId: ["organization_id", "uuid"],
  patientId: ["patient_id", "uuid"],
  number: ["number", "text"],
  status: ["status", '"InvoiceStatus"'],
  currency: ["currency", "text"],
  taxRateMilliPercent: ["tax_rate_milli_percent", "int"],
  discountType: ["discount_type", '"DiscountType"'],
  discountValue: ["discount_value", "int"],
  terms: ["terms", '"PaymentTerms"'],
  dueDate: ["due_date", "date"],
  memo: ["memo", "text"],
  subtotal: ["subtotal", "int"],
  discountTotal: ["discount_total", "int"],
  taxTotal: ["tax_total", "int"],
  total: ["total", "int"],
  amountPaid: ["amount_paid", "int"],
  amountWrittenOff: ["amount_written_off", "int"],
  amountCredited: ["amount_credited", "int"],
  amountDue: ["amount_due", "int"],
  disputed: ["disputed", "boolean"],
  finalizedAt: ["finalized_at", "timestamptz"],
  sentAt: ["sent_at", "timestamptz"],
  voidedAt: ["voided_at", "timestamptz"],
  voidReason: ["void_reason", "text"],
  uncollectibleAt: ["uncollectible_at", "timestamptz"],
  uncollectibleReason: ["uncollectible_reason", "text"],
  createdAt: ["created_at", "timestamptz"],
  updatedAt: ["updated_at", "timestamptz"],
} as const satisfies Record<keyof Invoice, readonly [string, SqlType]>;

const LINE_FIELDS = {
  id: ["id", "uuid"],
  invoiceId: ["invoice_id", "uuid"],
  position: ["position", "int"],
  description: ["description", "text"],
  serviceCode: ["service_code", "text"],
  quantity: ["quantity", "int"],
  unitAmount: ["unit_amount", "int"],
  taxExempt: ["tax_exempt", "boolean"],
  amount: ["amount", "int"],
  discountAmount: ["discount_amount", "int"],
  taxAmount: ["tax_amount", "int"],
} as const satisfies Record<keyof InvoiceLine, readonly [string, SqlType]>;

export type InvoiceWithLines = Invoice & { lines: InvoiceLine[] };

/**
 * A column as the select list returns it: uuids and enums as text, dates as YYYY-MM-DD text (`pg`
 * and Prisma differ on date columns: local vs UTC midnight), the rest as they are.
 */
function selected(qualified: string, type: SqlType): string {
  if (type === "date") return `to_char(${qualified}, 'YYYY-MM-DD')`;
  return type === "uuid" || type.startsWith('"') ? `${qualified}::text` : qualified;
}

/** The select list for `alias`'s invoice fields and its lines (as one json array, by position). */
function invoiceSelectList(alias: string): string {
  const fields = Object.entries(INVOICE_FIELDS).map(([field, [column, type]]) => `${selected(`${alias}.${column}`, type)} AS "${field}"`);
  const lineObject = Object.entries(LINE_FIELDS)
    .map(([field, [column, type]]) => `'${field}', ${selected(`line.${column}`, type)}`)
    .join(", ");
  const lines = `(SELECT coalesce(json_agg(json_build_object(${lineObject}) ORDER BY line.position), '[]'::json) FROM invoice_lines line WHERE line.invoice_id = ${alias}.id) AS "lines"`;
  return [...fields, lines].join(", ");
}

function toInvoice(row: Record<string, unknown>): InvoiceWithLines {
  const dueDate = row.dueDate as string | null;
  return { ...(row as unknown as InvoiceWithLines), dueDate: dueDate === null ? null : fromIsoDate(dueDate) };
}

export type LockedDraftContext = {
  invoice: InvoiceWithLines;
  timezone: string;
  autoApplyCredit: boolean;
  /** The patient's credit in the invoice's currency (0 without a balance row). */
  patientCredit: number;
};

/**
 * Locks one invoice of this organization (lockInvoiceRow), then reads it with its lines, its
 * organization's time zone and credit setting, and the patient's credit. Two statements on purpose:
 * reading in the locking statement could pair new totals with replaced lines.
 */
export async function lockInvoiceForFinalize(sql: Sql, options: { id: string; organizationId: string }): Promise<LockedDraftContext> {
  await lockInvoiceRow(sql, options);
  const [row] = await sql.query<Record<string, unknown> & { orgTimezone: string; orgAutoApplyCredit: boolean; patientCredit: number | null }>(
    `SELECT ${invoiceSelectList("invoice")}, organization.timezone AS "orgTimezone", organization.auto_apply_credit AS "orgAutoApplyCredit",
            (SELECT credit.balance FROM patient_credit_balances credit WHERE credit.patient_id = invoice.patient_id AND credit.currency = invoice.currency) AS "patientCredit"
     FROM invoices invoice JOIN organizations organization ON organization.id = invoice.organization_id
     WHERE invoice.id = $1::uuid`,
    [options.id],
  );
  if (!row) throw new Error(`invoice ${options.id}: locked but not found`);
  const { orgTimezone, orgAutoApplyCredit, patientCredit, ...invoice } = row;
  return { invoice: toInvoice(invoice), timezone: orgTimezone, autoApplyCredit: orgAutoApplyCredit, patientCredit: patientCredit ?? 0 };
}

/** Queues the INSERT of a new invoice and its lines (one batched write with the caller's others). */
export async function insertInvoice(sql: Sql, invoice: InvoiceWithLines): Promise<void> {
  const fields = Object.entries(INVOICE_FIELDS) as [keyof Invoice, (typeof INVOICE_FIELDS)[keyof Invoice]][];
  const values = fields.map(([field, [, type]]) => {
    const value = invoice[field];
    if (value instanceof Date) return type === "date" ? value.toISOString().slice(0, 10) : value.toISOString();
    return value;
  });
  await sql.write(
    `INSERT INTO invoices (${fields.map(([, [column]]) => column).join(", ")}) VALUES (${fields.map(([, [, type]], index) => `$${index + 1}::${type}`).join(", ")})`,
    values,
  );
  if (invoice.lines.length === 0) return;
  const lineFields = Object.entries(LINE_FIELDS) as [keyof InvoiceLine, (typeof LINE_FIELDS)[keyof InvoiceLine]][];
  await sql.write(
    `INSERT INTO invoice_lines (${lineFields.map(([, [column]]) => column).join(", ")})
     SELECT * FROM unnest(${lineFields.map(([, [, type]], index) => `$${index + 1}::${type}[]`).join(", ")})`,
    lineFields.map(([field]) => invoice.lines.map((line) => line[field])),
  );
}
