-- AlterTable
ALTER TABLE "credit_notes" ADD COLUMN     "remittance_claim_id" UUID;

-- CreateIndex
CREATE INDEX "credit_notes_remittance_claim_id_idx" ON "credit_notes"("remittance_claim_id");

-- AddForeignKey
ALTER TABLE "credit_notes" ADD CONSTRAINT "credit_notes_remittance_claim_id_fkey" FOREIGN KEY ("remittance_claim_id") REFERENCES "remittance_claims"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

