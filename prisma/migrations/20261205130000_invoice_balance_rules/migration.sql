-- An invoice's money fields are changed only by lib/invoices/change-invoice-balance.ts; the
-- database refuses any row that breaks its rules, whoever writes it.
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_balance_consistent" CHECK (
  "amount_due" >= 0 AND "amount_paid" >= 0 AND "amount_written_off" >= 0 AND "amount_credited" >= 0
  AND CASE "status"
    WHEN 'draft' THEN "amount_paid" = 0 AND "amount_credited" = 0 AND "amount_written_off" = 0 AND "amount_due" = 0
    WHEN 'void' THEN "amount_paid" = 0 AND "amount_due" = 0
    ELSE "amount_due" = "total" - "amount_paid" - "amount_credited" - "amount_written_off"
      AND ("status" <> 'paid' OR "amount_due" = 0)
      AND ("status" <> 'open' OR "amount_paid" = 0)
      AND ("status" <> 'partially_paid' OR ("amount_paid" > 0 AND "amount_due" > 0))
      AND ("status" <> 'uncollectible' OR "amount_written_off" > 0 OR "amount_due" > 0)
  END
);
