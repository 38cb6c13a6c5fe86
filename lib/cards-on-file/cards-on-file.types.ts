import { z } from "zod";

/** A card on file as the REST API shows it: brand, last 4 and expiry, never more card data. */
export const ZPaymentMethodView = z.object({
  id: z.uuid(),
  type: z.literal("card"),
  brand: z.string().describe("visa, mastercard, amex, …"),
  last4: z.string().regex(/^[0-9]{4}$/),
  expMonth: z.number().int().min(1).max(12),
  expYear: z.number().int(),
  isDefault: z.boolean().describe("The card plans and memberships charge unless they name another"),
  source: z.enum(["pay_page", "front_desk", "card_link"]),
  consent: z
    .object({
      acceptedBy: z.enum(["patient_online", "staff_on_behalf"]),
      acceptedAt: z.iso.datetime({ offset: true }),
    })
    .nullable()
    .describe("The consent the card was saved under; null: it can be charged by nothing"),
});
export type TPaymentMethodView = z.infer<typeof ZPaymentMethodView>;
