-- AlterEnum
ALTER TYPE "RemittanceStatus" ADD VALUE 'posted';

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "RemittanceClaimStatus" ADD VALUE 'posted';
ALTER TYPE "RemittanceClaimStatus" ADD VALUE 'reversed';
ALTER TYPE "RemittanceClaimStatus" ADD VALUE 'duplicate';
ALTER TYPE "RemittanceClaimStatus" ADD VALUE 'held';

-- AlterTable
ALTER TABLE "claims" ADD COLUMN     "contractual_adjusted" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "insurance_paid" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "patient_responsibility" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "prior_claim_id" UUID,
ADD COLUMN     "written_off" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "remittance_claims" ADD COLUMN     "held_reason" VARCHAR(500),
ADD COLUMN     "patient_share_invoice_id" UUID,
ADD COLUMN     "posted_at" TIMESTAMPTZ(3),
ADD COLUMN     "related_claim_payment_id" UUID;

-- CreateTable
CREATE TABLE "payer_fee_schedule" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "payer_id" UUID NOT NULL,
    "procedure_code" VARCHAR(5) NOT NULL,
    "modifier" VARCHAR(2) NOT NULL DEFAULT '',
    "allowed_amount" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "payer_fee_schedule_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "payer_fee_schedule_organization_id_idx" ON "payer_fee_schedule"("organization_id");

-- CreateIndex
CREATE UNIQUE INDEX "payer_fee_schedule_payer_id_procedure_code_modifier_key" ON "payer_fee_schedule"("payer_id", "procedure_code", "modifier");

-- AddForeignKey
ALTER TABLE "claims" ADD CONSTRAINT "claims_prior_claim_id_fkey" FOREIGN KEY ("prior_claim_id") REFERENCES "claims"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "remittance_claims" ADD CONSTRAINT "remittance_claims_patient_share_invoice_id_fkey" FOREIGN KEY ("patient_share_invoice_id") REFERENCES "invoices"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "remittance_claims" ADD CONSTRAINT "remittance_claims_related_claim_payment_id_fkey" FOREIGN KEY ("related_claim_payment_id") REFERENCES "remittance_claims"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payer_fee_schedule" ADD CONSTRAINT "payer_fee_schedule_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payer_fee_schedule" ADD CONSTRAINT "payer_fee_schedule_payer_id_fkey" FOREIGN KEY ("payer_id") REFERENCES "payers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

