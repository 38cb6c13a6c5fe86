-- CreateEnum
CREATE TYPE "RemittanceStatus" AS ENUM ('received', 'needs_review');

-- CreateEnum
CREATE TYPE "RemittanceClaimStatus" AS ENUM ('matched', 'unmatched');

-- CreateTable
CREATE TABLE "remittances" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "clearinghouse_file_id" UUID NOT NULL,
    "transaction_set_control_number" VARCHAR(9) NOT NULL,
    "payer_id" UUID,
    "payer_name" VARCHAR(60) NOT NULL,
    "payer_identifier" VARCHAR(80),
    "trace_originator_id" VARCHAR(10) NOT NULL,
    "trace_number" VARCHAR(50) NOT NULL,
    "total_amount" INTEGER NOT NULL,
    "handling_code" VARCHAR(2) NOT NULL,
    "payment_method" VARCHAR(3) NOT NULL,
    "paid_on" DATE,
    "produced_on" DATE,
    "payee_name" VARCHAR(60) NOT NULL,
    "payee_npi" VARCHAR(10),
    "status" "RemittanceStatus" NOT NULL,
    "imbalances" JSONB NOT NULL DEFAULT '[]',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "remittances_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "remittance_claims" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "remittance_id" UUID NOT NULL,
    "claim_id" UUID,
    "position" INTEGER NOT NULL,
    "patient_control_number" VARCHAR(38) NOT NULL,
    "status_code" VARCHAR(2) NOT NULL,
    "charge_amount" INTEGER NOT NULL,
    "paid_amount" INTEGER NOT NULL,
    "patient_responsibility" INTEGER,
    "filing_indicator" VARCHAR(2) NOT NULL,
    "payer_claim_control_number" VARCHAR(50),
    "facility_code" VARCHAR(2),
    "frequency_code" VARCHAR(1),
    "patient_name" VARCHAR(120),
    "remark_codes" TEXT[],
    "status" "RemittanceClaimStatus" NOT NULL,
    "unmatched_reason" VARCHAR(500),

    CONSTRAINT "remittance_claims_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "remittance_lines" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "remittance_claim_id" UUID NOT NULL,
    "claim_line_id" UUID,
    "position" INTEGER NOT NULL,
    "procedure_qualifier" VARCHAR(2) NOT NULL,
    "procedure_code" VARCHAR(48) NOT NULL,
    "modifiers" TEXT[],
    "charge_amount" INTEGER NOT NULL,
    "paid_amount" INTEGER NOT NULL,
    "allowed_amount" INTEGER,
    "units" DECIMAL(10,3) NOT NULL,
    "original_procedure_code" VARCHAR(48),
    "original_modifiers" TEXT[],
    "service_date" DATE,
    "service_date_end" DATE,
    "line_item_control_number" VARCHAR(50),
    "remark_codes" TEXT[],

    CONSTRAINT "remittance_lines_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "remittance_adjustments" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "remittance_claim_id" UUID NOT NULL,
    "remittance_line_id" UUID,
    "position" INTEGER NOT NULL,
    "group_code" VARCHAR(2) NOT NULL,
    "reason_code" VARCHAR(5) NOT NULL,
    "amount" INTEGER NOT NULL,
    "quantity" DECIMAL(15,3),

    CONSTRAINT "remittance_adjustments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "remittance_provider_adjustments" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "remittance_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "provider_id" VARCHAR(50) NOT NULL,
    "fiscal_period_date" DATE,
    "reason_code" VARCHAR(2) NOT NULL,
    "reference" VARCHAR(50),
    "amount" INTEGER NOT NULL,

    CONSTRAINT "remittance_provider_adjustments_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "remittances_organization_id_created_at_idx" ON "remittances"("organization_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "remittances_clearinghouse_file_id_idx" ON "remittances"("clearinghouse_file_id");

-- CreateIndex
CREATE UNIQUE INDEX "remittances_organization_id_trace_originator_id_trace_numbe_key" ON "remittances"("organization_id", "trace_originator_id", "trace_number", "total_amount");

-- CreateIndex
CREATE INDEX "remittance_claims_claim_id_idx" ON "remittance_claims"("claim_id");

