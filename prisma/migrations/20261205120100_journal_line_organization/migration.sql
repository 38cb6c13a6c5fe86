-- Journal lines carry their journal's organization, and both their foreign keys include it: a
-- line's account must belong to the organization of its journal (a balanced journal of one clinic
-- can no longer post to another clinic's accounts).

-- DropForeignKey
ALTER TABLE "journal_lines" DROP CONSTRAINT "journal_lines_journal_entry_id_fkey";

-- DropForeignKey
ALTER TABLE "journal_lines" DROP CONSTRAINT "journal_lines_account_id_fkey";

-- AlterTable (filled from the journals before it becomes NOT NULL; the ledger is append-only, so the
-- owner running this migration lifts that trigger for the one backfill and puts it back)
ALTER TABLE "journal_lines" ADD COLUMN     "organization_id" UUID;
ALTER TABLE "journal_lines" DISABLE TRIGGER "journal_lines_append_only";
UPDATE "journal_lines" l SET "organization_id" = e."organization_id" FROM "journal_entries" e WHERE e."id" = l."journal_entry_id";
ALTER TABLE "journal_lines" ENABLE TRIGGER "journal_lines_append_only";
ALTER TABLE "journal_lines" ALTER COLUMN "organization_id" SET NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "ledger_accounts_id_organization_id_key" ON "ledger_accounts"("id", "organization_id");

-- CreateIndex
CREATE UNIQUE INDEX "journal_entries_id_organization_id_key" ON "journal_entries"("id", "organization_id");

-- AddForeignKey (fails, naming the constraint, if an existing line posts to another clinic's account)
ALTER TABLE "journal_lines" ADD CONSTRAINT "journal_lines_journal_entry_id_organization_id_fkey" FOREIGN KEY ("journal_entry_id", "organization_id") REFERENCES "journal_entries"("id", "organization_id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "journal_lines" ADD CONSTRAINT "journal_lines_account_id_organization_id_fkey" FOREIGN KEY ("account_id", "organization_id") REFERENCES "ledger_accounts"("id", "organization_id") ON DELETE RESTRICT ON UPDATE CASCADE;
