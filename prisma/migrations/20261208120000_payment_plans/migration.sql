-- CreateEnum
CREATE TYPE "PaymentPlanStatus" AS ENUM ('active', 'past_due', 'paused', 'completed', 'canceled', 'defaulted');

-- CreateEnum
CREATE TYPE "PlanFrequency" AS ENUM ('weekly', 'biweekly', 'monthly');

-- CreateEnum
CREATE TYPE "InstallmentStatus" AS ENUM ('scheduled', 'paid', 'skipped', 'failed', 'canceled');

-- CreateEnum
CREATE TYPE "AutopaySubjectType" AS ENUM ('plan_installment', 'membership_period');

-- CreateEnum
CREATE TYPE "AutopayChargeStatus" AS ENUM ('scheduled', 'processing', 'succeeded', 'failed', 'canceled');

-- CreateEnum
CREATE TYPE "DeclineKind" AS ENUM ('soft', 'hard', 'authentication_required');

-- CreateEnum
CREATE TYPE "AfterLastFailure" AS ENUM ('defaulted', 'past_due');

-- CreateEnum
CREATE TYPE "AttentionKind" AS ENUM ('autopay_failed', 'card_expiring', 'authentication_required');

-- CreateTable
CREATE TABLE "payment_plans" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "patient_id" UUID NOT NULL,
    "status" "PaymentPlanStatus" NOT NULL DEFAULT 'active',
    "currency" CHAR(3) NOT NULL,
    "total_amount" INTEGER NOT NULL,
    "down_payment_amount" INTEGER NOT NULL DEFAULT 0,
    "installment_count" INTEGER NOT NULL,
    "frequency" "PlanFrequency" NOT NULL,
    "start_date" DATE NOT NULL,
    "saved_payment_method_id" UUID,
    "reminder_days_before" INTEGER NOT NULL DEFAULT 3,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "paused_at" TIMESTAMPTZ(3),
    "canceled_at" TIMESTAMPTZ(3),
    "completed_at" TIMESTAMPTZ(3),
    "defaulted_at" TIMESTAMPTZ(3),

    CONSTRAINT "payment_plans_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "payment_plan_invoices" (
    "plan_id" UUID NOT NULL,
    "invoice_id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "amount_at_start" INTEGER NOT NULL,

    CONSTRAINT "payment_plan_invoices_pkey" PRIMARY KEY ("plan_id","invoice_id")
);

-- CreateTable
CREATE TABLE "payment_plan_installments" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "plan_id" UUID NOT NULL,
    "sequence" INTEGER NOT NULL,
    "due_date" DATE NOT NULL,
    "scheduled_amount" INTEGER NOT NULL,
    "paid_amount" INTEGER NOT NULL DEFAULT 0,
    "status" "InstallmentStatus" NOT NULL DEFAULT 'scheduled',
    "reminder_sent_at" TIMESTAMPTZ(3),
    "paid_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "payment_plan_installments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "autopay_charges" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "patient_id" UUID NOT NULL,
    "subject_type" "AutopaySubjectType" NOT NULL,
    "subject_id" UUID NOT NULL,
    "attempt" INTEGER NOT NULL,
    "scheduled_for" TIMESTAMPTZ(3) NOT NULL,
    "status" "AutopayChargeStatus" NOT NULL DEFAULT 'scheduled',
    "amount" INTEGER,
    "currency" CHAR(3) NOT NULL,
    "saved_payment_method_id" UUID,
    "consent_id" UUID,
    "payment_id" UUID,
    "idempotency_key" VARCHAR(255) NOT NULL,
    "claimed_at" TIMESTAMPTZ(3),
    "decline_code" VARCHAR(100),
    "decline_kind" "DeclineKind",
    "failure_message" VARCHAR(500),
    "cancel_reason" VARCHAR(200),
    "completed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "autopay_charges_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "autopay_settings" (
    "organization_id" UUID NOT NULL,
    "retry_days" INTEGER[] DEFAULT ARRAY[1, 3, 7]::INTEGER[],
    "after_last_failure" "AfterLastFailure" NOT NULL DEFAULT 'past_due',
    "reminder_days_before" INTEGER NOT NULL DEFAULT 3,
    "max_plan_amount" INTEGER,
    "charge_hour" INTEGER NOT NULL DEFAULT 8,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "autopay_settings_pkey" PRIMARY KEY ("organization_id")
);

-- CreateTable
CREATE TABLE "attention_items" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "kind" "AttentionKind" NOT NULL,
    "patient_id" UUID NOT NULL,
    "payment_plan_id" UUID,
    "subject_id" UUID NOT NULL,
    "message" VARCHAR(500) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolved_at" TIMESTAMPTZ(3),

    CONSTRAINT "attention_items_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "payment_plans_organization_id_status_idx" ON "payment_plans"("organization_id", "status");

-- CreateIndex
CREATE INDEX "payment_plans_patient_id_idx" ON "payment_plans"("patient_id");

-- CreateIndex
CREATE INDEX "payment_plan_invoices_invoice_id_idx" ON "payment_plan_invoices"("invoice_id");

-- CreateIndex
CREATE INDEX "payment_plan_installments_status_due_date_idx" ON "payment_plan_installments"("status", "due_date");

