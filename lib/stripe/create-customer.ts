import type Stripe from "stripe";
import { z } from "zod";
import { getStripe } from "./get-stripe";
import { idempotencyKey } from "./idempotency-key";
import { toStripeMetadata } from "./metadata";

export const ZCreateCustomerOptions = z.strictObject({
  organizationId: z.uuid(),
  patientId: z.uuid(),
});

export type TCreateCustomerOptions = z.input<typeof ZCreateCustomerOptions>;

/**
 * The Stripe Customer that holds a patient's saved payment methods. It carries our ids and
 * nothing else: no name, email, phone or address, so Stripe never learns who the patient is.
 * Idempotent per patient (`carebill:patient:<patientId>:create-customer`); store the returned
 * id on the patient in its own step, outside any transaction that spans this call.
 */
export async function createCustomer(options: TCreateCustomerOptions, stripe: Stripe = getStripe()): Promise<Stripe.Customer> {
  const input = ZCreateCustomerOptions.parse(options);
  return stripe.customers.create(
    { metadata: toStripeMetadata({ organizationId: input.organizationId, patientId: input.patientId }) },
    { idempotencyKey: idempotencyKey("patient", input.patientId, "create-customer") },
  );
}
