-- AlterTable
ALTER TABLE "journal_entries" ADD COLUMN     "xact_id" BIGINT NOT NULL DEFAULT ((pg_current_xact_id())::text)::bigint;

-- AlterTable
ALTER TABLE "payments" ADD COLUMN     "action_required_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "ledger_daily_totals" (
    "organization_id" UUID NOT NULL,
    "day" DATE NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "kind" VARCHAR(60) NOT NULL,
    "account_code" VARCHAR(20) NOT NULL,
    "channel" VARCHAR(20) NOT NULL DEFAULT '',
    "amount" BIGINT NOT NULL,
    "journals" INTEGER NOT NULL,

    CONSTRAINT "ledger_daily_totals_pkey" PRIMARY KEY ("organization_id","day","currency","kind","account_code","channel")
);

-- CreateTable
CREATE TABLE "service_daily_totals" (
    "organization_id" UUID NOT NULL,
    "day" DATE NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "service_code" VARCHAR(20) NOT NULL,
    "description" VARCHAR(500) NOT NULL,
    "net_charges" BIGINT NOT NULL,
    "collections" BIGINT NOT NULL,
    "lines" INTEGER NOT NULL,

    CONSTRAINT "service_daily_totals_pkey" PRIMARY KEY ("organization_id","day","currency","service_code","description")
);

-- CreateTable
CREATE TABLE "ledger_rollup_state" (
    "organization_id" UUID NOT NULL,
    "timezone" VARCHAR(64) NOT NULL,
    "horizon" BIGINT NOT NULL,
    "refreshed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ledger_rollup_state_pkey" PRIMARY KEY ("organization_id")
);

-- CreateIndex
CREATE INDEX "ledger_daily_totals_organization_id_account_code_currency_a_idx" ON "ledger_daily_totals"("organization_id", "account_code", "currency", "amount");

-- CreateIndex
CREATE INDEX "invoices_aging_idx" ON "invoices"("organization_id", "status", "finalized_at", "currency", "amount_due");

-- CreateIndex
CREATE INDEX "journal_entries_organization_id_xact_id_idx" ON "journal_entries"("organization_id", "xact_id");

-- CreateIndex
CREATE INDEX "payments_card_attempts_idx" ON "payments"("organization_id", "method_type", "created_at", "source", "status", "currency", "failed_at", "succeeded_at", "authorized_at", "action_required_at", "failure_code");

