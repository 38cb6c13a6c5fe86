import { mkdir } from "node:fs/promises";
import { PGlite } from "@electric-sql/pglite";
import { APP_ROLE, connectionStringAs } from "@/lib/db/app-role";
import { EMBEDDED_APPLICATION_NAME } from "@/lib/db/embedded-url";
import { PGliteServer } from "./pglite-server";

export type EmbeddedDatabase = {
  /** As the owner (PGlite's superuser): for migrations. */
  url: string;
  /** As the app's role (lib/db/app-role.ts), once the migrations have made it: for the app. */
  appUrl: string;
  dataDir: string | undefined;
  /** A copy of the whole database, to start another instance from (`loadDataDir`). */
  dump(): Promise<Blob>;
  stop(): Promise<void>;
};

/**
 * An embedded PostgreSQL (PGlite) served on loopback TCP, so the app, Prisma and `pg` connect to
 * it exactly as to a real server. PGlite runs one transaction at a time; PGliteServer makes the
 * clients take turns. `dataDir` undefined keeps it in memory; `loadDataDir` starts from a dumped copy.
 */
export async function startEmbeddedDatabase(options: { dataDir?: string; port?: number; host?: string; loadDataDir?: Blob }): Promise<EmbeddedDatabase> {
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  const pglite = await PGlite.create({ dataDir: options.dataDir, loadDataDir: options.loadDataDir });
  const host = options.host ?? "127.0.0.1";
  const server = new PGliteServer(pglite);
  const port = await server.listen(options.port ?? 0, host);
  // The application_name marks the URL as the embedded server's: its one session is shared by all
  // clients, so they must not prepare named statements (lib/db/client.ts).
  const url = `postgresql://postgres@${host}:${port}/postgres?sslmode=disable&application_name=${EMBEDDED_APPLICATION_NAME}`;
  return {
    url,
    appUrl: connectionStringAs(url, APP_ROLE),
    dataDir: options.dataDir,
    dump: () => pglite.dumpDataDir("none"),
    async stop() {
      await server.close();
      await pglite.close();
    },
  };
}
