-- AlterTable
ALTER TABLE "payments" ADD COLUMN     "keep_excess_as_credit" BOOLEAN NOT NULL DEFAULT false;

