-- CreateEnum
CREATE TYPE "CaptureMethod" AS ENUM ('automatic', 'manual');

-- CreateEnum
CREATE TYPE "RefundStatus" AS ENUM ('pending', 'succeeded', 'failed', 'canceled');

-- CreateEnum
CREATE TYPE "RefundReason" AS ENUM ('requested_by_customer', 'duplicate', 'fraudulent', 'other');

-- CreateEnum
CREATE TYPE "RefundMode" AS ENUM ('credit_note', 'reopen_balance');

-- CreateEnum
CREATE TYPE "CreditNoteStatus" AS ENUM ('issued', 'void');

-- CreateEnum
CREATE TYPE "CreditNoteDisposition" AS ENUM ('reduce_balance', 'patient_credit', 'refund');

-- CreateEnum
CREATE TYPE "DisputeStatus" AS ENUM ('warning_needs_response', 'warning_under_review', 'warning_closed', 'needs_response', 'under_review', 'won', 'lost');

-- CreateEnum
CREATE TYPE "DisputeResolution" AS ENUM ('reopened', 'written_off');

-- AlterEnum
ALTER TYPE "PaymentStatus" ADD VALUE 'voided';

-- AlterTable
ALTER TABLE "organizations" ADD COLUMN     "auto_apply_credit" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "card_capture_method" "CaptureMethod" NOT NULL DEFAULT 'automatic';

-- AlterTable
ALTER TABLE "invoices" ADD COLUMN     "amount_credited" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "disputed" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "journal_lines" ADD COLUMN     "patient_id" UUID;

-- AlterTable
ALTER TABLE "payments" ADD COLUMN     "amount_capturable" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "amount_refunded" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "authorized_at" TIMESTAMPTZ(3),
ADD COLUMN     "capture_before" TIMESTAMPTZ(3),
ADD COLUMN     "disputed" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "received_on" DATE,
ADD COLUMN     "recorded_by_id" UUID,
ADD COLUMN     "reference" VARCHAR(100),
ADD COLUMN     "void_reason" VARCHAR(500),
ADD COLUMN     "voided_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "payment_allocations" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "payment_id" UUID NOT NULL,
    "invoice_id" UUID NOT NULL,
    "amount" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "payment_allocations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "refunds" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "payment_id" UUID NOT NULL,
    "invoice_id" UUID NOT NULL,
    "patient_id" UUID NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "amount" INTEGER NOT NULL,
    "from_credit" INTEGER NOT NULL DEFAULT 0,
    "reason" "RefundReason" NOT NULL,
    "note" VARCHAR(500),
    "mode" "RefundMode" NOT NULL,
    "status" "RefundStatus" NOT NULL DEFAULT 'pending',
    "stripe_refund_id" VARCHAR(255),
    "failure_reason" VARCHAR(200),
    "credit_note_id" UUID,
    "requested_by_id" UUID,
    "succeeded_at" TIMESTAMPTZ(3),
    "failed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "refunds_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "credit_notes" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "invoice_id" UUID NOT NULL,
    "patient_id" UUID NOT NULL,
    "number" VARCHAR(20) NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "amount" INTEGER NOT NULL,
    "tax_amount" INTEGER NOT NULL DEFAULT 0,
    "disposition" "CreditNoteDisposition" NOT NULL,
    "reason" VARCHAR(500) NOT NULL,
    "status" "CreditNoteStatus" NOT NULL DEFAULT 'issued',
    "voided_at" TIMESTAMPTZ(3),
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "credit_notes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "patient_credit_balances" (
    "organization_id" UUID NOT NULL,
    "patient_id" UUID NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "balance" INTEGER NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "patient_credit_balances_pkey" PRIMARY KEY ("patient_id","currency")
);

-- CreateTable
CREATE TABLE "credit_applications" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "patient_id" UUID NOT NULL,
    "invoice_id" UUID NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "amount" INTEGER NOT NULL,
    "automatic" BOOLEAN NOT NULL DEFAULT false,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "credit_applications_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "disputes" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "payment_id" UUID NOT NULL,
    "invoice_id" UUID NOT NULL,
    "stripe_dispute_id" VARCHAR(255) NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "amount" INTEGER NOT NULL,
    "fee_amount" INTEGER NOT NULL DEFAULT 0,
    "reason" VARCHAR(60) NOT NULL,
    "status" "DisputeStatus" NOT NULL,
    "evidence_due_by" TIMESTAMPTZ(3),
    "evidence_note" VARCHAR(5000),
    "evidence_submitted_at" TIMESTAMPTZ(3),
    "closed_at" TIMESTAMPTZ(3),
    "resolution" "DisputeResolution",
    "resolved_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "disputes_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "payment_allocations_invoice_id_idx" ON "payment_allocations"("invoice_id");

-- CreateIndex
CREATE UNIQUE INDEX "payment_allocations_payment_id_invoice_id_key" ON "payment_allocations"("payment_id", "invoice_id");

-- CreateIndex
CREATE UNIQUE INDEX "refunds_stripe_refund_id_key" ON "refunds"("stripe_refund_id");

