/**
 * Card payments for tests that need money already received (refunds, credit notes): an invoice
 * paid through the same domain functions and Stripe emulator the pay page uses.
 */
import type Stripe from "stripe";
import type { Db } from "@/lib/db/client";
import { createInvoice } from "@/lib/invoices/create-invoice";
import { finalizeInvoice } from "@/lib/invoices/finalize-invoice";
import { createPaymentAttempt } from "@/lib/payments/create-payment-attempt";
import { syncPaymentIntent } from "@/lib/payments/sync-payment-intent";
import { createTestOrganization, createTestPatient, testActor } from "./factories";

/** Confirms a PaymentIntent with a test card id (pm_card_visa, pm_card_refundFail, …); declines are left to the caller to observe. */
export async function confirmCard(stripe: Stripe, paymentIntentId: string, paymentMethod: string): Promise<void> {
  await stripe.paymentIntents.confirm(paymentIntentId, { payment_method: paymentMethod }).catch((error: Stripe.errors.StripeError) => {
    if (error.type !== "StripeCardError") throw error;
  });
}

export type OpenInvoice = {
  organizationId: string;
  adminActor: ReturnType<typeof testActor>;
  patient: { id: string; firstName: string; lastName: string; email: string | null };
  invoiceId: string;
};

/** A clinic (new, or the given one), a patient, and a finalized invoice for `unitAmount` (+ tax). */
export async function createOpenInvoice(
  db: Db,
  options: { organizationId?: string; unitAmount?: number; taxRate?: number; firstName?: string } = {},
): Promise<OpenInvoice> {
  const org = options.organizationId ? { organizationId: options.organizationId, adminActor: testActor() } : await createTestOrganization(db);
  const patient = await createTestPatient(db, {
    organizationId: org.organizationId,
    firstName: options.firstName ?? "Octavia",
    email: "octavia.refund@example.test",
  });
  const draft = await createInvoice(db, {
    organizationId: org.organizationId,
    actor: testActor(),
    input: {
      patientId: patient.id,
      taxRate: options.taxRate,
      lines: [{ description: "Physiotherapy session", quantity: 1, unitAmount: options.unitAmount ?? 12_000 }],
    },
  });
  await finalizeInvoice(db, { organizationId: org.organizationId, invoiceId: draft.id, actor: testActor() });
  return { organizationId: org.organizationId, adminActor: org.adminActor, patient, invoiceId: draft.id };
}

/** Pays `amount` (default: the whole balance) of an open invoice by card, synced as the webhook would. */
export async function payByCard(db: Db, stripe: Stripe, options: { organizationId: string; invoiceId: string; amount?: number; card?: string }) {
  const attempt = await createPaymentAttempt(db, { organizationId: options.organizationId, invoiceId: options.invoiceId, amount: options.amount, stripe });
  await confirmCard(stripe, attempt.paymentIntent.id, options.card ?? "pm_card_visa");
  await syncPaymentIntent(db, attempt.paymentIntent.id, stripe);
  return { paymentId: attempt.paymentId, paymentIntentId: attempt.paymentIntent.id };
}

/** An invoice paid in full by card: what refunds start from. */
export async function createPaidInvoice(
  db: Db,
  stripe: Stripe,
  options: { organizationId?: string; unitAmount?: number; taxRate?: number; card?: string } = {},
) {
  const open = await createOpenInvoice(db, options);
  const payment = await payByCard(db, stripe, { organizationId: open.organizationId, invoiceId: open.invoiceId, card: options.card });
  return { ...open, ...payment };
}
