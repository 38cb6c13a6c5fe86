import { timingSafeEqual } from "node:crypto";
import * as fs from "node:fs";
import type { AddressInfo } from "node:net";
import { join, posix } from "node:path";
import ssh2, { type Attributes, type Connection, type ParsedKey, type SFTPWrapper } from "ssh2";

// ssh2 is CommonJS: Node's ESM loader gives only its default export.
const { Server, utils } = ssh2;
const { OPEN_MODE, STATUS_CODE } = utils.sftp;

/** An account: its user name (the submitter id) and the public key it signs in with (OpenSSH "ssh-ed25519 AAAA…" line). */
export type SftpAccount = { username: string; publicKey: string };

export type SftpServerOptions = {
  host: string;
  port: number;
  hostKey: string;
  /** Each account sees only `<root>/<username>` as "/". */
  root: string;
  accounts: () => SftpAccount[];
  /** Called after a client closes a file it wrote (e.g. an 837 put in /inbox). */
  onFileWritten: (account: string, path: string) => void;
  log: (message: string, details?: Record<string, unknown>) => void;
};

export type SftpServer = { port: number; close(): Promise<void> };

function parsePublicKey(text: string): ParsedKey | null {
  const parsed = utils.parseKey(text);
  if (parsed instanceof Error) return null;
  return Array.isArray(parsed) ? (parsed[0] ?? null) : parsed;
}

function sameBytes(left: Buffer, right: Buffer): boolean {
  return left.length === right.length && timingSafeEqual(left, right);
}

function toAttributes(stats: fs.Stats): Attributes {
  return { mode: stats.mode, uid: 0, gid: 0, size: stats.size, atime: Math.floor(stats.atimeMs / 1000), mtime: Math.floor(stats.mtimeMs / 1000) };
}

function longname(name: string, stats: fs.Stats): string {
  const type = stats.isDirectory() ? "d" : "-";
  const date = new Date(stats.mtimeMs).toUTCString().slice(5, 22);
  return `${type}rw-r--r-- 1 owner group ${String(stats.size).padStart(8)} ${date} ${name}`;
}

/**
 * A small SFTP server (the `ssh2` package's server) on loopback: public-key sign-in only, each
 * account jailed in its own folder, and the operations ssh2-sftp-client uses (open/read/write/close,
 * stat, opendir/readdir, realpath, rename, mkdir, remove, rmdir, setstat).
 */
export function startSftpServer(options: SftpServerOptions): Promise<SftpServer> {
  const connections = new Set<Connection>();
  const server = new Server({ hostKeys: [options.hostKey] }, (client) => {
    connections.add(client);
    let account: string | null = null;
    client.on("authentication", (context) => {
      const match = options.accounts().find((each) => each.username === context.username);
      const allowed = match ? parsePublicKey(match.publicKey) : null;
      if (context.method !== "publickey" || !match || !allowed) return context.reject(["publickey"]);
      const offered = context.key;
      if (offered.algo !== allowed.type || !sameBytes(offered.data, allowed.getPublicSSH())) return context.reject(["publickey"]);
      if (context.signature && context.blob) {
        if (allowed.verify(context.blob, context.signature, context.hashAlgo) !== true) return context.reject(["publickey"]);
        account = match.username;
      }
      context.accept();
    });
    client.on("ready", () => {
      client.on("session", (acceptSession) => {
        const session = acceptSession();
        session.on("sftp", (acceptSftp) => {
          if (!account) return;
          const home = join(options.root, account);
          fs.mkdirSync(home, { recursive: true });
          serve(acceptSftp(), home, account, options);
        });
      });
    });
    client.on("error", () => undefined);
    client.on("close", () => connections.delete(client));
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      const port = (server.address() as AddressInfo).port;
      resolve({
        port,
        close: () =>
          new Promise<void>((done) => {
            for (const connection of connections) connection.end();
            server.close(() => done());
          }),
      });
    });
  });
}

type OpenHandle = { kind: "file"; fd: number; path: string; written: boolean } | { kind: "dir"; path: string; sent: boolean };

