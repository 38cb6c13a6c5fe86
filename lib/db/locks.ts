import type { Dispute } from "@/lib/db/generated/client";
import type { PaymentStatus } from "@/lib/db/generated/enums";
import type { InvoiceBalance } from "@/lib/invoices/change-invoice-balance";
import { AppError } from "@/lib/errors";
import { INVOICE_WITH_LINES, toInvoiceWithLines, type InvoiceWithLines } from "@/lib/invoices/invoice-rows";
import type { Tx } from "./client";
import { modelRow, sql, sqlOf, type Sql } from "./sql";
import type { ContactOrganization } from "@/lib/organizations/clinic-contact";

/**
 * Every row lock Carebill takes, in one place, and the one order they are taken in.
 *
 * Two transactions that lock the same rows in the same order queue; in opposite orders they
 * deadlock. So a transaction that needs several of these takes them in this order, and skips
 * what it does not need:
 *
 *   1. the Stripe event claim (`claimStripeEvent`, lib/webhooks/record-stripe-event.ts: a duplicate
 *      delivery waits on the primary key until the first commits)
 *   2. the payment (`lockPaymentRow`, `lockPaymentByStripeIds`, `lockPaymentByIntent`, `lockPaymentForIntent`)
 *   3. the refund (`lockRefundRow`, `lockRefundByStripeRefund`)
 *   4. the invoice(s) (`lockInvoiceRow`, `lockInvoice`, `lockInvoiceForFinalize`, `lockInvoiceForPayment`); several invoices
 *      in ascending id order
 *   5. the dispute (`lockDispute`, `lockDisputeByStripeId`)
 *   6. the patient's credit balance (`lockPatientCredit`)
 *   7. the organization's counter (`nextNumber`): last, and as late as possible, because every
 *      finalize and credit note of the organization queues on it until COMMIT
 *
 * Apart from that order: the organization's active admins (`lockActiveAdmins`, member changes
 * only); a patient's row (`FOR NO KEY UPDATE`, the only lock of a desk card prepayment's start,
 * lib/payments/create-payment-attempt.ts); a patient's cards on file (`lockPatientCards`, an advisory lock taken by card changes
 * only, after the Stripe event claim); the email outbox claims its rows with `FOR UPDATE SKIP LOCKED` in one committed statement
 * and never waits (lib/email/deliver-queued-emails.ts); migrations hold a session advisory lock
 * (lib/db/migrate.ts). Every lock is held until the transaction ends; pgTransaction gives up a lock
 * wait after 5 s (lock_timeout), Prisma transactions after their own timeout.
 *
 * Each function takes the transaction as `Tx | Sql` (a Prisma transaction or a pgTransaction).
 * Read what you locked in a later statement when it joins other tables: a statement that waited for
 * a lock sees the locked row's newest version, but other tables as of when it started.
 */

type InvoiceKey = { id: string; organizationId: string };

/** 2. Locks one payment of this organization; false when there is none. */
export async function lockPaymentRow(tx: Tx | Sql, options: { id: string; organizationId: string }): Promise<boolean> {
  const rows = await sqlOf(tx).query(
    sql`SELECT id FROM payments WHERE id = ${options.id}::uuid AND organization_id = ${options.organizationId}::uuid FOR UPDATE`,
  );
  return rows.length === 1;
}

/** 2. Locks the payment a Stripe charge or PaymentIntent belongs to (the charge first); its id, or null for none of ours. */
export async function lockPaymentByStripeIds(tx: Tx | Sql, options: { chargeId: string | null; paymentIntentId: string | null }): Promise<string | null> {
  const { chargeId, paymentIntentId } = options;
  const rows = await sqlOf(tx).query<{ id: string }>(sql`
    SELECT id FROM payments
    WHERE (${chargeId}::text IS NOT NULL AND stripe_charge_id = ${chargeId})
       OR (${paymentIntentId}::text IS NOT NULL AND stripe_payment_intent_id = ${paymentIntentId})
    LIMIT 1
    FOR UPDATE`);
  return rows[0]?.id ?? null;
}

/** 2. Locks the payment behind a Stripe PaymentIntent; its id and organization, or null for none of ours. */
export async function lockPaymentByIntent(tx: Tx | Sql, paymentIntentId: string): Promise<{ id: string; organizationId: string } | null> {
  const rows = await sqlOf(tx).query<{ id: string; organizationId: string }>(
    sql`SELECT id, organization_id AS "organizationId" FROM payments WHERE stripe_payment_intent_id = ${paymentIntentId} FOR UPDATE`,
  );
  return rows[0] ?? null;
}

