import { defineConfig } from "prisma/config";

// Only the CLI reads this file. The app connects through @prisma/adapter-pg (lib/db/client.ts)
// and applies migrations with its own migrator (lib/db/migrate.ts).
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres" },
});
