import { createServer, type Server, type Socket } from "node:net";
import type { PGlite } from "@electric-sql/pglite";

const SSL_REQUEST = 80877103;
const GSS_ENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
/** Frontend messages that end a unit of work: Sync, simple Query, Flush, password, copy end/fail. */
const BATCH_END = new Set(["S", "Q", "H", "p", "c", "f"]);

/** The one session's own user (PGlite's superuser): its connections run without SET ROLE. */
const SESSION_USER = "postgres";

type Connection = { socket: Socket; inTransaction: boolean; user: string };

/**
 * Serves one PGlite over the PostgreSQL wire protocol to any number of TCP clients (pg, Prisma).
 *
 * PGlite is a single backend session, so clients must take turns at the right boundaries:
 * each client's messages up to a Sync (or simple Query) run as one batch, never interleaved
 * with another client's Parse/Bind/Execute, and a client that leaves a batch inside a
 * transaction keeps the backend until that transaction ends. (@electric-sql/pglite-socket
 * queues single messages, so a client's unnamed statement can be replaced by another's when a
 * transaction starts in between; we saw `portal "" does not exist` under concurrent migrations.)
 *
 * Each client runs as the user its connection names (`postgresql://carebill_app@…` runs its batches
 * after `SET ROLE carebill_app`), so the app has the same privileges here as on a real server. As
 * the session itself belongs to a superuser, a client could `RESET ROLE`: this checks the app's
 * privileges in demos and tests, and is no security boundary (README "Production").
 */
export class PGliteServer {
  private server: Server | undefined;
  private holder: Connection | null = null;
  /** The role the session runs as now (set for the connection holding it). */
  private currentUser = SESSION_USER;
  private readonly waiting: { connection: Connection; grant: () => void }[] = [];
  private readonly connections = new Set<Connection>();

  constructor(private readonly db: PGlite) {}

  async listen(port: number, host: string): Promise<number> {
    const server = createServer((socket) => this.accept(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => resolve());
    });
    const address = server.address();
    if (!address || typeof address === "string") throw new Error("PGliteServer: no TCP address");
    return address.port;
  }

  async close(): Promise<void> {
    for (const connection of this.connections) connection.socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private acquire(connection: Connection): Promise<void> {
    if (this.holder === null || this.holder === connection) {
      this.holder = connection;
      return Promise.resolve();
    }
    return new Promise((grant) => this.waiting.push({ connection, grant }));
  }

  private release(connection: Connection): void {
    if (this.holder !== connection) return;
    const next = this.waiting.shift();
    this.holder = next ? next.connection : null;
    next?.grant();
  }

  private async runBatch(connection: Connection, messages: Uint8Array[]): Promise<void> {
    await this.acquire(connection);
    try {
      if (!this.db.isInTransaction() && this.currentUser !== connection.user) {
        await this.db.exec(connection.user === SESSION_USER ? "RESET ROLE" : `SET ROLE "${connection.user.replaceAll('"', '""')}"`);
        this.currentUser = connection.user;
      }
      for (const message of messages) {
        await this.db.runExclusive(() =>
          this.db.execProtocolRawStream(message, {
            onRawData: (data) => {
              if (!connection.socket.destroyed) connection.socket.write(data);
            },
          }),
        );
      }
    } finally {
      connection.inTransaction = this.db.isInTransaction();
      if (!connection.inTransaction) this.release(connection);
    }
  }

  private async disconnect(connection: Connection): Promise<void> {
    if (!this.connections.delete(connection)) return;
    this.waiting.splice(0, this.waiting.length, ...this.waiting.filter((entry) => entry.connection !== connection));
    if (this.holder === connection) {
      if (connection.inTransaction) await this.db.exec("ROLLBACK").catch(() => undefined);
      connection.inTransaction = false;
      this.release(connection);
    }
  }

  private accept(socket: Socket): void {
    socket.setNoDelay(true);
    const connection: Connection = { socket, inTransaction: false, user: SESSION_USER };
    this.connections.add(connection);
    let buffer = Buffer.alloc(0);
    let started = false;
    let batch: Uint8Array[] = [];
    // One client's batches run in order.
    let chain = Promise.resolve();

    const enqueue = (messages: Uint8Array[]) => {
      chain = chain
        .then(() => this.runBatch(connection, messages))
        .catch(() => {
          socket.destroy();
        });
    };

    socket.on("data", (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        if (!started) {
          if (buffer.length < 8) return;
          const length = buffer.readInt32BE(0);
          if (buffer.length < length) return;
          const code = buffer.readInt32BE(4);
          const message = buffer.subarray(0, length);
          buffer = buffer.subarray(length);
          if (code === SSL_REQUEST || code === GSS_ENC_REQUEST) {
            socket.write("N");
            continue;
          }
          if (code === CANCEL_REQUEST) {
            socket.end();
            return;
          }
          started = true;
          connection.user = startupUser(message) ?? SESSION_USER;
          enqueue([new Uint8Array(message)]);
          continue;
        }
        if (buffer.length < 5) return;
        const type = String.fromCharCode(buffer[0]!);
        const length = buffer.readInt32BE(1) + 1;
        if (buffer.length < length) return;
        const message = new Uint8Array(buffer.subarray(0, length));
        buffer = buffer.subarray(length);
        if (type === "X") {
          socket.end();
          return;
        }
        batch.push(message);
        if (BATCH_END.has(type)) {
          enqueue(batch);
          batch = [];
        }
      }
    });
    socket.on("close", () => {
      chain = chain.then(() => this.disconnect(connection));
    });
    socket.on("error", () => socket.destroy());
  }
}

/** The `user` parameter of a StartupMessage (length, protocol version, then name/value pairs). */
function startupUser(message: Buffer): string | undefined {
  const fields = message.subarray(8).toString("utf8").split("\0");
  for (let index = 0; index + 1 < fields.length; index += 2) {
    if (fields[index] === "user") return fields[index + 1] || undefined;
  }
  return undefined;
}
