-- AlterTable
ALTER TABLE "payments" ADD COLUMN     "prepayment" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "refunds" ALTER COLUMN "invoice_id" DROP NOT NULL;

-- AlterTable
ALTER TABLE "disputes" ALTER COLUMN "invoice_id" DROP NOT NULL;


-- Hand-written (tests/schema-drift.test.ts compares everything else).

-- The prepayments recorded so far: the manual payments that pay no invoice.
UPDATE "payments" SET "prepayment" = true WHERE "source" = 'manual' AND "invoice_id" IS NULL;

-- A prepayment is one patient's and pays no invoice; only a front-desk payment (manual, a card
-- typed in at the desk, a saved card) may be one. Never the pay page's.
ALTER TABLE "payments" ADD CONSTRAINT "payments_prepayment_valid" CHECK (
  NOT "prepayment" OR ("patient_id" IS NOT NULL AND "invoice_id" IS NULL AND "source"::text IN ('manual', 'desk_card', 'saved_card'))
);

-- Card and front-desk payments belong to one patient; card payments to the invoice they were
-- started for, except a desk or saved card prepayment (which pays none). The pay page always has one.
ALTER TABLE "payments" DROP CONSTRAINT "payments_owner_known";
ALTER TABLE "payments" DROP CONSTRAINT "payments_desk_card_owner_known";
ALTER TABLE "payments" ADD CONSTRAINT "payments_owner_known" CHECK (
  "source"::text NOT IN ('pay_page', 'saved_card', 'manual', 'desk_card')
  OR ("patient_id" IS NOT NULL AND ("source" = 'manual' OR "invoice_id" IS NOT NULL OR "prepayment"))
);

-- A refund without an invoice gives back credit only (a prepayment's).
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_invoice_or_credit" CHECK ("invoice_id" IS NOT NULL OR "from_credit" = "amount");
