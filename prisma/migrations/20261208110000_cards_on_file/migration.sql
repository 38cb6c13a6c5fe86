-- Cards on file: setups through SetupIntents (front desk, card links), card links, and the pay page's
-- consent recorded when the attempt starts (with the patient's IP and browser).

-- CreateEnum
CREATE TYPE "CardSetupStatus" AS ENUM ('pending', 'succeeded');

-- AlterTable
ALTER TABLE "payments" ADD COLUMN     "consent_id" UUID;

-- CreateTable
CREATE TABLE "card_setups" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "patient_id" UUID NOT NULL,
    "consent_id" UUID NOT NULL,
    "source" "CardOnFileSource" NOT NULL,
    "card_link_id" UUID,
    "make_default" BOOLEAN NOT NULL DEFAULT true,
    "replaces_card_id" UUID,
    "status" "CardSetupStatus" NOT NULL DEFAULT 'pending',
    "stripe_setup_intent_id" VARCHAR(255),
    "saved_payment_method_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" TIMESTAMPTZ(3),

    CONSTRAINT "card_setups_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "card_links" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "patient_id" UUID NOT NULL,
    "short_id" VARCHAR(24) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "revoked_at" TIMESTAMPTZ(3),
    "created_by_id" UUID,
    "emailed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "card_links_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "card_setups_stripe_setup_intent_id_key" ON "card_setups"("stripe_setup_intent_id");

-- CreateIndex
CREATE INDEX "card_setups_patient_id_created_at_idx" ON "card_setups"("patient_id", "created_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "card_links_short_id_key" ON "card_links"("short_id");

-- CreateIndex
CREATE INDEX "card_links_patient_id_created_at_idx" ON "card_links"("patient_id", "created_at" DESC);

-- AddForeignKey
ALTER TABLE "payments" ADD CONSTRAINT "payments_consent_id_fkey" FOREIGN KEY ("consent_id") REFERENCES "payment_consents"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "card_setups" ADD CONSTRAINT "card_setups_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "card_setups" ADD CONSTRAINT "card_setups_patient_id_fkey" FOREIGN KEY ("patient_id") REFERENCES "patients"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "card_setups" ADD CONSTRAINT "card_setups_consent_id_fkey" FOREIGN KEY ("consent_id") REFERENCES "payment_consents"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "card_setups" ADD CONSTRAINT "card_setups_card_link_id_fkey" FOREIGN KEY ("card_link_id") REFERENCES "card_links"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "card_setups" ADD CONSTRAINT "card_setups_saved_payment_method_id_fkey" FOREIGN KEY ("saved_payment_method_id") REFERENCES "saved_payment_methods"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "card_setups" ADD CONSTRAINT "card_setups_replaces_card_id_fkey" FOREIGN KEY ("replaces_card_id") REFERENCES "saved_payment_methods"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "card_links" ADD CONSTRAINT "card_links_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "card_links" ADD CONSTRAINT "card_links_patient_id_fkey" FOREIGN KEY ("patient_id") REFERENCES "patients"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "card_links" ADD CONSTRAINT "card_links_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Hand-written: one live card link per patient (a new one revokes the ones before it; this
-- keeps two concurrent "send link" clicks from leaving two live).
CREATE UNIQUE INDEX "card_links_one_live" ON "card_links"("patient_id") WHERE "revoked_at" IS NULL;
