import type Stripe from "stripe";
import { z } from "zod";

/**
 * What Carebill may put in a Stripe object's `metadata`: opaque ids of our own records and
 * nothing else. Patient names, emails, phones, birth dates and MRNs are PHI and never go to
 * Stripe; a strict schema of uuids makes that a parse error instead of a code-review hope.
 */
export const ZStripeMetadata = z.strictObject({
  organizationId: z.uuid(),
  invoiceId: z.uuid().optional(),
  paymentId: z.uuid().optional(),
  refundId: z.uuid().optional(),
  patientId: z.uuid().optional(),
  paymentPlanId: z.uuid().optional(),
  cardSetupId: z.uuid().optional(),
});

export type TStripeMetadata = z.infer<typeof ZStripeMetadata>;

const WIRE_NAMES = {
  organizationId: "organization_id",
  invoiceId: "invoice_id",
  paymentId: "payment_id",
  refundId: "refund_id",
  patientId: "patient_id",
  paymentPlanId: "payment_plan_id",
  cardSetupId: "card_setup_id",
} as const satisfies Record<keyof TStripeMetadata, string>;

/** Validates the ids (throws a ZodError on anything else) and returns Stripe's `metadata` map. */
export function toStripeMetadata(input: TStripeMetadata): Record<string, string> {
  const ids = ZStripeMetadata.parse(input);
  const metadata: Record<string, string> = {};
  for (const [name, wireName] of Object.entries(WIRE_NAMES) as [keyof TStripeMetadata, string][]) {
    const value = ids[name];
    if (value !== undefined) metadata[wireName] = value;
  }
  return metadata;
}

/**
 * Our ids back from a Stripe object's metadata (e.g. in a webhook handler), or null when the
 * object was not created by Carebill (no valid `organization_id`).
 */
export function readStripeMetadata(metadata: Stripe.Metadata | null | undefined): TStripeMetadata | null {
  if (!metadata) return null;
  const input: Record<string, string> = {};
  for (const [name, wireName] of Object.entries(WIRE_NAMES)) {
    const value = metadata[wireName];
    if (value !== undefined) input[name] = value;
  }
  const result = ZStripeMetadata.safeParse(input);
  return result.success ? result.data : null;
}
