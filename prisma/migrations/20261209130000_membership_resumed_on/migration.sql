-- AlterTable
ALTER TABLE "patient_memberships" ADD COLUMN     "resumed_on" DATE;

