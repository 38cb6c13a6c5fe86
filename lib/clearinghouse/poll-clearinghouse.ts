import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import type { Db } from "@/lib/db/client";
import { AppError, isAppError } from "@/lib/errors";
import type { PollResult } from "./clearinghouse.types";
import { eligibilityRequestFileName } from "@/lib/insurance/eligibility";
import { importClearinghouseFile, MAX_CLEARINGHOUSE_FILE_CHARACTERS } from "./import-file";
import { readSftpPrivateKey } from "./settings";
import { connectClearinghouseSftp, HostKeyMismatchError, type ClearinghouseSftp } from "./sftp";

/** Who imports what the poll fetched, in the claims' history and the audit log. */
export const SFTP_POLL_ACTOR: AuditActor = { userId: null, label: "clearinghouse (SFTP)", ip: null, requestId: null };

const DEFAULT_SFTP_PORT = 22;

/**
 * Why a name the server listed is not one Carebill will touch (null when it is fine): the server is
 * not trusted, so a name that could leave the folder ("../x", "a/b"), hide or carry control
 * characters, or overflow the stored file name is left where it is, unread and unmoved.
 */
export function unsafeRemoteFileName(name: string): string | null {
  if (name === "" || name === "." || name === "..") return "it is not a file name";
  if (/[/\\]/.test(name)) return "its name holds a path separator";
  if (/[\u0000-\u001f\u007f]/.test(name)) return "its name holds a control character";
  if (name.length > 200) return "its name is longer than 200 characters";
  return null;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 400);

/**
 * One exchange with the clinic's clearinghouse over SFTP, for connection "sftp":
 * 1. puts each claim batch waiting to be sent (channel sftp, sentAt null) into the upload folder
 *    under its file name, marked sent just before (so two runs at once never both send it; a failed
 *    put clears the mark, stores sendError and stops sending); then the same for each eligibility
 *    check's 270 waiting to be sent (status requested, sentAt null), oldest first;
 * 2. lists the download folder, imports each file (importClearinghouseFile, source "sftp", its
 *    remote path as file name) and moves it into `<download>/archive/`. A name already imported is
 *    only archived (never fetched twice); a file the import refuses is archived too, its reason in
 *    the result and in lastPollError, so it never blocks the files after it; a file that failed
 *    for another reason (the database) stays for the next poll.
 * lastPolledAt and lastPollError record the outcome. No database transaction stays open across a
 * network call. Runs one organization at a time (the job's queue is a singleton).
 */
export async function pollClearinghouse(db: Db, options: { organizationId: string; now?: Date }): Promise<PollResult> {
  const { organizationId } = options;
  const now = options.now ?? new Date();
  const settings = await db.clearinghouseSettings.findUnique({ where: { organizationId } });
  if (!settings || settings.connection !== "sftp") throw new AppError("CONFLICT", "This clinic does not exchange files with its clearinghouse by SFTP.");
  const privateKey = readSftpPrivateKey(settings);
  if (!settings.sftpHost || !settings.sftpUsername || !privateKey || !settings.sftpUploadPath || !settings.sftpDownloadPath) {
    throw new AppError("CONFLICT", "The SFTP settings are incomplete: set the host, user, key and both folders in Settings → Clearinghouse.");
  }
  const result: PollResult = { sent: [], sentEligibilityRequests: [], imported: [], errors: [] };
  const finish = async () => {
    await db.clearinghouseSettings.update({
      where: { organizationId },
      data: { lastPolledAt: now, lastPollError: result.errors.length > 0 ? result.errors.join(" ").slice(0, 1000) : null },
    });
    return result;
  };

  const port = settings.sftpPort ?? DEFAULT_SFTP_PORT;
  let sftp: ClearinghouseSftp;
  try {
    sftp = await connectClearinghouseSftp({
      host: settings.sftpHost,
      port,
      username: settings.sftpUsername,
      privateKey,
      hostKeySha256: settings.sftpHostKeySha256,
    });
  } catch (error) {
    result.errors.push(
      error instanceof HostKeyMismatchError
        ? `Nothing was sent or fetched: the SFTP server at ${settings.sftpHost}:${port} showed host key ${error.presented}, not ${error.expected}, the key this clinic trusts. ` +
            "Someone may be intercepting the connection. If the clearinghouse says it changed its key, confirm the new fingerprint with them and enter it in Settings → Clearinghouse."
        : `Could not connect to ${settings.sftpHost}:${port} as ${settings.sftpUsername}: ${messageOf(error)}`,
    );
    return finish();
  }
  try {
    if (settings.sftpHostKeySha256 === null)
      await pinHostKey(db, { organizationId, host: settings.sftpHost, port: settings.sftpPort, hostKeySha256: sftp.hostKeySha256 });
    const uploadPath = settings.sftpUploadPath;
    if (await sendBatches(db, { organizationId, sftp, uploadPath, now, result })) {
      await sendEligibilityRequests(db, { organizationId, sftp, uploadPath, now, result });
    }
    await fetchFiles(db, { organizationId, sftp, downloadPath: settings.sftpDownloadPath, now, result });
  } catch (error) {
    result.errors.push(`The SFTP exchange stopped: ${messageOf(error)}`);
  } finally {
    await sftp.end();
  }
  return finish();
}

