-- AlterTable
ALTER TABLE "payment_links" ADD COLUMN     "short_id" VARCHAR(24);

-- AlterTable
ALTER TABLE "payments" ADD COLUMN     "failed_at" TIMESTAMPTZ(3),
ADD COLUMN     "receipt_number" VARCHAR(20);

-- CreateIndex
CREATE UNIQUE INDEX "payment_links_short_id_key" ON "payment_links"("short_id");

-- CreateIndex
CREATE UNIQUE INDEX "payments_organization_id_receipt_number_key" ON "payments"("organization_id", "receipt_number");


-- Receipt numbers for payments recorded before this migration: every payment that succeeded (including
-- manual payments voided since, whose number stays taken), numbered per organization in the order
-- they were created; the "receipt" counter continues after the last one.
WITH numbered AS (
  SELECT id, organization_id, row_number() OVER (PARTITION BY organization_id ORDER BY created_at, id) AS n
  FROM "payments"
  WHERE "succeeded_at" IS NOT NULL
)
UPDATE "payments" p
SET "receipt_number" = 'RCT-' || lpad(numbered.n::text, 5, '0')
FROM numbered
WHERE p.id = numbered.id;

INSERT INTO "organization_counters" ("organization_id", "name", "value")
SELECT "organization_id", 'receipt', count(*)::int FROM "payments" WHERE "receipt_number" IS NOT NULL GROUP BY "organization_id"
ON CONFLICT ("organization_id", "name") DO UPDATE SET "value" = EXCLUDED."value";

-- When earlier declines happened: Stripe's payment_failed event when we have it, else the row's last change.
UPDATE "payments" p
SET "failed_at" = COALESCE(
  (SELECT max(e."stripe_created_at") FROM "stripe_events" e WHERE e."object_id" = p."stripe_payment_intent_id" AND e."type" = 'payment_intent.payment_failed'),
  p."updated_at")
WHERE p."failure_message" IS NOT NULL OR p."failure_code" IS NOT NULL;
