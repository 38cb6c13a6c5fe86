-- CreateEnum
CREATE TYPE "ConsentActor" AS ENUM ('patient_online', 'staff_on_behalf');

-- CreateEnum
CREATE TYPE "CardOnFileSource" AS ENUM ('pay_page', 'front_desk', 'card_link');

-- AlterEnum
ALTER TYPE "PaymentSource" ADD VALUE 'autopay';

-- AlterTable
ALTER TABLE "saved_payment_methods" ADD COLUMN     "consent_id" UUID,
ADD COLUMN     "is_default" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "source" "CardOnFileSource" NOT NULL DEFAULT 'pay_page',
ADD COLUMN     "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- CreateTable
CREATE TABLE "payment_consents" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "patient_id" UUID NOT NULL,
    "terms_version" VARCHAR(40) NOT NULL,
    "terms_text" TEXT NOT NULL,
    "accepted_by" "ConsentActor" NOT NULL,
    "accepted_by_user_id" UUID,
    "accepted_at" TIMESTAMPTZ(3) NOT NULL,
    "ip" VARCHAR(64),
    "user_agent" VARCHAR(500),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "payment_consents_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "payment_consents_patient_id_accepted_at_idx" ON "payment_consents"("patient_id", "accepted_at");

-- CreateIndex
CREATE INDEX "saved_payment_methods_consent_id_idx" ON "saved_payment_methods"("consent_id");

-- AddForeignKey
ALTER TABLE "payment_consents" ADD CONSTRAINT "payment_consents_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payment_consents" ADD CONSTRAINT "payment_consents_patient_id_fkey" FOREIGN KEY ("patient_id") REFERENCES "patients"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payment_consents" ADD CONSTRAINT "payment_consents_accepted_by_user_id_fkey" FOREIGN KEY ("accepted_by_user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "saved_payment_methods" ADD CONSTRAINT "saved_payment_methods_consent_id_fkey" FOREIGN KEY ("consent_id") REFERENCES "payment_consents"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Hand-written: at most one default card per patient among the cards not removed.
CREATE UNIQUE INDEX "saved_payment_methods_one_default" ON "saved_payment_methods"("patient_id") WHERE "is_default" AND "removed_at" IS NULL;

-- Hand-written: consents are a record, never edited or deleted (as the books and the audit log).
CREATE TRIGGER "payment_consents_append_only"
  BEFORE UPDATE OR DELETE ON "payment_consents"
  FOR EACH ROW EXECUTE FUNCTION "reject_modification"();
CREATE TRIGGER "payment_consents_no_truncate"
  BEFORE TRUNCATE ON "payment_consents"
  FOR EACH STATEMENT EXECUTE FUNCTION "reject_modification"();
REVOKE UPDATE, DELETE ON "payment_consents" FROM carebill_app;

-- Hand-written backfill: every card saved on the pay page so far was saved with the patient's
-- tick on "Save my card so <clinic> can charge it for future visits. You can ask the clinic to
-- remove it at any time." (terms version pay-page-2026-11), at the time of the payment that saved it.
WITH consents AS (
  INSERT INTO "payment_consents" ("id", "organization_id", "patient_id", "terms_version", "terms_text", "accepted_by", "accepted_at")
  SELECT c."id", c."organization_id", c."patient_id", 'pay-page-2026-11',
         'Save my card so ' || o."name" || ' can charge it for future visits. You can ask the clinic to remove it at any time.',
         'patient_online', c."consented_at"
  FROM "saved_payment_methods" c JOIN "organizations" o ON o."id" = c."organization_id"
  RETURNING "id"
)
UPDATE "saved_payment_methods" c SET "consent_id" = consents."id" FROM consents WHERE consents."id" = c."id";