-- CreateIndex
CREATE INDEX "remittance_claims_organization_id_status_idx" ON "remittance_claims"("organization_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "remittance_claims_remittance_id_position_key" ON "remittance_claims"("remittance_id", "position");

-- CreateIndex
CREATE INDEX "remittance_lines_claim_line_id_idx" ON "remittance_lines"("claim_line_id");

-- CreateIndex
CREATE UNIQUE INDEX "remittance_lines_remittance_claim_id_position_key" ON "remittance_lines"("remittance_claim_id", "position");

-- CreateIndex
CREATE INDEX "remittance_adjustments_remittance_line_id_idx" ON "remittance_adjustments"("remittance_line_id");

-- CreateIndex
CREATE UNIQUE INDEX "remittance_adjustments_remittance_claim_id_position_key" ON "remittance_adjustments"("remittance_claim_id", "position");

-- CreateIndex
CREATE UNIQUE INDEX "remittance_provider_adjustments_remittance_id_position_key" ON "remittance_provider_adjustments"("remittance_id", "position");

-- AddForeignKey
ALTER TABLE "remittances" ADD CONSTRAINT "remittances_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "remittances" ADD CONSTRAINT "remittances_clearinghouse_file_id_fkey" FOREIGN KEY ("clearinghouse_file_id") REFERENCES "clearinghouse_files"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "remittances" ADD CONSTRAINT "remittances_payer_id_fkey" FOREIGN KEY ("payer_id") REFERENCES "payers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "remittance_claims" ADD CONSTRAINT "remittance_claims_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "remittance_claims" ADD CONSTRAINT "remittance_claims_remittance_id_fkey" FOREIGN KEY ("remittance_id") REFERENCES "remittances"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "remittance_claims" ADD CONSTRAINT "remittance_claims_claim_id_fkey" FOREIGN KEY ("claim_id") REFERENCES "claims"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "remittance_lines" ADD CONSTRAINT "remittance_lines_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "remittance_lines" ADD CONSTRAINT "remittance_lines_remittance_claim_id_fkey" FOREIGN KEY ("remittance_claim_id") REFERENCES "remittance_claims"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "remittance_lines" ADD CONSTRAINT "remittance_lines_claim_line_id_fkey" FOREIGN KEY ("claim_line_id") REFERENCES "claim_lines"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "remittance_adjustments" ADD CONSTRAINT "remittance_adjustments_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "remittance_adjustments" ADD CONSTRAINT "remittance_adjustments_remittance_claim_id_fkey" FOREIGN KEY ("remittance_claim_id") REFERENCES "remittance_claims"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "remittance_adjustments" ADD CONSTRAINT "remittance_adjustments_remittance_line_id_fkey" FOREIGN KEY ("remittance_line_id") REFERENCES "remittance_lines"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "remittance_provider_adjustments" ADD CONSTRAINT "remittance_provider_adjustments_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "remittance_provider_adjustments" ADD CONSTRAINT "remittance_provider_adjustments_remittance_id_fkey" FOREIGN KEY ("remittance_id") REFERENCES "remittances"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Hand-written: an adjustment (CAS) or provider adjustment (PLB) is a fact read from the payer's
-- file, never edited or deleted. Remittances, their claim payments and lines are not guarded:
-- their status and matched claim (line) change when they are posted or matched by hand.
CREATE TRIGGER "remittance_adjustments_append_only"
  BEFORE UPDATE OR DELETE ON "remittance_adjustments"
  FOR EACH ROW EXECUTE FUNCTION "reject_modification"();
CREATE TRIGGER "remittance_adjustments_no_truncate"
  BEFORE TRUNCATE ON "remittance_adjustments"
  FOR EACH STATEMENT EXECUTE FUNCTION "reject_modification"();
REVOKE UPDATE, DELETE ON "remittance_adjustments" FROM carebill_app;
CREATE TRIGGER "remittance_provider_adjustments_append_only"
  BEFORE UPDATE OR DELETE ON "remittance_provider_adjustments"
  FOR EACH ROW EXECUTE FUNCTION "reject_modification"();
CREATE TRIGGER "remittance_provider_adjustments_no_truncate"
  BEFORE TRUNCATE ON "remittance_provider_adjustments"
  FOR EACH STATEMENT EXECUTE FUNCTION "reject_modification"();
REVOKE UPDATE, DELETE ON "remittance_provider_adjustments" FROM carebill_app;
