-- CreateEnum
CREATE TYPE "EligibilityCheckStatus" AS ENUM ('requested', 'answered', 'failed');

-- CreateEnum
CREATE TYPE "ClaimStatus" AS ENUM ('draft', 'ready', 'submitted', 'accepted', 'rejected', 'paid', 'partially_paid', 'denied', 'closed');

-- AlterTable
ALTER TABLE "patients" ADD COLUMN     "release_of_information" CHAR(1),
ADD COLUMN     "sex" CHAR(1);

-- CreateTable
CREATE TABLE "practice_profiles" (
    "organization_id" UUID NOT NULL,
    "legal_name" VARCHAR(60) NOT NULL,
    "npi" CHAR(10) NOT NULL,
    "ein" CHAR(9) NOT NULL,
    "taxonomy_code" CHAR(10) NOT NULL,
    "address_line1" VARCHAR(55) NOT NULL,
    "address_line2" VARCHAR(55),
    "city" VARCHAR(30) NOT NULL,
    "state" CHAR(2) NOT NULL,
    "postal_code" VARCHAR(9) NOT NULL,
    "contact_name" VARCHAR(60),
    "contact_phone" VARCHAR(20),
    "default_place_of_service" CHAR(2) NOT NULL DEFAULT '11',
    "provider_signature_on_file" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "practice_profiles_pkey" PRIMARY KEY ("organization_id")
);

