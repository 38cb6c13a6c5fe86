-- AlterTable
ALTER TABLE "claim_lines" ADD COLUMN     "rendering_provider_id" UUID;

-- AddForeignKey
ALTER TABLE "claim_lines" ADD CONSTRAINT "claim_lines_rendering_provider_id_fkey" FOREIGN KEY ("rendering_provider_id") REFERENCES "rendering_providers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

