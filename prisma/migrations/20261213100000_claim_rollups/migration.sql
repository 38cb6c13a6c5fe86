-- CreateTable
CREATE TABLE "claim_report_facts" (
    "claim_id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "payer_id" UUID NOT NULL,
    "cohort_day" DATE,
    "charge" INTEGER NOT NULL,
    "first_denied" BOOLEAN NOT NULL,
    "ar_day" DATE,
    "open_balance" INTEGER NOT NULL,
    "paid_day" DATE,
    "days_to_pay" INTEGER,

    CONSTRAINT "claim_report_facts_pkey" PRIMARY KEY ("claim_id")
);

-- CreateTable
CREATE TABLE "claim_daily_totals" (
    "organization_id" UUID NOT NULL,
    "payer_id" UUID NOT NULL,
    "day" DATE NOT NULL,
    "submitted" INTEGER NOT NULL,
    "submitted_charge" BIGINT NOT NULL,
    "denied" INTEGER NOT NULL,
    "denied_charge" BIGINT NOT NULL,
    "open_claims" INTEGER NOT NULL,
    "open_balance" BIGINT NOT NULL,

    CONSTRAINT "claim_daily_totals_pkey" PRIMARY KEY ("organization_id","payer_id","day")
);

-- CreateTable
CREATE TABLE "claim_days_to_pay" (
    "organization_id" UUID NOT NULL,
    "payer_id" UUID NOT NULL,
    "day" DATE NOT NULL,
    "days_to_pay" INTEGER NOT NULL,
    "claims" INTEGER NOT NULL,

    CONSTRAINT "claim_days_to_pay_pkey" PRIMARY KEY ("organization_id","payer_id","day","days_to_pay")
);

-- CreateTable
CREATE TABLE "claim_days_to_pay_monthly" (
    "organization_id" UUID NOT NULL,
    "payer_id" UUID NOT NULL,
    "month" DATE NOT NULL,
    "days_to_pay" INTEGER NOT NULL,
    "claims" INTEGER NOT NULL,

    CONSTRAINT "claim_days_to_pay_monthly_pkey" PRIMARY KEY ("organization_id","payer_id","month","days_to_pay")
);

-- CreateTable
CREATE TABLE "claim_rollup_dirty" (
    "organization_id" UUID NOT NULL,
    "claim_id" UUID NOT NULL,
    "marked_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "claim_rollup_dirty_pkey" PRIMARY KEY ("organization_id","claim_id")
);

-- CreateTable
CREATE TABLE "claim_rollup_state" (
    "organization_id" UUID NOT NULL,
    "timezone" VARCHAR(64) NOT NULL,
    "refreshed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "claim_rollup_state_pkey" PRIMARY KEY ("organization_id")
);

-- CreateIndex
CREATE INDEX "claim_report_facts_organization_id_payer_id_cohort_day_idx" ON "claim_report_facts"("organization_id", "payer_id", "cohort_day");

-- CreateIndex
CREATE INDEX "claim_report_facts_organization_id_payer_id_ar_day_idx" ON "claim_report_facts"("organization_id", "payer_id", "ar_day");

-- CreateIndex
CREATE INDEX "claim_report_facts_organization_id_payer_id_paid_day_idx" ON "claim_report_facts"("organization_id", "payer_id", "paid_day");


-- Hand-written: what marks a claim dirty for the insurance rollups (lib/analytics/refresh-claim-rollups.ts),
-- in the transaction that changes what the claim contributes. DO UPDATE (not DO NOTHING) so that the
-- changing transaction holds the dirty row's lock until it commits: a refresh skips locked rows and
-- never clears a mark whose change it cannot see yet.
CREATE FUNCTION "mark_claim_report_dirty"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  old_claim uuid;
  new_claim uuid;
BEGIN
  IF TG_TABLE_NAME = 'claims' THEN
    IF TG_OP <> 'INSERT' THEN old_claim := OLD.id; END IF;
    IF TG_OP <> 'DELETE' THEN new_claim := NEW.id; END IF;
  ELSE
    IF TG_OP <> 'INSERT' THEN old_claim := OLD.claim_id; END IF;
    IF TG_OP <> 'DELETE' THEN new_claim := NEW.claim_id; END IF;
  END IF;
  IF old_claim IS NOT NULL AND old_claim IS DISTINCT FROM new_claim THEN
    INSERT INTO claim_rollup_dirty (organization_id, claim_id) VALUES (OLD.organization_id, old_claim)
    ON CONFLICT (organization_id, claim_id) DO UPDATE SET marked_at = now();
  END IF;
  IF new_claim IS NOT NULL THEN
    INSERT INTO claim_rollup_dirty (organization_id, claim_id) VALUES (NEW.organization_id, new_claim)
    ON CONFLICT (organization_id, claim_id) DO UPDATE SET marked_at = now();
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "claims_mark_report_dirty_insert_delete" AFTER INSERT OR DELETE ON "claims"
  FOR EACH ROW EXECUTE FUNCTION mark_claim_report_dirty();
CREATE TRIGGER "claims_mark_report_dirty_update"
  AFTER UPDATE OF "status", "submitted_at", "created_at", "payer_id", "total_charge", "insurance_balance", "organization_id" ON "claims"
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.submitted_at IS DISTINCT FROM NEW.submitted_at
    OR OLD.created_at IS DISTINCT FROM NEW.created_at OR OLD.payer_id IS DISTINCT FROM NEW.payer_id
    OR OLD.total_charge IS DISTINCT FROM NEW.total_charge OR OLD.insurance_balance IS DISTINCT FROM NEW.insurance_balance
    OR OLD.organization_id IS DISTINCT FROM NEW.organization_id)
  EXECUTE FUNCTION mark_claim_report_dirty();
CREATE TRIGGER "remittance_claims_mark_report_dirty_insert_delete" AFTER INSERT OR DELETE ON "remittance_claims"
  FOR EACH ROW EXECUTE FUNCTION mark_claim_report_dirty();
CREATE TRIGGER "remittance_claims_mark_report_dirty_update"
  AFTER UPDATE OF "claim_id", "status", "paid_amount", "posted_at", "status_code", "organization_id" ON "remittance_claims"
  FOR EACH ROW WHEN (OLD.claim_id IS DISTINCT FROM NEW.claim_id OR OLD.status IS DISTINCT FROM NEW.status
    OR OLD.paid_amount IS DISTINCT FROM NEW.paid_amount OR OLD.posted_at IS DISTINCT FROM NEW.posted_at
    OR OLD.status_code IS DISTINCT FROM NEW.status_code OR OLD.organization_id IS DISTINCT FROM NEW.organization_id)
  EXECUTE FUNCTION mark_claim_report_dirty();
-- claim_events is append-only: only its remittance_posted rows (the first adjudication) matter.
CREATE TRIGGER "claim_events_mark_report_dirty" AFTER INSERT ON "claim_events"
  FOR EACH ROW WHEN (NEW.kind = 'remittance_posted') EXECUTE FUNCTION mark_claim_report_dirty();
