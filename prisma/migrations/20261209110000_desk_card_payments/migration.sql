-- AlterEnum
ALTER TYPE "PaymentSource" ADD VALUE 'desk_card';


-- A desk card payment, like the pay page's, belongs to the patient and the invoice it was started
-- for (payments_owner_known names the sources before it). Compared as text: the new enum value
-- cannot be used in the transaction that adds it.
ALTER TABLE "payments" ADD CONSTRAINT "payments_desk_card_owner_known" CHECK (
  "source"::text <> 'desk_card' OR ("patient_id" IS NOT NULL AND "invoice_id" IS NOT NULL)
);