/**
 * Trust on first use: the key the server showed on the clinic's first connection becomes the one it
 * must always show (unless an admin entered one, or changed the host or port meanwhile). Audited.
 */
async function pinHostKey(db: Db, options: { organizationId: string; host: string; port: number | null; hostKeySha256: string }): Promise<void> {
  await db.$transaction(async (tx) => {
    const pinned = await tx.clearinghouseSettings.updateMany({
      where: { organizationId: options.organizationId, sftpHostKeySha256: null, sftpHost: options.host, sftpPort: options.port },
      data: { sftpHostKeySha256: options.hostKeySha256 },
    });
    if (pinned.count === 0) return;
    await recordAuditEvent(tx, {
      organizationId: options.organizationId,
      actor: SFTP_POLL_ACTOR,
      action: "clearinghouse_settings.host_key_pinned",
      target: { type: "clearinghouse_settings", id: options.organizationId },
      after: { sftpHost: options.host, sftpPort: options.port, sftpHostKeySha256: options.hostKeySha256 },
    });
  });
}

type SendOptions = { organizationId: string; sftp: ClearinghouseSftp; uploadPath: string; now: Date; result: PollResult };

/**
 * Puts each waiting file into the upload folder, oldest first. Each is taken before its put
 * (`take`: an atomic update of its sentAt, so a second run at the same time, the job and "Check
 * now", finds it taken and never sends it twice); a put that fails gives it back (`giveBack`, with
 * the reason), records the error and stops: the rest wait for the next poll. False when one failed.
 */
async function sendWaiting<T extends { id: string }>(
  options: SendOptions,
  files: {
    waiting: T[];
    fileName: (row: T) => string;
    content: (row: T) => string;
    take: (row: T) => Promise<boolean>;
    giveBack: (row: T, message: string) => Promise<void>;
    sent: (row: T, fileName: string) => void;
  },
): Promise<boolean> {
  for (const row of files.waiting) {
    if (!(await files.take(row))) continue;
    const fileName = files.fileName(row);
    try {
      await options.sftp.put(options.uploadPath, fileName, files.content(row));
    } catch (error) {
      const message = `Could not send ${fileName}: ${messageOf(error)}`;
      await files.giveBack(row, message.slice(0, 1000));
      options.result.errors.push(message);
      return false;
    }
    files.sent(row, fileName);
  }
  return true;
}

