-- AlterTable
ALTER TABLE "payments" ALTER COLUMN "invoice_id" DROP NOT NULL,
ALTER COLUMN "patient_id" DROP NOT NULL;

-- Today's kinds of payment all belong to one patient, and card payments to the invoice they were
-- started for; only kinds added later (an insurer's remittance, a plan's charge) may have neither.
ALTER TABLE "payments" ADD CONSTRAINT "payments_owner_known" CHECK (
  "source" NOT IN ('pay_page', 'saved_card', 'manual')
  OR ("patient_id" IS NOT NULL AND ("source" = 'manual' OR "invoice_id" IS NOT NULL))
);

-- Allocations become the one record of what a payment paid: card payments that were applied get
-- the row manual payments always had.
INSERT INTO "payment_allocations" ("payment_id", "invoice_id", "amount", "created_at")
SELECT p."id", p."invoice_id", p."applied_amount", COALESCE(p."succeeded_at", p."created_at")
FROM "payments" p
WHERE p."source" <> 'manual' AND p."applied_amount" > 0 AND p."invoice_id" IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM "payment_allocations" a WHERE a."payment_id" = p."id");