-- CreateTable
CREATE TABLE "rendering_providers" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "first_name" VARCHAR(35) NOT NULL,
    "last_name" VARCHAR(60) NOT NULL,
    "npi" CHAR(10) NOT NULL,
    "taxonomy_code" CHAR(10),
    "archived_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "rendering_providers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "payers" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "name" VARCHAR(60) NOT NULL,
    "payer_id" VARCHAR(80) NOT NULL,
    "claim_filing_indicator" VARCHAR(2) NOT NULL,
    "address_line1" VARCHAR(55),
    "address_line2" VARCHAR(55),
    "city" VARCHAR(30),
    "state" CHAR(2),
    "postal_code" VARCHAR(9),
    "archived_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "payers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "coverages" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "patient_id" UUID NOT NULL,
    "payer_id" UUID NOT NULL,
    "priority" INTEGER NOT NULL,
    "member_id" VARCHAR(80) NOT NULL,
    "group_number" VARCHAR(50),
    "group_name" VARCHAR(60),
    "relationship_code" VARCHAR(2) NOT NULL DEFAULT '18',
    "subscriber_first_name" VARCHAR(35),
    "subscriber_last_name" VARCHAR(60),
    "subscriber_middle_name" VARCHAR(25),
    "subscriber_birth_date" DATE,
    "subscriber_sex" CHAR(1),
    "subscriber_address_line1" VARCHAR(55),
    "subscriber_address_line2" VARCHAR(55),
    "subscriber_city" VARCHAR(30),
    "subscriber_state" CHAR(2),
    "subscriber_postal_code" VARCHAR(9),
    "effective_from" DATE NOT NULL,
    "effective_to" DATE,
    "accepts_assignment" CHAR(1) NOT NULL DEFAULT 'A',
    "benefits_assigned" CHAR(1) NOT NULL DEFAULT 'Y',
    "copays" JSONB NOT NULL DEFAULT '[]',
    "coinsurance_basis_points" INTEGER,
    "deductible_individual" INTEGER,
    "deductible_individual_met" INTEGER,
    "deductible_family" INTEGER,
    "deductible_family_met" INTEGER,
    "out_of_pocket_max_individual" INTEGER,
    "out_of_pocket_max_individual_met" INTEGER,
    "out_of_pocket_max_family" INTEGER,
    "out_of_pocket_max_family_met" INTEGER,
    "benefits_verified_at" TIMESTAMPTZ(3),
    "benefits_source" VARCHAR(20),
    "archived_at" TIMESTAMPTZ(3),
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "coverages_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "coverage_revisions" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "coverage_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "change" VARCHAR(40) NOT NULL,
    "snapshot" JSONB NOT NULL,
    "actor" VARCHAR(200) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "coverage_revisions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "eligibility_checks" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "coverage_id" UUID NOT NULL,
    "status" "EligibilityCheckStatus" NOT NULL DEFAULT 'requested',
    "service_type_codes" TEXT[] DEFAULT ARRAY['30']::TEXT[],
    "interchange_control_number" INTEGER NOT NULL,
    "trace_number" VARCHAR(50) NOT NULL,
    "request_x12" TEXT NOT NULL,
    "response_x12" TEXT,
    "active" BOOLEAN,
    "benefits" JSONB,
    "problems" JSONB NOT NULL DEFAULT '[]',
    "requested_by" VARCHAR(200) NOT NULL,
    "requested_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "answered_at" TIMESTAMPTZ(3),

    CONSTRAINT "eligibility_checks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "visits" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "patient_id" UUID NOT NULL,
    "service_date" DATE NOT NULL,
    "place_of_service" CHAR(2) NOT NULL,
    "rendering_provider_id" UUID,
    "diagnoses" TEXT[],
    "note" VARCHAR(1000),
    "created_by" VARCHAR(200) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "visits_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "visit_charges" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "visit_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "procedure_code" VARCHAR(5) NOT NULL,
    "modifiers" TEXT[],
    "description" VARCHAR(200),
    "units" DECIMAL(8,3) NOT NULL,
    "charge_amount" INTEGER NOT NULL,
    "service_date" DATE NOT NULL,
    "service_date_end" DATE,
    "place_of_service" CHAR(2),
    "rendering_provider_id" UUID,
    "diagnosis_pointers" INTEGER[],

    CONSTRAINT "visit_charges_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "claims" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "number" INTEGER NOT NULL,
    "patient_id" UUID NOT NULL,
    "visit_id" UUID NOT NULL,
    "coverage_id" UUID NOT NULL,
    "payer_id" UUID NOT NULL,
    "status" "ClaimStatus" NOT NULL DEFAULT 'draft',
    "frequency_code" CHAR(1) NOT NULL DEFAULT '1',
    "replaces_claim_id" UUID,
    "payer_claim_number" VARCHAR(50),
    "place_of_service" CHAR(2) NOT NULL,
    "rendering_provider_id" UUID,
    "diagnoses" TEXT[],
    "total_charge" INTEGER NOT NULL,
    "problems" JSONB NOT NULL DEFAULT '[]',
    "rejection_reasons" JSONB NOT NULL DEFAULT '[]',
    "submitted_at" TIMESTAMPTZ(3),
    "acknowledged_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "claims_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "claim_lines" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "claim_id" UUID NOT NULL,
    "visit_charge_id" UUID,
    "position" INTEGER NOT NULL,
    "procedure_code" VARCHAR(5) NOT NULL,
    "modifiers" TEXT[],
    "description" VARCHAR(200),
    "units" DECIMAL(8,3) NOT NULL,
    "charge_amount" INTEGER NOT NULL,
    "service_date" DATE NOT NULL,
    "service_date_end" DATE,
    "place_of_service" CHAR(2),
    "diagnosis_pointers" INTEGER[],

    CONSTRAINT "claim_lines_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "claim_events" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "claim_id" UUID NOT NULL,
    "from_status" "ClaimStatus",
    "to_status" "ClaimStatus" NOT NULL,
    "kind" VARCHAR(40) NOT NULL,
    "message" VARCHAR(2000),
    "details" JSONB,
    "batch_id" UUID,
    "file_id" UUID,
    "actor" VARCHAR(200) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "claim_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "claim_batches" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "interchange_control_number" INTEGER NOT NULL,
    "group_control_number" INTEGER NOT NULL,
    "transaction_set_control_number" INTEGER NOT NULL,
    "file_name" VARCHAR(120) NOT NULL,
    "content" TEXT NOT NULL,
    "claim_count" INTEGER NOT NULL,
    "total_charge" INTEGER NOT NULL,
    "channel" VARCHAR(20) NOT NULL,
    "sent_at" TIMESTAMPTZ(3),
    "send_error" VARCHAR(1000),
    "acknowledgment" VARCHAR(30),
    "acknowledged_at" TIMESTAMPTZ(3),
    "created_by" VARCHAR(200) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "claim_batches_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "claim_batch_claims" (
    "batch_id" UUID NOT NULL,
    "claim_id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "claim_number" VARCHAR(38) NOT NULL,

    CONSTRAINT "claim_batch_claims_pkey" PRIMARY KEY ("batch_id","claim_id")
);

-- CreateTable
CREATE TABLE "clearinghouse_settings" (
    "organization_id" UUID NOT NULL,
    "connection" VARCHAR(20) NOT NULL DEFAULT 'manual',
    "submitter_id" VARCHAR(15) NOT NULL,
    "submitter_name" VARCHAR(60) NOT NULL,
    "receiver_id" VARCHAR(15) NOT NULL,
    "receiver_name" VARCHAR(60) NOT NULL,
    "usage_indicator" CHAR(1) NOT NULL DEFAULT 'P',
    "sftp_host" VARCHAR(255),
    "sftp_port" INTEGER,
    "sftp_username" VARCHAR(100),
    "sftp_private_key_encrypted" TEXT,
    "sftp_upload_path" VARCHAR(255),
    "sftp_download_path" VARCHAR(255),
    "last_polled_at" TIMESTAMPTZ(3),
    "last_poll_error" VARCHAR(1000),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "clearinghouse_settings_pkey" PRIMARY KEY ("organization_id")
);

