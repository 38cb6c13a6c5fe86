/**
 * Seeds the webhook scenario's N open invoices and their card payment attempts in bulk: the same
 * rows `createInvoice` + `finalizeInvoice` + `createPaymentAttempt` write (invoice numbered from
 * the organization's counter, one line, the finalize journal Dr accounts receivable / Cr revenue,
 * a `pay_page` attempt), in one SQL statement per chunk instead of ~25 statements per invoice, so
 * that 20,000 targets fit in the time budget. The bench's ledger check afterwards proves these
 * rows agree with the books exactly like the app's own. Then the PaymentIntents are created and
 * confirmed in the emulator (one request each, `confirm: true`) with the app's metadata.
 */
import type pg from "pg";
import type Stripe from "stripe";

export type WebhookTarget = { paymentId: string; invoiceId: string; patientId: string; amount: number };

const CHUNK = 2_000;

/**
 * Inserts `count` finalized open invoices with one pay-page attempt each; returns them. All of
 * $100.00: the pgbench ceiling replays one captured transaction's amounts on random targets, and
 * the invoices' balance CHECK holds only when their totals match.
 */
export async function seedOpenInvoicesWithAttempts(
  client: pg.Client,
  options: { organizationId: string; patientIds: string[]; count: number; currency?: string },
): Promise<WebhookTarget[]> {
  const currency = options.currency ?? "USD";
  const targets: WebhookTarget[] = [];
  for (let start = 0; start < options.count; start += CHUNK) {
    const size = Math.min(CHUNK, options.count - start);
    await client.query("BEGIN");
    try {
      const { rows } = await client.query<{ payment_id: string; invoice_id: string; patient_id: string; amount: number }>(
        `WITH counter AS (
           INSERT INTO organization_counters (organization_id, name, value) VALUES ($1::uuid, 'invoice', $2)
           ON CONFLICT (organization_id, name) DO UPDATE SET value = organization_counters.value + $2
           RETURNING value
         ), seq AS (
           SELECT g, gen_random_uuid() AS invoice_id, gen_random_uuid() AS payment_id, gen_random_uuid() AS journal_id,
                  10000 AS amount, ($3::uuid[])[1 + (g % array_length($3::uuid[], 1))] AS patient_id,
                  'INV-' || lpad(((SELECT value FROM counter) - $2 + g)::text, 5, '0') AS number
           FROM generate_series(1, $2) AS g
         ), accounts AS (
           SELECT
             (SELECT id FROM ledger_accounts WHERE organization_id = $1::uuid AND code = '1100') AS receivable,
             (SELECT id FROM ledger_accounts WHERE organization_id = $1::uuid AND code = '4000') AS revenue
         ), invoices AS (
           INSERT INTO invoices (id, organization_id, patient_id, number, status, currency, subtotal, total, amount_due, due_date, finalized_at, created_at, updated_at)
           SELECT invoice_id, $1::uuid, patient_id, number, 'open', $4, amount, amount, amount, current_date, now(), now(), now() FROM seq
         ), lines AS (
           INSERT INTO invoice_lines (invoice_id, position, description, quantity, unit_amount, amount)
           SELECT invoice_id, 1, 'Office visit', 1, amount, amount FROM seq
         ), journals AS (
           INSERT INTO journal_entries (id, organization_id, currency, kind, memo, source_type, source_id)
           SELECT journal_id, $1::uuid, $4, 'invoice.finalized', 'Invoice ' || number, 'invoice', invoice_id FROM seq
         ), journal_lines AS (
           INSERT INTO journal_lines (journal_entry_id, organization_id, account_id, amount, invoice_id)
           SELECT journal_id, $1::uuid, accounts.receivable, amount, invoice_id FROM seq, accounts
           UNION ALL
           SELECT journal_id, $1::uuid, accounts.revenue, -amount, NULL FROM seq, accounts
         ), payments AS (
           INSERT INTO payments (id, organization_id, invoice_id, patient_id, source, method_type, status, currency, amount, created_at, updated_at)
           SELECT payment_id, $1::uuid, invoice_id, patient_id, 'pay_page', 'card', 'requires_payment_method', $4, amount, now(), now() FROM seq
         )
         SELECT payment_id, invoice_id, patient_id, amount FROM seq ORDER BY g`,
        [options.organizationId, size, options.patientIds, currency],
      );
      await client.query("COMMIT");
      for (const row of rows) targets.push({ paymentId: row.payment_id, invoiceId: row.invoice_id, patientId: row.patient_id, amount: row.amount });
    } catch (error) {
      await client.query("ROLLBACK");
      throw error;
    }
  }
  return targets;
}

/**
 * Creates and confirms each target's PaymentIntent in the emulator (with the parameters and
 * metadata lib/stripe/create-payment-intent.ts uses) and stores its id on the attempt, as
 * createPaymentAttempt does. Stops at the deadline; returns how many are confirmed.
 */
export async function confirmPaymentIntents(
  client: pg.Client,
  stripe: Stripe,
  options: { organizationId: string; targets: WebhookTarget[]; concurrency: number; deadline: number },
): Promise<WebhookTarget[]> {
  const confirmed: { target: WebhookTarget; paymentIntentId: string }[] = [];
  let next = 0;
  const worker = async () => {
    while (next < options.targets.length && performance.now() < options.deadline) {
      const target = options.targets[next++]!;
      const paymentIntent = await stripe.paymentIntents.create(
        {
          amount: target.amount,
          currency: "usd",
          allowed_payment_method_types: ["card"],
          capture_method: "automatic",
          metadata: { organizationId: options.organizationId, invoiceId: target.invoiceId, paymentId: target.paymentId },
          payment_method: "pm_card_visa",
          confirm: true,
        },
        { idempotencyKey: `carebill:payment:${target.paymentId}:create-payment-intent` },
      );
      if (paymentIntent.status !== "succeeded") throw new Error(`bench PaymentIntent ${paymentIntent.id} is ${paymentIntent.status}`);
      confirmed.push({ target, paymentIntentId: paymentIntent.id });
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  for (let start = 0; start < confirmed.length; start += CHUNK) {
    const chunk = confirmed.slice(start, start + CHUNK);
    await client.query(
      `UPDATE payments SET stripe_payment_intent_id = t.pi, updated_at = now()
       FROM unnest($1::uuid[], $2::text[]) AS t(id, pi) WHERE payments.id = t.id`,
      [chunk.map((entry) => entry.target.paymentId), chunk.map((entry) => entry.paymentIntentId)],
    );
  }
  return confirmed.map((entry) => entry.target);
}
