import type Stripe from "stripe";
import type { Db } from "@/lib/db/client";
import { createCustomer } from "@/lib/stripe/create-customer";

/**
 * The patient's Stripe Customer id, created on first need (outside any transaction; the call is
 * idempotent per patient, so two concurrent first calls get the same customer) and then stored.
 */
export async function ensureStripeCustomer(db: Db, options: { organizationId: string; patientId: string; stripe?: Stripe }): Promise<string> {
  const patient = await db.patient.findUniqueOrThrow({ where: { id: options.patientId }, select: { stripeCustomerId: true } });
  if (patient.stripeCustomerId) return patient.stripeCustomerId;
  const customer = await createCustomer({ organizationId: options.organizationId, patientId: options.patientId }, options.stripe);
  await db.patient.updateMany({ where: { id: options.patientId, stripeCustomerId: null }, data: { stripeCustomerId: customer.id } });
  return customer.id;
}