-- CreateIndex
CREATE UNIQUE INDEX "payment_plan_installments_plan_id_sequence_key" ON "payment_plan_installments"("plan_id", "sequence");

-- CreateIndex
CREATE UNIQUE INDEX "autopay_charges_payment_id_key" ON "autopay_charges"("payment_id");

-- CreateIndex
CREATE UNIQUE INDEX "autopay_charges_idempotency_key_key" ON "autopay_charges"("idempotency_key");

-- CreateIndex
CREATE INDEX "autopay_charges_status_scheduled_for_idx" ON "autopay_charges"("status", "scheduled_for");

-- CreateIndex
CREATE UNIQUE INDEX "autopay_charges_subject_type_subject_id_attempt_key" ON "autopay_charges"("subject_type", "subject_id", "attempt");

-- CreateIndex
CREATE INDEX "attention_items_organization_id_resolved_at_idx" ON "attention_items"("organization_id", "resolved_at");

-- AddForeignKey
ALTER TABLE "payment_plans" ADD CONSTRAINT "payment_plans_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payment_plans" ADD CONSTRAINT "payment_plans_patient_id_fkey" FOREIGN KEY ("patient_id") REFERENCES "patients"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payment_plans" ADD CONSTRAINT "payment_plans_saved_payment_method_id_fkey" FOREIGN KEY ("saved_payment_method_id") REFERENCES "saved_payment_methods"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payment_plans" ADD CONSTRAINT "payment_plans_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payment_plan_invoices" ADD CONSTRAINT "payment_plan_invoices_plan_id_fkey" FOREIGN KEY ("plan_id") REFERENCES "payment_plans"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payment_plan_invoices" ADD CONSTRAINT "payment_plan_invoices_invoice_id_fkey" FOREIGN KEY ("invoice_id") REFERENCES "invoices"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payment_plan_invoices" ADD CONSTRAINT "payment_plan_invoices_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payment_plan_installments" ADD CONSTRAINT "payment_plan_installments_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payment_plan_installments" ADD CONSTRAINT "payment_plan_installments_plan_id_fkey" FOREIGN KEY ("plan_id") REFERENCES "payment_plans"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "autopay_charges" ADD CONSTRAINT "autopay_charges_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "autopay_charges" ADD CONSTRAINT "autopay_charges_patient_id_fkey" FOREIGN KEY ("patient_id") REFERENCES "patients"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "autopay_charges" ADD CONSTRAINT "autopay_charges_saved_payment_method_id_fkey" FOREIGN KEY ("saved_payment_method_id") REFERENCES "saved_payment_methods"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "autopay_charges" ADD CONSTRAINT "autopay_charges_consent_id_fkey" FOREIGN KEY ("consent_id") REFERENCES "payment_consents"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "autopay_charges" ADD CONSTRAINT "autopay_charges_payment_id_fkey" FOREIGN KEY ("payment_id") REFERENCES "payments"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "autopay_settings" ADD CONSTRAINT "autopay_settings_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "attention_items" ADD CONSTRAINT "attention_items_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "attention_items" ADD CONSTRAINT "attention_items_patient_id_fkey" FOREIGN KEY ("patient_id") REFERENCES "patients"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "attention_items" ADD CONSTRAINT "attention_items_payment_plan_id_fkey" FOREIGN KEY ("payment_plan_id") REFERENCES "payment_plans"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Hand-written: the rules a plan's numbers keep, enforced by the database as well as by zod.
ALTER TABLE "payment_plans" ADD CONSTRAINT "payment_plans_amounts" CHECK (
  "total_amount" > 0 AND "down_payment_amount" >= 0 AND "down_payment_amount" < "total_amount"
  AND "installment_count" BETWEEN 1 AND 60 AND "reminder_days_before" BETWEEN 0 AND 30);
ALTER TABLE "payment_plan_installments" ADD CONSTRAINT "payment_plan_installments_amounts" CHECK (
  "sequence" >= 0 AND "scheduled_amount" >= 0 AND "paid_amount" >= 0);
ALTER TABLE "autopay_charges" ADD CONSTRAINT "autopay_charges_amount" CHECK ("attempt" >= 1 AND ("amount" IS NULL OR "amount" > 0));
-- Hand-written: an off-session charge carries the consent it was made under (no consent, no charge).
ALTER TABLE "autopay_charges" ADD CONSTRAINT "autopay_charges_consent_when_charged" CHECK (
  "payment_id" IS NULL OR ("consent_id" IS NOT NULL AND "saved_payment_method_id" IS NOT NULL));
ALTER TABLE "autopay_settings" ADD CONSTRAINT "autopay_settings_ranges" CHECK (
  "charge_hour" BETWEEN 0 AND 23 AND "reminder_days_before" BETWEEN 0 AND 30
  AND ("max_plan_amount" IS NULL OR "max_plan_amount" > 0)
  AND cardinality("retry_days") <= 10 AND 0 < ALL ("retry_days"));

-- Hand-written: one open "Needs attention" item per kind and subject.
CREATE UNIQUE INDEX "attention_items_one_open" ON "attention_items"("organization_id", "kind", "subject_id") WHERE "resolved_at" IS NULL;