/** The payment fields applying a PaymentIntent needs, read with its row lock. */
export type LockedIntentPayment = {
  id: string;
  organizationId: string;
  /** Null for a prepayment (a desk or saved card collected for no invoice). */
  invoiceId: string | null;
  patientId: string;
  status: PaymentStatus;
  currency: string;
  stripePaymentIntentId: string | null;
  saveCard: boolean;
  keepExcessAsCredit: boolean;
  prepayment: boolean;
  authorizedAt: Date | null;
  failedAt: Date | null;
  actionRequiredAt: Date | null;
  createdAt: Date;
};

/**
 * 2. The card path (every webhook event): locks and reads, in one round trip, the payment a
 * PaymentIntent belongs to, by the intent's id or, before we stored it, by our id in its metadata
 * within that organization. Null for none of ours.
 */
export async function lockPaymentForIntent(
  tx: Tx | Sql,
  options: { paymentIntentId: string; paymentId: string | null; organizationId: string | null },
): Promise<LockedIntentPayment | null> {
  const { paymentIntentId, paymentId, organizationId } = options;
  const rows = await sqlOf(tx).query<LockedIntentPayment>(sql`
    SELECT id, organization_id AS "organizationId", invoice_id AS "invoiceId", patient_id AS "patientId", status::text AS status,
           currency, stripe_payment_intent_id AS "stripePaymentIntentId", save_card AS "saveCard", keep_excess_as_credit AS "keepExcessAsCredit",
           prepayment, authorized_at AS "authorizedAt", failed_at AS "failedAt", action_required_at AS "actionRequiredAt",
           created_at AS "createdAt"
    FROM payments
    WHERE stripe_payment_intent_id = ${paymentIntentId}
       OR (${paymentId}::uuid IS NOT NULL AND id = ${paymentId}::uuid AND organization_id = ${organizationId}::uuid)
    ORDER BY (stripe_payment_intent_id = ${paymentIntentId}) DESC NULLS LAST
    LIMIT 1
    FOR UPDATE`);
  return rows[0] ?? null;
}

/**
 * 2 then 3. Locks the refund a Stripe refund is about (by its Stripe id, or our id from its metadata
 * within that organization) and, first, the payment it refunds; the refund's id, or null for none of ours.
 */
export async function lockRefundByStripeRefund(
  tx: Tx | Sql,
  options: { stripeRefundId: string; refundId: string | null; organizationId: string | null },
): Promise<string | null> {
  const runner = sqlOf(tx);
  const { stripeRefundId, refundId, organizationId } = options;
  const matches = sql`stripe_refund_id = ${stripeRefundId} OR (${refundId}::uuid IS NOT NULL AND id = ${refundId}::uuid AND organization_id = ${organizationId}::uuid)`;
  await runner.query(sql`SELECT id FROM payments WHERE id = (SELECT payment_id FROM refunds WHERE ${matches} LIMIT 1) FOR UPDATE`);
  const rows = await runner.query<{ id: string }>(sql`
    SELECT id FROM refunds WHERE ${matches}
    ORDER BY (stripe_refund_id = ${stripeRefundId}) DESC NULLS LAST
    LIMIT 1
    FOR UPDATE`);
  return rows[0]?.id ?? null;
}

/** 3. Locks one refund; its status, or null when there is none. */
export async function lockRefundRow(tx: Tx | Sql, options: { id: string }): Promise<string | null> {
  const rows = await sqlOf(tx).query<{ status: string }>(sql`SELECT status::text AS status FROM refunds WHERE id = ${options.id}::uuid FOR UPDATE`);
  return rows[0]?.status ?? null;
}

/**
 * 4. Locks one invoice row of this organization for the rest of the transaction (SELECT … FOR
 * UPDATE): concurrent changes to the same invoice run one after another. 404 for unknown ids and
 * other organizations' invoices alike.
 */
export async function lockInvoiceRow(tx: Tx | Sql, options: InvoiceKey): Promise<void> {
  const locked = await sqlOf(tx).query(
    sql`SELECT id FROM invoices WHERE id = ${options.id}::uuid AND organization_id = ${options.organizationId}::uuid FOR UPDATE`,
  );
  if (locked.length === 0) throw new AppError("NOT_FOUND", "That invoice does not exist.");
}