/** Sends the waiting 837 batches (channel sftp, sentAt null); false when one could not be sent. */
async function sendBatches(db: Db, options: SendOptions): Promise<boolean> {
  const { organizationId, now, result } = options;
  return sendWaiting(options, {
    waiting: await db.claimBatch.findMany({
      where: { organizationId, channel: "sftp", sentAt: null },
      orderBy: { createdAt: "asc" },
      select: { id: true, fileName: true, content: true },
    }),
    fileName: (batch) => batch.fileName,
    content: (batch) => batch.content,
    take: async (batch) =>
      (await db.claimBatch.updateMany({ where: { id: batch.id, organizationId, sentAt: null }, data: { sentAt: now, sendError: null } })).count > 0,
    giveBack: async (batch, message) => {
      await db.claimBatch.update({ where: { id: batch.id }, data: { sentAt: null, sendError: message } });
    },
    sent: (batch, fileName) => result.sent.push({ batchId: batch.id, fileName }),
  });
}

/**
 * Sends the 270s waiting to be sent (checks still requested, sentAt null: created on this SFTP
 * connection, or never downloaded on a manual one), each taken before its upload like a batch.
 */
async function sendEligibilityRequests(db: Db, options: SendOptions): Promise<void> {
  const { organizationId, now, result } = options;
  await sendWaiting(options, {
    waiting: await db.eligibilityCheck.findMany({
      where: { organizationId, status: "requested", sentAt: null },
      orderBy: [{ requestedAt: "asc" }, { interchangeControlNumber: "asc" }],
      select: { id: true, traceNumber: true, requestX12: true },
    }),
    fileName: (check) => eligibilityRequestFileName(check.traceNumber),
    content: (check) => check.requestX12,
    take: async (check) =>
      (await db.eligibilityCheck.updateMany({ where: { id: check.id, organizationId, sentAt: null }, data: { sentAt: now, sendError: null } })).count > 0,
    giveBack: async (check, message) => {
      await db.eligibilityCheck.update({ where: { id: check.id }, data: { sentAt: null, sendError: message } });
    },
    sent: (check, fileName) => result.sentEligibilityRequests.push({ checkId: check.id, fileName }),
  });
}

async function fetchFiles(
  db: Db,
  options: { organizationId: string; sftp: ClearinghouseSftp; downloadPath: string; now: Date; result: PollResult },
): Promise<void> {
  const { organizationId, sftp, result } = options;
  for (const file of await sftp.list(options.downloadPath)) {
    const unsafe = unsafeRemoteFileName(file.name);
    if (unsafe) {
      result.errors.push(`${JSON.stringify(file.name)} was not fetched: ${unsafe}. Ask the clearinghouse to remove or rename it.`);
      continue;
    }
    const known = await db.clearinghouseFile.findFirst({ where: { organizationId, source: "sftp", fileName: file.path }, select: { id: true } });
    if (known) {
      // Imported by an earlier poll that could not archive it: archive it now, never fetch it again.
      await sftp.archive(options.downloadPath, file);
      continue;
    }
    // Never read a file larger than an import accepts into memory: set it aside with the reason.
    if (file.size > MAX_CLEARINGHOUSE_FILE_CHARACTERS * 4) {
      result.errors.push(
        `${file.name} was not imported (moved to ${options.downloadPath}/archive): it is ${file.size.toLocaleString("en-US")} bytes, larger than a clearinghouse answer can be.`,
      );
      await sftp.archive(options.downloadPath, file);
      continue;
    }
    const content = await sftp.get(file.path);
    try {
      const imported = await importClearinghouseFile(db, {
        organizationId,
        actor: SFTP_POLL_ACTOR,
        fileName: file.path,
        content,
        source: "sftp",
        now: options.now,
      });
      result.imported.push({ ...imported, fileName: file.path });
    } catch (error) {
      if (!isAppError(error) || error.code !== "VALIDATION_FAILED") throw error;
      // Another run at the same time imported this very file (and archives it): nothing to say.
      if (await db.clearinghouseFile.findFirst({ where: { organizationId, source: "sftp", fileName: file.path }, select: { id: true } })) continue;
      result.errors.push(`${file.name} was not imported (moved to ${options.downloadPath}/archive): ${error.message}`);
    }
    await sftp.archive(options.downloadPath, file);
  }
}