function serve(sftp: SFTPWrapper, home: string, account: string, options: SftpServerOptions): void {
  const handles = new Map<number, OpenHandle>();
  let nextHandle = 1;
  /** A client path ("/inbox/x.837", "outbox", ".") → the virtual absolute path and the real one. */
  const resolvePath = (path: string) => {
    const virtual = posix.resolve("/", path || ".");
    return { virtual, real: join(home, ...virtual.split("/").filter(Boolean)) };
  };
  const newHandle = (handle: OpenHandle) => {
    const id = nextHandle++;
    handles.set(id, handle);
    const buffer = Buffer.alloc(4);
    buffer.writeUInt32BE(id);
    return buffer;
  };
  const handleOf = (buffer: Buffer) => (buffer.length === 4 ? handles.get(buffer.readUInt32BE(0)) : undefined);
  const fail = (reqId: number, error: unknown) => {
    const code = (error as NodeJS.ErrnoException).code;
    sftp.status(
      reqId,
      code === "ENOENT" ? STATUS_CODE.NO_SUCH_FILE : code === "EACCES" ? STATUS_CODE.PERMISSION_DENIED : STATUS_CODE.FAILURE,
      String((error as Error).message ?? error),
    );
  };

  sftp.on("OPEN", (reqId, filename, flags) => {
    try {
      const { real, virtual } = resolvePath(filename);
      const writing = (flags & OPEN_MODE.WRITE) !== 0;
      let mode = writing ? "r+" : "r";
      if (writing && flags & OPEN_MODE.CREAT) mode = flags & OPEN_MODE.EXCL ? "wx" : flags & OPEN_MODE.TRUNC ? "w" : flags & OPEN_MODE.APPEND ? "a" : "w";
      const fd = fs.openSync(real, mode);
      sftp.handle(reqId, newHandle({ kind: "file", fd, path: virtual, written: writing }));
    } catch (error) {
      fail(reqId, error);
    }
  });
  sftp.on("WRITE", (reqId, handle, offset, data) => {
    const open = handleOf(handle);
    if (open?.kind !== "file") return sftp.status(reqId, STATUS_CODE.FAILURE, "bad handle");
    try {
      fs.writeSync(open.fd, data, 0, data.length, offset);
      sftp.status(reqId, STATUS_CODE.OK);
    } catch (error) {
      fail(reqId, error);
    }
  });
  sftp.on("READ", (reqId, handle, offset, length) => {
    const open = handleOf(handle);
    if (open?.kind !== "file") return sftp.status(reqId, STATUS_CODE.FAILURE, "bad handle");
    try {
      const buffer = Buffer.alloc(length);
      const read = fs.readSync(open.fd, buffer, 0, length, offset);
      if (read === 0) return sftp.status(reqId, STATUS_CODE.EOF);
      sftp.data(reqId, buffer.subarray(0, read));
    } catch (error) {
      fail(reqId, error);
    }
  });
  sftp.on("FSTAT", (reqId, handle) => {
    const open = handleOf(handle);
    if (open?.kind !== "file") return sftp.status(reqId, STATUS_CODE.FAILURE, "bad handle");
    sftp.attrs(reqId, toAttributes(fs.fstatSync(open.fd)));
  });
  sftp.on("CLOSE", (reqId, handle) => {
    const open = handleOf(handle);
    if (!open) return sftp.status(reqId, STATUS_CODE.FAILURE, "bad handle");
    handles.delete(handle.readUInt32BE(0));
    if (open.kind === "file") {
      fs.closeSync(open.fd);
      if (open.written) options.onFileWritten(account, open.path);
    }
    sftp.status(reqId, STATUS_CODE.OK);
  });
  const stat = (reqId: number, path: string) => {
    try {
      sftp.attrs(reqId, toAttributes(fs.statSync(resolvePath(path).real)));
    } catch (error) {
      fail(reqId, error);
    }
  };
  sftp.on("STAT", stat);
  sftp.on("LSTAT", stat);
  sftp.on("SETSTAT", (reqId) => sftp.status(reqId, STATUS_CODE.OK));
  sftp.on("FSETSTAT", (reqId) => sftp.status(reqId, STATUS_CODE.OK));
  sftp.on("REALPATH", (reqId, path) => {
    const { virtual } = resolvePath(path);
    sftp.name(reqId, [{ filename: virtual, longname: virtual, attrs: {} as Attributes }]);
  });
  sftp.on("OPENDIR", (reqId, path) => {
    try {
      const { real, virtual } = resolvePath(path);
      if (!fs.statSync(real).isDirectory()) return sftp.status(reqId, STATUS_CODE.FAILURE, "not a folder");
      sftp.handle(reqId, newHandle({ kind: "dir", path: virtual, sent: false }));
    } catch (error) {
      fail(reqId, error);
    }
  });
  sftp.on("READDIR", (reqId, handle) => {
    const open = handleOf(handle);
    if (open?.kind !== "dir") return sftp.status(reqId, STATUS_CODE.FAILURE, "bad handle");
    if (open.sent) return sftp.status(reqId, STATUS_CODE.EOF);
    open.sent = true;
    const real = resolvePath(open.path).real;
    const entries = fs.readdirSync(real).map((name) => {
      const stats = fs.statSync(join(real, name));
      return { filename: name, longname: longname(name, stats), attrs: toAttributes(stats) };
    });
    if (entries.length === 0) return sftp.status(reqId, STATUS_CODE.EOF);
    sftp.name(reqId, entries);
  });
  sftp.on("MKDIR", (reqId, path) => {
    try {
      fs.mkdirSync(resolvePath(path).real);
      sftp.status(reqId, STATUS_CODE.OK);
    } catch (error) {
      fail(reqId, error);
    }
  });
  sftp.on("RMDIR", (reqId, path) => {
    try {
      fs.rmdirSync(resolvePath(path).real);
      sftp.status(reqId, STATUS_CODE.OK);
    } catch (error) {
      fail(reqId, error);
    }
  });
  sftp.on("REMOVE", (reqId, path) => {
    try {
      fs.unlinkSync(resolvePath(path).real);
      sftp.status(reqId, STATUS_CODE.OK);
    } catch (error) {
      fail(reqId, error);
    }
  });
  sftp.on("RENAME", (reqId, from, to) => {
    try {
      const target = resolvePath(to).real;
      // SFTP v3 rename does not overwrite.
      if (fs.existsSync(target)) return sftp.status(reqId, STATUS_CODE.FAILURE, "the target exists");
      fs.renameSync(resolvePath(from).real, target);
      sftp.status(reqId, STATUS_CODE.OK);
    } catch (error) {
      fail(reqId, error);
    }
  });
}
