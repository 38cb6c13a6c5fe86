-- AlterTable
-- Staff type phone numbers as they read them ("(555) 010-2233"), patients are stored as they were
-- entered: search compares digits only. A generated column keeps the digits in step with `phone`
-- whoever writes it (app, API, imports); Prisma sees an ordinary nullable column it never writes.
ALTER TABLE "patients" ADD COLUMN "phone_digits" VARCHAR(40)
  GENERATED ALWAYS AS (NULLIF(regexp_replace("phone", '[^0-9]', '', 'g'), '')) STORED;
