import { posix } from "node:path";
import SftpClient from "ssh2-sftp-client";

/** Where fetched files go on the server, under the download folder: never listed again, kept for the clearinghouse's records. */
export const ARCHIVE_FOLDER = "archive";

export type SftpConnectionOptions = { host: string; port: number; username: string; privateKey: string };

export type RemoteFile = { name: string; path: string; size: number; modifiedAt: number };

/** An open SFTP session with the clearinghouse, with the few operations the poll needs. */
export type ClearinghouseSftp = {
  /** Puts a file into the upload folder under `fileName` (a name Carebill never reuses). */
  put(folder: string, fileName: string, content: string): Promise<void>;
  /** The regular files waiting in a folder, oldest first (then by name). */
  list(folder: string): Promise<RemoteFile[]>;
  get(path: string): Promise<string>;
  /** Moves a fetched file into `<folder>/archive/` (made when missing); a name already archived gets a suffix; a file already gone is left so. */
  archive(folder: string, file: RemoteFile): Promise<string>;
  end(): Promise<void>;
};

/** Opens an SFTP session (ssh2-sftp-client, public-key sign-in). Rejects with the server's or network's words. */
export async function connectClearinghouseSftp(options: SftpConnectionOptions): Promise<ClearinghouseSftp> {
  const client = new SftpClient("carebill-clearinghouse");
  await client.connect({
    host: options.host,
    port: options.port,
    username: options.username,
    privateKey: options.privateKey,
    readyTimeout: 20_000,
    retries: 0,
  });
  return {
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
