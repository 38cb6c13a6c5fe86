-- CreateEnum
CREATE TYPE "MembershipInterval" AS ENUM ('monthly', 'yearly');

-- CreateEnum
CREATE TYPE "MembershipStatus" AS ENUM ('active', 'past_due', 'paused', 'canceled', 'defaulted');

-- CreateEnum
CREATE TYPE "MembershipPeriodStatus" AS ENUM ('open', 'paid', 'failed', 'canceled');

-- AlterTable
ALTER TABLE "attention_items" ADD COLUMN     "membership_id" UUID;

-- CreateTable
CREATE TABLE "membership_plans" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "name" VARCHAR(120) NOT NULL,
    "description" VARCHAR(1000),
    "amount" INTEGER NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "interval" "MembershipInterval" NOT NULL,
    "archived_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "membership_plans_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "patient_memberships" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "patient_id" UUID NOT NULL,
    "membership_plan_id" UUID NOT NULL,
    "status" "MembershipStatus" NOT NULL DEFAULT 'active',
    "start_date" DATE NOT NULL,
    "saved_payment_method_id" UUID,
    "cancel_at_period_end" BOOLEAN NOT NULL DEFAULT false,
    "cancel_requested_by" "ConsentActor",
    "paused_at" TIMESTAMPTZ(3),
    "canceled_at" TIMESTAMPTZ(3),
    "defaulted_at" TIMESTAMPTZ(3),
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "patient_memberships_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "membership_periods" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "membership_id" UUID NOT NULL,
    "sequence" INTEGER NOT NULL,
    "period_start" DATE NOT NULL,
    "period_end" DATE NOT NULL,
    "amount" INTEGER NOT NULL,
    "invoice_id" UUID NOT NULL,
    "status" "MembershipPeriodStatus" NOT NULL DEFAULT 'open',
    "paid_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "membership_periods_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "membership_plans_organization_id_name_key" ON "membership_plans"("organization_id", "name");

-- CreateIndex
CREATE INDEX "patient_memberships_organization_id_status_idx" ON "patient_memberships"("organization_id", "status");

-- CreateIndex
CREATE INDEX "patient_memberships_patient_id_idx" ON "patient_memberships"("patient_id");

-- CreateIndex
CREATE INDEX "patient_memberships_membership_plan_id_idx" ON "patient_memberships"("membership_plan_id");

-- CreateIndex
CREATE UNIQUE INDEX "membership_periods_invoice_id_key" ON "membership_periods"("invoice_id");

-- CreateIndex
CREATE INDEX "membership_periods_status_idx" ON "membership_periods"("status");

-- CreateIndex
CREATE UNIQUE INDEX "membership_periods_membership_id_sequence_key" ON "membership_periods"("membership_id", "sequence");

-- AddForeignKey
ALTER TABLE "attention_items" ADD CONSTRAINT "attention_items_membership_id_fkey" FOREIGN KEY ("membership_id") REFERENCES "patient_memberships"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "membership_plans" ADD CONSTRAINT "membership_plans_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "patient_memberships" ADD CONSTRAINT "patient_memberships_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "patient_memberships" ADD CONSTRAINT "patient_memberships_patient_id_fkey" FOREIGN KEY ("patient_id") REFERENCES "patients"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "patient_memberships" ADD CONSTRAINT "patient_memberships_membership_plan_id_fkey" FOREIGN KEY ("membership_plan_id") REFERENCES "membership_plans"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "patient_memberships" ADD CONSTRAINT "patient_memberships_saved_payment_method_id_fkey" FOREIGN KEY ("saved_payment_method_id") REFERENCES "saved_payment_methods"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "patient_memberships" ADD CONSTRAINT "patient_memberships_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "membership_periods" ADD CONSTRAINT "membership_periods_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "membership_periods" ADD CONSTRAINT "membership_periods_membership_id_fkey" FOREIGN KEY ("membership_id") REFERENCES "patient_memberships"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "membership_periods" ADD CONSTRAINT "membership_periods_invoice_id_fkey" FOREIGN KEY ("invoice_id") REFERENCES "invoices"("id") ON DELETE RESTRICT ON UPDATE CASCADE;



-- Hand-written: the rules a membership's numbers keep, enforced by the database as well as by zod.
ALTER TABLE "membership_plans" ADD CONSTRAINT "membership_plans_amount" CHECK ("amount" > 0);
ALTER TABLE "membership_periods" ADD CONSTRAINT "membership_periods_dates" CHECK (
  "sequence" >= 1 AND "amount" > 0 AND "period_end" > "period_start");

-- Hand-written: a patient is enrolled at most once in a plan at a time (canceled and defaulted memberships do not count).
CREATE UNIQUE INDEX "patient_memberships_one_live" ON "patient_memberships"("patient_id", "membership_plan_id") WHERE "status" IN ('active', 'past_due', 'paused');
