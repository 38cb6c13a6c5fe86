-- AlterTable
ALTER TABLE "organizations" ADD COLUMN     "email" VARCHAR(254),
ADD COLUMN     "phone" VARCHAR(32),
ADD COLUMN     "website" VARCHAR(200);

-- AlterTable
ALTER TABLE "patients" ADD COLUMN     "address_line1" VARCHAR(200),
ADD COLUMN     "address_line2" VARCHAR(200),
ADD COLUMN     "city" VARCHAR(100),
ADD COLUMN     "country" CHAR(2) NOT NULL DEFAULT 'US',
ADD COLUMN     "postal_code" VARCHAR(20),
ADD COLUMN     "region" VARCHAR(100);

-- CreateTable
CREATE TABLE "organization_logos" (
    "organization_id" UUID NOT NULL,
    "content_type" VARCHAR(32) NOT NULL,
    "data" BYTEA NOT NULL,
    "sha256" CHAR(64) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "organization_logos_pkey" PRIMARY KEY ("organization_id")
);

-- AddForeignKey
ALTER TABLE "organization_logos" ADD CONSTRAINT "organization_logos_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- The logo rules (lib/organizations/organization-logo.ts) kept by the database as well.
ALTER TABLE "organization_logos" ADD CONSTRAINT "organization_logos_content_type" CHECK ("content_type" IN ('image/png', 'image/jpeg'));
ALTER TABLE "organization_logos" ADD CONSTRAINT "organization_logos_size" CHECK (octet_length("data") BETWEEN 1 AND 524288);