/** An invoice's money state as a card payment needs it, with who gets the receipt. */
export type InvoiceForPayment = InvoiceBalance & {
  organizationId: string;
  patientId: string;
  currency: string;
  recipient: { firstName: string; email: string | null; clinic: ContactOrganization };
};

/** 4. The card path: locks the invoice a payment was started for and reads it with its patient and clinic, in one round trip. */
export async function lockInvoiceForPayment(tx: Tx | Sql, invoiceId: string): Promise<InvoiceForPayment> {
  const [row] = await sqlOf(tx).query<InvoiceForPayment>(sql`
    SELECT i.id, i.organization_id AS "organizationId", i.patient_id AS "patientId", i.number, i.status::text AS status, i.currency, i.total,
           i.amount_paid AS "amountPaid", i.amount_credited AS "amountCredited", i.amount_due AS "amountDue", i.amount_written_off AS "amountWrittenOff",
           json_build_object('firstName', p.first_name, 'email', p.email, 'clinic', json_build_object(
             'id', o.id, 'name', o.name, 'addressLine1', o.address_line1, 'addressLine2', o.address_line2, 'city', o.city, 'region', o.region,
             'postalCode', o.postal_code, 'country', o.country, 'phone', o.phone, 'email', o.email, 'website', o.website,
             'logo', (SELECT json_build_object('sha256', l.sha256) FROM organization_logos l WHERE l.organization_id = o.id))) AS recipient
    FROM invoices i JOIN patients p ON p.id = i.patient_id JOIN organizations o ON o.id = i.organization_id
    WHERE i.id = ${invoiceId}::uuid
    FOR UPDATE OF i`);
  if (!row) throw new Error(`invoice ${invoiceId} not found for a payment`);
  return row;
}

/** 4. lockInvoiceRow, then the invoice with its lines (by position), read in a second statement. */
export async function lockInvoice(tx: Tx | Sql, options: InvoiceKey): Promise<InvoiceWithLines> {
  const runner = sqlOf(tx);
  await lockInvoiceRow(runner, options);
  const [row] = await runner.query<Record<string, unknown>>(sql`SELECT ${INVOICE_WITH_LINES} FROM invoices invoice WHERE invoice.id = ${options.id}::uuid`);
  if (!row) throw new Error(`invoice ${options.id}: locked but not found`);
  return toInvoiceWithLines(row);
}

export type LockedDraftContext = {
  invoice: InvoiceWithLines;
  timezone: string;
  autoApplyCredit: boolean;
  /** The patient's credit in the invoice's currency (0 without a balance row). */
  patientCredit: number;
};

/**
 * 4. Locks one invoice of this organization (lockInvoiceRow), then reads it with its lines, its
 * organization's time zone and credit setting, and the patient's credit (not locked: finalize only
 * decides whether credit applies). Two statements on purpose: reading in the locking statement
 * could pair new totals with replaced lines.
 */
export async function lockInvoiceForFinalize(tx: Tx | Sql, options: InvoiceKey): Promise<LockedDraftContext> {
  const runner = sqlOf(tx);
  await lockInvoiceRow(runner, options);
  const [row] = await runner.query<Record<string, unknown> & { orgTimezone: string; orgAutoApplyCredit: boolean; patientCredit: number | null }>(sql`
    SELECT ${INVOICE_WITH_LINES}, organization.timezone AS "orgTimezone", organization.auto_apply_credit AS "orgAutoApplyCredit",
           (SELECT credit.balance FROM patient_credit_balances credit WHERE credit.patient_id = invoice.patient_id AND credit.currency = invoice.currency) AS "patientCredit"
    FROM invoices invoice JOIN organizations organization ON organization.id = invoice.organization_id
    WHERE invoice.id = ${options.id}::uuid`);
  if (!row) throw new Error(`invoice ${options.id}: locked but not found`);
  const { orgTimezone, orgAutoApplyCredit, patientCredit, ...invoice } = row;
  return { invoice: toInvoiceWithLines(invoice), timezone: orgTimezone, autoApplyCredit: orgAutoApplyCredit, patientCredit: patientCredit ?? 0 };
}