-- CreateIndex
CREATE UNIQUE INDEX "refunds_credit_note_id_key" ON "refunds"("credit_note_id");

-- CreateIndex
CREATE INDEX "refunds_payment_id_idx" ON "refunds"("payment_id");

-- CreateIndex
CREATE INDEX "refunds_organization_id_created_at_idx" ON "refunds"("organization_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "credit_notes_invoice_id_idx" ON "credit_notes"("invoice_id");

-- CreateIndex
CREATE UNIQUE INDEX "credit_notes_organization_id_number_key" ON "credit_notes"("organization_id", "number");

-- CreateIndex
CREATE INDEX "patient_credit_balances_organization_id_idx" ON "patient_credit_balances"("organization_id");

-- CreateIndex
CREATE INDEX "credit_applications_invoice_id_idx" ON "credit_applications"("invoice_id");

-- CreateIndex
CREATE INDEX "credit_applications_patient_id_idx" ON "credit_applications"("patient_id");

-- CreateIndex
CREATE UNIQUE INDEX "disputes_stripe_dispute_id_key" ON "disputes"("stripe_dispute_id");

-- CreateIndex
CREATE INDEX "disputes_organization_id_status_idx" ON "disputes"("organization_id", "status");

-- CreateIndex
CREATE INDEX "disputes_payment_id_idx" ON "disputes"("payment_id");

-- CreateIndex
CREATE INDEX "journal_lines_patient_id_idx" ON "journal_lines"("patient_id");

-- CreateIndex
CREATE INDEX "payments_patient_id_idx" ON "payments"("patient_id");

-- AddForeignKey
ALTER TABLE "payment_allocations" ADD CONSTRAINT "payment_allocations_payment_id_fkey" FOREIGN KEY ("payment_id") REFERENCES "payments"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payment_allocations" ADD CONSTRAINT "payment_allocations_invoice_id_fkey" FOREIGN KEY ("invoice_id") REFERENCES "invoices"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_payment_id_fkey" FOREIGN KEY ("payment_id") REFERENCES "payments"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_invoice_id_fkey" FOREIGN KEY ("invoice_id") REFERENCES "invoices"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_patient_id_fkey" FOREIGN KEY ("patient_id") REFERENCES "patients"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_credit_note_id_fkey" FOREIGN KEY ("credit_note_id") REFERENCES "credit_notes"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "credit_notes" ADD CONSTRAINT "credit_notes_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "credit_notes" ADD CONSTRAINT "credit_notes_invoice_id_fkey" FOREIGN KEY ("invoice_id") REFERENCES "invoices"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "credit_notes" ADD CONSTRAINT "credit_notes_patient_id_fkey" FOREIGN KEY ("patient_id") REFERENCES "patients"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "patient_credit_balances" ADD CONSTRAINT "patient_credit_balances_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "patient_credit_balances" ADD CONSTRAINT "patient_credit_balances_patient_id_fkey" FOREIGN KEY ("patient_id") REFERENCES "patients"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "credit_applications" ADD CONSTRAINT "credit_applications_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "credit_applications" ADD CONSTRAINT "credit_applications_patient_id_fkey" FOREIGN KEY ("patient_id") REFERENCES "patients"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "credit_applications" ADD CONSTRAINT "credit_applications_invoice_id_fkey" FOREIGN KEY ("invoice_id") REFERENCES "invoices"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "disputes" ADD CONSTRAINT "disputes_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "disputes" ADD CONSTRAINT "disputes_payment_id_fkey" FOREIGN KEY ("payment_id") REFERENCES "payments"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "disputes" ADD CONSTRAINT "disputes_invoice_id_fkey" FOREIGN KEY ("invoice_id") REFERENCES "invoices"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Hand-written (tests/schema-drift.test.ts compares everything else).

-- What an invoice asks for is what is left of it after payments, write-offs and credit notes.
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_amount_credited_non_negative" CHECK ("amount_credited" >= 0);
-- A payment never refunds more than it collected; authorizations are never negative.
ALTER TABLE "payments" ADD CONSTRAINT "payments_refunds_valid" CHECK (
  "amount_refunded" >= 0 AND "amount_refunded" <= "amount_received" AND "amount_capturable" >= 0
);
ALTER TABLE "payment_allocations" ADD CONSTRAINT "payment_allocations_amount_positive" CHECK ("amount" > 0);
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_amounts_valid" CHECK ("amount" > 0 AND "from_credit" >= 0 AND "from_credit" <= "amount");
ALTER TABLE "credit_notes" ADD CONSTRAINT "credit_notes_amounts_valid" CHECK ("amount" > 0 AND "tax_amount" >= 0 AND "tax_amount" <= "amount");
-- A patient's credit can be spent, never overdrawn.
ALTER TABLE "patient_credit_balances" ADD CONSTRAINT "patient_credit_balances_non_negative" CHECK ("balance" >= 0);
ALTER TABLE "credit_applications" ADD CONSTRAINT "credit_applications_amount_positive" CHECK ("amount" > 0);
ALTER TABLE "disputes" ADD CONSTRAINT "disputes_amounts_valid" CHECK ("amount" > 0 AND "fee_amount" >= 0);
