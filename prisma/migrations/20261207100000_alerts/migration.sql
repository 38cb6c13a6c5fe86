-- CreateEnum
CREATE TYPE "AlertRuleKind" AS ENUM ('card_failure_rate', 'webhook_failures', 'dispute_opened', 'payment_stuck', 'email_failed');

-- CreateTable
CREATE TABLE "alert_rules" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "rule" "AlertRuleKind" NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "settings" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "alert_rules_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alerts" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "rule" "AlertRuleKind" NOT NULL,
    "active_rule" "AlertRuleKind",
    "detail" VARCHAR(1000) NOT NULL,
    "fired_at" TIMESTAMPTZ(3) NOT NULL,
    "cleared_at" TIMESTAMPTZ(3),
    "emailed_at" TIMESTAMPTZ(3),

    CONSTRAINT "alerts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "stripe_event_failures" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "event_id" VARCHAR(255) NOT NULL,
    "type" VARCHAR(100) NOT NULL,
    "organization_id" UUID,
    "error" VARCHAR(200) NOT NULL,
    "failed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "stripe_event_failures_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "alert_rules_organization_id_rule_key" ON "alert_rules"("organization_id", "rule");

-- CreateIndex
CREATE INDEX "alerts_organization_id_fired_at_idx" ON "alerts"("organization_id", "fired_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "alerts_organization_id_active_rule_key" ON "alerts"("organization_id", "active_rule");

-- CreateIndex
CREATE INDEX "stripe_event_failures_organization_id_failed_at_idx" ON "stripe_event_failures"("organization_id", "failed_at");

-- AddForeignKey
ALTER TABLE "alert_rules" ADD CONSTRAINT "alert_rules_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "stripe_event_failures" ADD CONSTRAINT "stripe_event_failures_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- An active alert names its own rule; a cleared one has no active rule (hand-written: Prisma cannot express CHECKs).
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_active_rule_matches" CHECK (
  ("active_rule" IS NULL AND "cleared_at" IS NOT NULL) OR ("active_rule" = "rule" AND "cleared_at" IS NULL)
);
