import { mkdir } from "node:fs/promises";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

export type EmbeddedDatabase = { url: string; dataDir: string | undefined; stop(): Promise<void> };

/**
 * An embedded PostgreSQL (PGlite) served on loopback TCP, so the app, Prisma and `pg` connect to
 * it exactly as to a real server. PGlite runs one transaction at a time; the socket server queues
 * the rest. `dataDir` undefined keeps it in memory; `loadDataDir` starts from a dumped copy.
 */
export async function startEmbeddedDatabase(options: {
  dataDir?: string;
  port?: number;
  host?: string;
  loadDataDir?: Blob;
}): Promise<EmbeddedDatabase> {
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  const pglite = await PGlite.create({ dataDir: options.dataDir, loadDataDir: options.loadDataDir });
  const host = options.host ?? "127.0.0.1";
  const server = new PGLiteSocketServer({ db: pglite, host, port: options.port ?? 0, maxConnections: 64 });
  await server.start();
  const port = Number(server.getServerConn().split(":").pop());
  return {
    url: `postgresql://postgres@${host}:${port}/postgres?sslmode=disable`,
    dataDir: options.dataDir,
    async stop() {
      await server.stop();
      await pglite.close();
    },
  };
}