-- CreateTable
CREATE TABLE "clearinghouse_files" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "kind" VARCHAR(10) NOT NULL,
    "source" VARCHAR(20) NOT NULL,
    "file_name" VARCHAR(255) NOT NULL,
    "content" TEXT NOT NULL,
    "sha256" CHAR(64) NOT NULL,
    "sender_id" VARCHAR(15) NOT NULL,
    "interchange_control_number" VARCHAR(9) NOT NULL,
    "summary" JSONB NOT NULL DEFAULT '[]',
    "imported_by" VARCHAR(200) NOT NULL,
    "imported_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "clearinghouse_files_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "rendering_providers_organization_id_npi_key" ON "rendering_providers"("organization_id", "npi");

-- CreateIndex
CREATE UNIQUE INDEX "payers_organization_id_payer_id_key" ON "payers"("organization_id", "payer_id");

-- CreateIndex
CREATE INDEX "coverages_patient_id_priority_idx" ON "coverages"("patient_id", "priority");

-- CreateIndex
CREATE INDEX "coverages_organization_id_payer_id_idx" ON "coverages"("organization_id", "payer_id");

-- CreateIndex
CREATE UNIQUE INDEX "coverage_revisions_coverage_id_version_key" ON "coverage_revisions"("coverage_id", "version");

