-- AlterTable
ALTER TABLE "clearinghouse_settings" ADD COLUMN     "sftp_host_key_sha256" VARCHAR(60);

