-- AlterTable
ALTER TABLE "idempotency_records" ADD COLUMN     "attempts" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "lease_token" UUID,
ADD COLUMN     "locked_until" TIMESTAMPTZ(3);

