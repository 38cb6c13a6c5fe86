import { randomUUID } from "node:crypto";
import type { Db } from "@/lib/db/client";
import { pgTransaction, sql, type Sql } from "@/lib/db/sql";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { AppError } from "@/lib/errors";
import { fromIsoDate } from "./dates";
import { computeDraftTotals, discountColumns, lineRows } from "./draft-content";
import { insertInvoice, type InvoiceWithLines } from "./invoice-rows";
import { ZCreateInvoiceInput, type InvoiceView, type TCreateInvoiceInput } from "./invoices.types";
import { toInvoiceView } from "./to-invoice-view";

/**
 * Creates a draft invoice for a patient of this organization, in the organization's currency
 * unless another is given. Totals are computed here from the lines.
 */
export async function createInvoice(db: Db, options: { organizationId: string; actor: AuditActor; input: TCreateInvoiceInput }): Promise<InvoiceView> {
  const input = ZCreateInvoiceInput.parse(options.input);
  // A plain `pg` transaction (as the webhook's): one read, one batched write, COMMIT.
  return pgTransaction(db, async (runner) => {
    const { invoice, timezone } = await createInvoiceIn(runner, { ...options, input, now: new Date() });
    return toInvoiceView(invoice, timezone);
  });
}

/**
 * createInvoice inside the caller's `pg` transaction (a membership period's invoice is written with
 * its period and charge, all or nothing): the same checks, row and audit event, dated `now`.
 */
export async function createInvoiceIn(
  runner: Sql,
  options: { organizationId: string; actor: AuditActor; input: TCreateInvoiceInput; now: Date },
): Promise<{ invoice: InvoiceWithLines; timezone: string }> {
  const input = ZCreateInvoiceInput.parse(options.input);
  const terms = input.dueDate ? "custom" : (input.terms ?? "due_on_receipt");
  if (terms === "custom" && !input.dueDate) {
    throw new AppError("VALIDATION_FAILED", "Custom terms need a due date.", { fields: { dueDate: ["Choose a due date."] } });
  }
  const content = { lines: input.lines, taxRateMilliPercent: Math.round((input.taxRate ?? 0) * 1000), discount: input.discount ?? null };
  const totals = computeDraftTotals(content);
  const [found] = await runner.query<{ patientId: string; archived: boolean; currency: string; timezone: string }>(
    sql`SELECT patient.id::text AS "patientId", patient.archived_at IS NOT NULL AS archived, organization.currency, organization.timezone
     FROM patients patient JOIN organizations organization ON organization.id = patient.organization_id
     WHERE patient.id = ${input.patientId}::uuid AND patient.organization_id = ${options.organizationId}::uuid`,
  );
  if (!found) {
    throw new AppError("VALIDATION_FAILED", "That patient does not exist.", { fields: { patientId: ["Unknown patient."] } });
  }
  if (found.archived) {
    throw new AppError("CONFLICT", "This patient is archived. Restore them before billing.", { fields: { patientId: ["The patient is archived."] } });
  }
  const id = randomUUID();
  const now = options.now;
  const invoice: InvoiceWithLines = {
    id,
    organizationId: options.organizationId,
    patientId: found.patientId,
    number: null,
    status: "draft",
    currency: input.currency ?? found.currency,
    taxRateMilliPercent: content.taxRateMilliPercent,
    ...discountColumns(content.discount),
    terms,
    dueDate: input.dueDate ? fromIsoDate(input.dueDate) : null,
    memo: input.memo ?? null,
    subtotal: totals.subtotal,
    discountTotal: totals.discountTotal,
    taxTotal: totals.taxTotal,
    total: totals.total,
    amountPaid: 0,
    amountWrittenOff: 0,
    amountCredited: 0,
    amountDue: 0,
    disputed: false,
    finalizedAt: null,
    sentAt: null,
    voidedAt: null,
    voidReason: null,
    uncollectibleAt: null,
    uncollectibleReason: null,
    createdAt: now,
    updatedAt: now,
    lines: lineRows(content, totals).map((line) => ({ ...line, id: randomUUID(), invoiceId: id })),
  };
  await insertInvoice(runner, invoice);
  await recordAuditEvent(runner, {
    organizationId: options.organizationId,
    actor: options.actor,
    action: "invoice.created",
    target: { type: "invoice", id },
    after: { patientId: found.patientId, currency: invoice.currency, total: invoice.total, lines: invoice.lines.length },
  });
  return { invoice, timezone: found.timezone };
}
