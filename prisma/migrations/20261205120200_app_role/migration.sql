-- Hand-written: the app's own role. Migrations run as the role that owns the tables (the owner);
-- the app connects as carebill_app, which may read and write rows but owns nothing: it cannot
-- ALTER, DROP or TRUNCATE a table, disable or drop a trigger, set session_replication_role (a
-- superuser's setting), or edit the append-only ledger and audit log. See README "Production".

-- Roles belong to the whole cluster. Production creates carebill_app beforehand, with LOGIN and a
-- password (README); elsewhere it is made here, without LOGIN (tests and the embedded database
-- connect as it in their own ways). Two databases migrating at once may both try to create it.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'carebill_app') THEN
    CREATE ROLE carebill_app NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOREPLICATION;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL;
END;
$$;

GRANT USAGE ON SCHEMA public TO carebill_app;

-- Rows of every table, and the same for tables later migrations create (default privileges of the
-- role running the migrations)…
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO carebill_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO carebill_app;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO carebill_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO carebill_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO carebill_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT EXECUTE ON FUNCTIONS TO carebill_app;

-- …except the append-only books and audit log (read and append only; their triggers refuse the
-- rest too) and the migrator's own records. A new append-only table must revoke the same
-- (lib/db/app-role.test.ts checks every table with a reject_modification trigger).
REVOKE UPDATE, DELETE ON "journal_entries", "journal_lines", "audit_events" FROM carebill_app;
REVOKE ALL ON "_prisma_migrations" FROM carebill_app;

-- The job queue (pg-boss) keeps its tables in schema pgboss, which the app creates and migrates as
-- it starts (lib/jobs/boss.ts): it may create objects there, and owns them, but not schemas. The
-- queue holds wake-up signals and cron state only (email lives in the outbox, polled every 5 s),
-- so a pgboss made earlier by another role is dropped and made again by the app.
DROP SCHEMA IF EXISTS pgboss CASCADE;
CREATE SCHEMA pgboss;
GRANT USAGE, CREATE ON SCHEMA pgboss TO carebill_app;