-- CreateIndex
CREATE INDEX "eligibility_checks_coverage_id_requested_at_idx" ON "eligibility_checks"("coverage_id", "requested_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "eligibility_checks_organization_id_trace_number_key" ON "eligibility_checks"("organization_id", "trace_number");

-- CreateIndex
CREATE INDEX "visits_organization_id_service_date_idx" ON "visits"("organization_id", "service_date" DESC);

-- CreateIndex
CREATE INDEX "visits_patient_id_idx" ON "visits"("patient_id");

-- CreateIndex
CREATE UNIQUE INDEX "visit_charges_visit_id_position_key" ON "visit_charges"("visit_id", "position");

-- CreateIndex
CREATE INDEX "claims_organization_id_status_created_at_idx" ON "claims"("organization_id", "status", "created_at" DESC);

-- CreateIndex
CREATE INDEX "claims_organization_id_payer_id_idx" ON "claims"("organization_id", "payer_id");

-- CreateIndex
CREATE INDEX "claims_patient_id_idx" ON "claims"("patient_id");

-- CreateIndex
CREATE INDEX "claims_visit_id_idx" ON "claims"("visit_id");

-- CreateIndex
CREATE UNIQUE INDEX "claims_organization_id_number_key" ON "claims"("organization_id", "number");

-- CreateIndex
CREATE UNIQUE INDEX "claim_lines_claim_id_position_key" ON "claim_lines"("claim_id", "position");

-- CreateIndex
CREATE INDEX "claim_events_claim_id_created_at_idx" ON "claim_events"("claim_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "claim_batches_organization_id_interchange_control_number_key" ON "claim_batches"("organization_id", "interchange_control_number");

-- CreateIndex
CREATE UNIQUE INDEX "claim_batches_organization_id_group_control_number_key" ON "claim_batches"("organization_id", "group_control_number");

-- CreateIndex
CREATE UNIQUE INDEX "claim_batches_organization_id_transaction_set_control_numbe_key" ON "claim_batches"("organization_id", "transaction_set_control_number");

-- CreateIndex
CREATE INDEX "claim_batch_claims_claim_id_idx" ON "claim_batch_claims"("claim_id");

-- CreateIndex
CREATE INDEX "clearinghouse_files_organization_id_imported_at_idx" ON "clearinghouse_files"("organization_id", "imported_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "clearinghouse_files_organization_id_sender_id_interchange_c_key" ON "clearinghouse_files"("organization_id", "sender_id", "interchange_control_number");

-- CreateIndex
CREATE UNIQUE INDEX "clearinghouse_files_organization_id_sha256_key" ON "clearinghouse_files"("organization_id", "sha256");

-- AddForeignKey
ALTER TABLE "practice_profiles" ADD CONSTRAINT "practice_profiles_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rendering_providers" ADD CONSTRAINT "rendering_providers_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payers" ADD CONSTRAINT "payers_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "coverages" ADD CONSTRAINT "coverages_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "coverages" ADD CONSTRAINT "coverages_patient_id_fkey" FOREIGN KEY ("patient_id") REFERENCES "patients"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "coverages" ADD CONSTRAINT "coverages_payer_id_fkey" FOREIGN KEY ("payer_id") REFERENCES "payers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "coverage_revisions" ADD CONSTRAINT "coverage_revisions_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "coverage_revisions" ADD CONSTRAINT "coverage_revisions_coverage_id_fkey" FOREIGN KEY ("coverage_id") REFERENCES "coverages"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "eligibility_checks" ADD CONSTRAINT "eligibility_checks_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "eligibility_checks" ADD CONSTRAINT "eligibility_checks_coverage_id_fkey" FOREIGN KEY ("coverage_id") REFERENCES "coverages"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "visits" ADD CONSTRAINT "visits_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "visits" ADD CONSTRAINT "visits_patient_id_fkey" FOREIGN KEY ("patient_id") REFERENCES "patients"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "visits" ADD CONSTRAINT "visits_rendering_provider_id_fkey" FOREIGN KEY ("rendering_provider_id") REFERENCES "rendering_providers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "visit_charges" ADD CONSTRAINT "visit_charges_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "visit_charges" ADD CONSTRAINT "visit_charges_visit_id_fkey" FOREIGN KEY ("visit_id") REFERENCES "visits"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "visit_charges" ADD CONSTRAINT "visit_charges_rendering_provider_id_fkey" FOREIGN KEY ("rendering_provider_id") REFERENCES "rendering_providers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "claims" ADD CONSTRAINT "claims_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "claims" ADD CONSTRAINT "claims_patient_id_fkey" FOREIGN KEY ("patient_id") REFERENCES "patients"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "claims" ADD CONSTRAINT "claims_visit_id_fkey" FOREIGN KEY ("visit_id") REFERENCES "visits"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "claims" ADD CONSTRAINT "claims_coverage_id_fkey" FOREIGN KEY ("coverage_id") REFERENCES "coverages"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "claims" ADD CONSTRAINT "claims_payer_id_fkey" FOREIGN KEY ("payer_id") REFERENCES "payers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "claims" ADD CONSTRAINT "claims_rendering_provider_id_fkey" FOREIGN KEY ("rendering_provider_id") REFERENCES "rendering_providers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "claims" ADD CONSTRAINT "claims_replaces_claim_id_fkey" FOREIGN KEY ("replaces_claim_id") REFERENCES "claims"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "claim_lines" ADD CONSTRAINT "claim_lines_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "claim_lines" ADD CONSTRAINT "claim_lines_claim_id_fkey" FOREIGN KEY ("claim_id") REFERENCES "claims"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "claim_events" ADD CONSTRAINT "claim_events_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "claim_events" ADD CONSTRAINT "claim_events_claim_id_fkey" FOREIGN KEY ("claim_id") REFERENCES "claims"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "claim_batches" ADD CONSTRAINT "claim_batches_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "claim_batch_claims" ADD CONSTRAINT "claim_batch_claims_batch_id_fkey" FOREIGN KEY ("batch_id") REFERENCES "claim_batches"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "claim_batch_claims" ADD CONSTRAINT "claim_batch_claims_claim_id_fkey" FOREIGN KEY ("claim_id") REFERENCES "claims"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "claim_batch_claims" ADD CONSTRAINT "claim_batch_claims_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "clearinghouse_settings" ADD CONSTRAINT "clearinghouse_settings_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "clearinghouse_files" ADD CONSTRAINT "clearinghouse_files_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Hand-written: a coverage's history and a claim's history are a record, never edited or deleted.
CREATE TRIGGER "coverage_revisions_append_only"
  BEFORE UPDATE OR DELETE ON "coverage_revisions"
  FOR EACH ROW EXECUTE FUNCTION "reject_modification"();
CREATE TRIGGER "coverage_revisions_no_truncate"
  BEFORE TRUNCATE ON "coverage_revisions"
  FOR EACH STATEMENT EXECUTE FUNCTION "reject_modification"();
REVOKE UPDATE, DELETE ON "coverage_revisions" FROM carebill_app;
CREATE TRIGGER "claim_events_append_only"
  BEFORE UPDATE OR DELETE ON "claim_events"
  FOR EACH ROW EXECUTE FUNCTION "reject_modification"();
CREATE TRIGGER "claim_events_no_truncate"
  BEFORE TRUNCATE ON "claim_events"
  FOR EACH STATEMENT EXECUTE FUNCTION "reject_modification"();
REVOKE UPDATE, DELETE ON "claim_events" FROM carebill_app;
