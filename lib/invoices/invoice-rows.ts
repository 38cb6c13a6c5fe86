import type { Invoice, InvoiceLine } from "@/lib/db/generated/client";
import type { Sql } from "@/lib/db/sql";
import { fromIsoDate } from "./dates";
import { lockInvoiceRow } from "./lock-invoice";

/**
 * Invoices read and written with plain SQL (the `Sql` runner) in the shape Prisma gives them, for
 * the invoice API's hot path (create and finalize: bench/README.md). Each field of Prisma's
 * `Invoice` with its column and how it comes back from PostgreSQL.
 */
const INVOICE_FIELDS = {
  id: ["id", "uuid"],
  organizationId: ["organization_id", "uuid"],
  patientId: ["patient_id", "uuid"],
  number: ["number", "text"],
  status: ["status", "enum"],
  currency: ["currency", "text"],
  taxRateMilliPercent: ["tax_rate_milli_percent", "int"],
  discountType: ["discount_type", "enum"],
  discountValue: ["discount_value", "int"],
  terms: ["terms", "enum"],
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
  disputed: ["disputed", "bool"],
  finalizedAt: ["finalized_at", "timestamptz"],
  sentAt: ["sent_at", "timestamptz"],
  voidedAt: ["voided_at", "timestamptz"],
  voidReason: ["void_reason", "text"],
  uncollectibleAt: ["uncollectible_at", "timestamptz"],
  uncollectibleReason: ["uncollectible_reason", "text"],
  createdAt: ["created_at", "timestamptz"],
  updatedAt: ["updated_at", "timestamptz"],
} as const satisfies Record<keyof Invoice, readonly [string, "uuid" | "text" | "enum" | "int" | "bool" | "date" | "timestamptz"]>;

const LINE_FIELDS = {
  id: "id",
  invoiceId: "invoice_id",
  position: "position",
  description: "description",
  serviceCode: "service_code",
  quantity: "quantity",
  unitAmount: "unit_amount",
  taxExempt: "tax_exempt",
  amount: "amount",
  discountAmount: "discount_amount",
  taxAmount: "tax_amount",
} as const satisfies Record<keyof InvoiceLine, string>;

export type InvoiceWithLines = Invoice & { lines: InvoiceLine[] };

/**
 * The select list for `alias`'s invoice fields and its lines (as one json array, by position).
 * Date columns come back as text: `pg` and Prisma differ on them (local vs UTC midnight).
 */
function invoiceSelectList(alias: string): string {
  const fields = Object.entries(INVOICE_FIELDS).map(([field, [column, kind]]) => {
    const value = kind === "date" ? `to_char(${alias}.${column}, 'YYYY-MM-DD')` : kind === "uuid" || kind === "enum" ? `${alias}.${column}::text` : `${alias}.${column}`;
    return `${value} AS "${field}"`;
  });
  const lineObject = Object.entries(LINE_FIELDS)
    .map(([field, column]) => `'${field}', line.${column}${column === "id" || column === "invoice_id" ? "::text" : ""}`)
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
  const columns = Object.values(INVOICE_FIELDS);
  const placeholders = columns.map(([, kind], index) => {
    const cast = { uuid: "uuid", text: "text", int: "int", bool: "boolean", date: "date", timestamptz: "timestamptz", enum: "" }[kind];
    return cast ? `$${index + 1}::${cast}` : `$${index + 1}`;
  });
  // Enums: the column's own type, cast by name.
  const enumTypes: Partial<Record<keyof Invoice, string>> = { status: "InvoiceStatus", discountType: "DiscountType", terms: "PaymentTerms" };
  const fields = Object.keys(INVOICE_FIELDS) as (keyof Invoice)[];
  const values = fields.map((field) => {
    const value = invoice[field];
    if (value instanceof Date) return INVOICE_FIELDS[field][1] === "date" ? value.toISOString().slice(0, 10) : value.toISOString();
    return value;
  });
  const typed = placeholders.map((placeholder, index) => {
    const enumType = enumTypes[fields[index]!];
    return enumType ? `${placeholder}::"${enumType}"` : placeholder;
  });
  await sql.write(`INSERT INTO invoices (${columns.map(([column]) => column).join(", ")}) VALUES (${typed.join(", ")})`, values);
  if (invoice.lines.length === 0) return;
  const lineColumns = Object.values(LINE_FIELDS);
  const lineFields = Object.keys(LINE_FIELDS) as (keyof InvoiceLine)[];
  const arrayTypes: Record<keyof InvoiceLine, string> = {
    id: "uuid[]",
    invoiceId: "uuid[]",
    position: "int[]",
    description: "text[]",
    serviceCode: "text[]",
    quantity: "int[]",
    unitAmount: "int[]",
    taxExempt: "boolean[]",
    amount: "int[]",
    discountAmount: "int[]",
    taxAmount: "int[]",
  };
  await sql.write(
    `INSERT INTO invoice_lines (${lineColumns.join(", ")})
     SELECT * FROM unnest(${lineFields.map((field, index) => `$${index + 1}::${arrayTypes[field]}`).join(", ")})`,
    lineFields.map((field) => invoice.lines.map((line) => line[field])),
  );
}
