import { posix } from "node:path";
import SftpClient from "ssh2-sftp-client";
import { sshKeyFingerprint } from "./ssh-keys";

/** Where fetched files go on the server, under the download folder: never listed again, kept for the clearinghouse's records. */
export const ARCHIVE_FOLDER = "archive";

/**
 * `hostKeySha256`: the fingerprint the server must show (a different key is refused during the
 * handshake, before we sign in or send anything); null accepts any key, the caller pinning the one
 * it was shown (`ClearinghouseSftp.hostKeySha256`).
 */
export type SftpConnectionOptions = { host: string; port: number; username: string; privateKey: string; hostKeySha256: string | null };

/** The server showed a host key other than the one the clinic trusts: nothing was sent. */
export class HostKeyMismatchError extends Error {
  constructor(
    readonly expected: string,
    readonly presented: string,
  ) {
    super(`the server showed host key ${presented}, not ${expected}`);
    this.name = "HostKeyMismatchError";
  }
}

export type RemoteFile = { name: string; path: string; size: number; modifiedAt: number };

/** An open SFTP session with the clearinghouse, with the few operations the poll needs. */
export type ClearinghouseSftp = {
  /** The fingerprint of the host key the server showed for this session. */
  hostKeySha256: string;
  /** Puts a file into the upload folder under `fileName` (a name Carebill never reuses). */
  put(folder: string, fileName: string, content: string): Promise<void>;
  /** The regular files waiting in a folder, oldest first (then by name). */
  list(folder: string): Promise<RemoteFile[]>;
  get(path: string): Promise<string>;
  /** Moves a fetched file into `<folder>/archive/` (made when missing); a name already archived gets a suffix; a file already gone is left so. */
  archive(folder: string, file: RemoteFile): Promise<string>;
  end(): Promise<void>;
};

/**
 * Opens an SFTP session (ssh2-sftp-client, public-key sign-in), checking the server's host key
 * first. Rejects with HostKeyMismatchError for another key, else with the server's or network's words.
 */
export async function connectClearinghouseSftp(options: SftpConnectionOptions): Promise<ClearinghouseSftp> {
  const client = new SftpClient("carebill-clearinghouse");
  let presented: string | null = null;
  try {
    await client.connect({
      host: options.host,
      port: options.port,
      username: options.username,
      privateKey: options.privateKey,
      readyTimeout: 20_000,
      retries: 0,
      hostVerifier: (key: Buffer) => {
        presented = sshKeyFingerprint(key);
        return options.hostKeySha256 === null || presented === options.hostKeySha256;
      },
    });
  } catch (error) {
    await client.end().catch(() => undefined);
    if (presented !== null && options.hostKeySha256 !== null && presented !== options.hostKeySha256) {
      throw new HostKeyMismatchError(options.hostKeySha256, presented);
    }
    throw error;
  }
  if (presented === null) {
    await client.end().catch(() => undefined);
    throw new Error("the server's host key could not be checked");
  }
  const hostKeySha256: string = presented;
  return {
    hostKeySha256,
    async put(folder, fileName, content) {
      await client.put(Buffer.from(content, "utf8"), posix.join(folder, fileName));
    },
    async list(folder) {
      const entries = await client.list(folder);
      return entries
        .filter((entry) => entry.type === "-")
        .map((entry) => ({ name: entry.name, path: posix.join(folder, entry.name), size: entry.size, modifiedAt: entry.modifyTime }))
        .sort((left, right) => left.modifiedAt - right.modifiedAt || left.name.localeCompare(right.name));
    },
    async get(path) {
      const content = await client.get(path);
      return Buffer.isBuffer(content) ? content.toString("utf8") : String(content);
    },
    async archive(folder, file) {
      const archive = posix.join(folder, ARCHIVE_FOLDER);
      if ((await client.exists(archive)) !== "d") await client.mkdir(archive, true);
      let target = posix.join(archive, file.name);
      if (await client.exists(target)) target = posix.join(archive, `${file.name}.${Date.now()}`);
      try {
        await client.rename(file.path, target);
      } catch (error) {
        // Already moved by another run at the same time: the file is archived, which is all we wanted.
        if ((await client.exists(file.path)) === false) return target;
        throw error;
      }
      return target;
    },
    async end() {
      await client.end().catch(() => undefined);
    },
  };
}
