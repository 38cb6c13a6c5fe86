-- AlterTable
ALTER TABLE "remittances" ADD COLUMN     "posting_finished_at" TIMESTAMPTZ(3),
ADD COLUMN     "posting_queued_at" TIMESTAMPTZ(3);


-- Hand-written (Prisma cannot express partial indexes): the remittances the background job still has
-- to post, for its sweep every minute (lib/remittances/post-queued-remittance.ts); empty most of the time.
CREATE INDEX "remittances_posting_waiting" ON "remittances"("posting_queued_at")
  WHERE "posting_queued_at" IS NOT NULL AND "posting_finished_at" IS NULL;
