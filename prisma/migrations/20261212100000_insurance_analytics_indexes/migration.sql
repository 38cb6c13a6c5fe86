-- CreateIndex
CREATE INDEX "claims_organization_id_submitted_at_idx" ON "claims"("organization_id", "submitted_at");


-- Hand-written (Prisma cannot express partial indexes or INCLUDE), for the insurance analytics
-- (lib/analytics/insurance-figures.ts): open claim balances by payer and age, posted claim payments
-- by day, and the claim payments that can leave a claim denied.
CREATE INDEX "claims_open_insurance_balance" ON "claims"("organization_id", "payer_id", "submitted_at") INCLUDE ("insurance_balance", "created_at")
  WHERE "insurance_balance" <> 0 AND "status" NOT IN ('draft', 'ready', 'closed');
CREATE INDEX "remittance_claims_posted" ON "remittance_claims"("organization_id", "posted_at") INCLUDE ("claim_id", "paid_amount")
  WHERE "status" = 'posted';
CREATE INDEX "remittance_claims_denial_candidates" ON "remittance_claims"("organization_id", "claim_id")
  WHERE "paid_amount" = 0 OR "status_code" = '4';
