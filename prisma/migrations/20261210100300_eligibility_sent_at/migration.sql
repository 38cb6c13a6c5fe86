-- AlterTable
ALTER TABLE "eligibility_checks" ADD COLUMN     "send_error" VARCHAR(1000),
ADD COLUMN     "sent_at" TIMESTAMPTZ(3);

