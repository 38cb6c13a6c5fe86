-- Claims become receivables (issue 19, docs/remittances.md): journal lines on the insurance-receivable
-- account name their claim, and a claim keeps what the payer owes on it. journal_lines.claim_id is
-- deliberately not indexed: the journal insert is the webhook's hot path (bench/README.md), and
-- checkLedger reads the lines by account.
-- AlterTable
ALTER TABLE "journal_lines" ADD COLUMN     "claim_id" UUID;

-- AlterTable
ALTER TABLE "claims" ADD COLUMN     "charged_total" INTEGER,
ADD COLUMN     "insurance_balance" INTEGER NOT NULL DEFAULT 0;

-- AddForeignKey
ALTER TABLE "journal_lines" ADD CONSTRAINT "journal_lines_claim_id_fkey" FOREIGN KEY ("claim_id") REFERENCES "claims"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

