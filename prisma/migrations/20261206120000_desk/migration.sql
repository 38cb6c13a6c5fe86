-- AlterTable
ALTER TABLE "payments" ADD COLUMN     "cash_tendered" INTEGER;

-- Hand-written: the cash handed over at the desk is recorded for cash payments only and covers
-- what the payment keeps (the change given back is cash_tendered - amount, never negative).
ALTER TABLE "payments" ADD CONSTRAINT "payments_cash_tendered_valid" CHECK (
  "cash_tendered" IS NULL OR ("source" = 'manual' AND "method_type" = 'cash' AND "cash_tendered" >= "amount")
);

-- Cash payments recorded before: exactly the amount was handed over.
UPDATE "payments" SET "cash_tendered" = "amount" WHERE "source" = 'manual' AND "method_type" = 'cash';