/** 5. Locks one dispute of this organization and returns it; 404 for unknown ids and other organizations' disputes. */
export async function lockDispute(tx: Tx | Sql, options: { id: string; organizationId: string }): Promise<Dispute> {
  const [row] = await sqlOf(tx).query<Record<string, unknown>>(
    sql`SELECT * FROM disputes WHERE id = ${options.id}::uuid AND organization_id = ${options.organizationId}::uuid FOR UPDATE`,
  );
  if (!row) throw new AppError("NOT_FOUND", "That dispute does not exist.");
  return modelRow<Dispute>(row);
}

/** 5. Locks the dispute row of a Stripe dispute, when there is one. */
export async function lockDisputeByStripeId(tx: Tx | Sql, stripeDisputeId: string): Promise<void> {
  await sqlOf(tx).query(sql`SELECT id FROM disputes WHERE stripe_dispute_id = ${stripeDisputeId} FOR UPDATE`);
}

/**
 * 6. Locks the patient's credit balance in this currency for the rest of the transaction and
 * returns it (0 when the patient never had credit: the row is created empty, so the lock holds
 * even then). Concurrent spenders queue here.
 */
export async function lockPatientCredit(tx: Tx | Sql, options: { organizationId: string; patientId: string; currency: string }): Promise<number> {
  const runner = sqlOf(tx);
  await runner.write(sql`
    INSERT INTO patient_credit_balances (organization_id, patient_id, currency, balance, updated_at)
    VALUES (${options.organizationId}::uuid, ${options.patientId}::uuid, ${options.currency}, 0, now())
    ON CONFLICT (patient_id, currency) DO NOTHING`);
  const rows = await runner.query<{ balance: number }>(sql`
    SELECT balance FROM patient_credit_balances
    WHERE patient_id = ${options.patientId}::uuid AND currency = ${options.currency} AND organization_id = ${options.organizationId}::uuid
    FOR UPDATE`);
  return rows[0]?.balance ?? 0;
}

/**
 * 7. The next number of an organization's counter, formatted PREFIX-00001. The counter row is
 * advanced with one INSERT … ON CONFLICT DO UPDATE … RETURNING inside the caller's transaction:
 * concurrent callers queue on the row lock, and a rolled-back transaction gives its number back,
 * so numbers are unique and gapless. Every finalize of the organization waits for that lock:
 * take the number as late as possible and do little after it (see finalizeInvoice).
 */
export async function nextNumber(tx: Tx | Sql, options: { organizationId: string; counter: OrganizationCounter; prefix: string }): Promise<string> {
  const value = await nextCounterValue(tx, options);
  return `${options.prefix}-${String(value).padStart(5, "0")}`;
}

/** The organization's gapless counters: document numbers, claim numbers and X12 control numbers (ISA13 shared by 837 and 270 files). */
export type OrganizationCounter = "invoice" | "credit_note" | "receipt" | "claim" | "x12_interchange" | "x12_group" | "x12_transaction_set";

/** 7b. The counter's next value itself, under the same rules as nextNumber (unique, gapless, take it late). */
export async function nextCounterValue(tx: Tx | Sql, options: { organizationId: string; counter: OrganizationCounter }): Promise<number> {
  const rows = await sqlOf(tx).query<{ value: number }>(sql`
    INSERT INTO organization_counters (organization_id, name, value)
    VALUES (${options.organizationId}::uuid, ${options.counter}, 1)
    ON CONFLICT (organization_id, name) DO UPDATE SET value = organization_counters.value + 1
    RETURNING value`);
  const value = rows[0]?.value;
  if (value === undefined) throw new Error("counter upsert returned no row");
  return value;
}

/**
 * Locks the organization's active admin memberships for the rest of the transaction and returns
 * their ids. Two admins demoting each other at once then run one after the other, so an
 * organization can never end up with no active admin.
 */
export async function lockActiveAdmins(tx: Tx | Sql, organizationId: string): Promise<string[]> {
  const rows = await sqlOf(tx).query<{ id: string }>(sql`
    SELECT id FROM memberships
    WHERE organization_id = ${organizationId}::uuid AND role = 'admin' AND deactivated_at IS NULL
    FOR UPDATE`);
  return rows.map((row) => row.id);
}

/**
 * Serializes changes to one patient's cards on file (which card is the default, a replacement)
 * without locking the patient row, which invoices and payments read: a transaction-scoped
 * advisory lock on the patient's id.
 */
export async function lockPatientCards(tx: Tx | Sql, patientId: string): Promise<void> {
  await sqlOf(tx).query(sql`SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtext('cards-on-file'), hashtext(${patientId}))`);
}
