import ssh2 from "ssh2";
import { z } from "zod";
import type { Db, Tx } from "@/lib/db/client";
import type { ClearinghouseSettings } from "@/lib/db/generated/client";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { sql, sqlOf } from "@/lib/db/sql";
import { isUniqueViolation } from "@/lib/db/unique-violation";
import { AppError } from "@/lib/errors";
import { zX12Text } from "@/lib/insurance/identifier-schemas";
import { zSingleLineText } from "@/lib/validation/fields";
import type { ClearinghouseSettingsView } from "./clearinghouse.types";
import { decryptSecret, encryptSecret } from "./secret-box";

/** The purpose the SFTP key is encrypted under (secret-box.ts derives a key of its own for it). */
const SFTP_KEY_PURPOSE = "clearinghouse-sftp-private-key";
const MAX_PRIVATE_KEY_LENGTH = 16_384;

/**
 * ISA06/ISA08 and 1000A/1000B ids: letters, digits and dashes, at most 15 (the ISA's width), stored
 * upper-cased, so the unique index on (receiver id, submitter id) compares them case-insensitively.
 */
const ZInterchangeId = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9-]{1,15}$/, "Use 1 to 15 letters, digits or dashes, as the clearinghouse gave it (e.g. CAREBILL01).");

const ZRemotePath = zSingleLineText()
  .max(255, "Use at most 255 characters.")
  .regex(/^\/[^\\]*$/, "Use an absolute folder path on the server, e.g. /inbox.")
  .refine((value) => !value.split("/").includes(".."), 'A folder path cannot contain "..".')
  .transform((value) => (value.length > 1 ? value.replace(/\/+$/, "") : value));

const optional = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === "" ? null : value), schema.nullable().optional());

/**
 * The clinic's clearinghouse: the ids it assigned (ISA06/ISA08, 1000A/1000B) and how files travel.
 * `sftpPrivateKey` is write-only: omitted keeps the stored key, null removes it, text replaces it
 * (an OpenSSH or PEM private key without a passphrase). With connection "sftp", host, username,
 * both folders and a key (given now or stored) are required. `sftpHostKeySha256`, the server's host
 * key fingerprint: omitted keeps the stored one (cleared when the host or port changes), null or
 * empty clears it (the next connection pins what the server shows), text sets it.
 */
export const ZClearinghouseSettingsInput = z.strictObject({
  connection: z.enum(["manual", "sftp"], "Choose how files travel: manual (download and upload) or SFTP."),
  submitterId: ZInterchangeId,
  submitterName: zX12Text(60),
  receiverId: ZInterchangeId,
  receiverName: zX12Text(60),
  usageIndicator: z.enum(["P", "T"], "Choose P (production) or T (test).").default("P"),
  sftpHost: optional(
    zSingleLineText()
      .max(255, "Use at most 255 characters.")
      .regex(/^[A-Za-z0-9.-]+$|^\[?[0-9A-Fa-f:]+\]?$/, "Enter a host name or IP address, e.g. sftp.clearinghouse.example."),
  ),
  sftpPort: optional(
    z.coerce.number("Enter a port number.").int("Enter a whole number.").min(1, "Use a port from 1 to 65535.").max(65_535, "Use a port from 1 to 65535."),
  ),
  sftpUsername: optional(zSingleLineText().min(1).max(100, "Use at most 100 characters.")),
  sftpPrivateKey: z
    .string()
    .max(MAX_PRIVATE_KEY_LENGTH, "This is too long to be a private key.")
    .transform((value) => value.trim().replace(/\r\n/g, "\n"))
    .refine((value) => value === "" || readPrivateKey(value) === null, {
      message: "This is not a private key Carebill can use: paste an OpenSSH or PEM private key without a passphrase.",
    })
    .nullable()
    .optional(),
  sftpUploadPath: optional(ZRemotePath),
  sftpDownloadPath: optional(ZRemotePath),
  sftpHostKeySha256: optional(
    z
      .string()
      .trim()
      .transform((value) => value.replace(/^SHA256:/i, "").replace(/=+$/, ""))
      .refine((value) => /^[A-Za-z0-9+/]{43}$/.test(value), {
        message: "Enter the SHA256 fingerprint as the clearinghouse gave it, e.g. SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s.",
      })
      .transform((value) => `SHA256:${value}`),
  ),
});
export type TClearinghouseSettingsInput = z.input<typeof ZClearinghouseSettingsInput>;

/** null when ssh2 can use the key, else why not. */
function readPrivateKey(text: string): string | null {
  const parsed = ssh2.utils.parseKey(text);
  if (parsed instanceof Error) return parsed.message;
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!key || !key.isPrivateKey()) return "not a private key";
  return null;
}

function toView(row: ClearinghouseSettings): ClearinghouseSettingsView {
  return {
    connection: row.connection === "sftp" ? "sftp" : "manual",
    submitterId: row.submitterId,
    submitterName: row.submitterName,
    receiverId: row.receiverId,
    receiverName: row.receiverName,
    usageIndicator: row.usageIndicator === "T" ? "T" : "P",
    sftpHost: row.sftpHost,
    sftpPort: row.sftpPort,
    sftpUsername: row.sftpUsername,
    hasPrivateKey: row.sftpPrivateKeyEncrypted !== null,
    sftpUploadPath: row.sftpUploadPath,
    sftpDownloadPath: row.sftpDownloadPath,
    sftpHostKeySha256: row.sftpHostKeySha256,
    lastPolledAt: row.lastPolledAt?.toISOString() ?? null,
    lastPollError: row.lastPollError,
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The clinic's clearinghouse settings without the private key (hasPrivateKey says whether one is stored), or null before they are set. */
export async function getClearinghouseSettings(db: Db | Tx, options: { organizationId: string }): Promise<ClearinghouseSettingsView | null> {
  const row = await db.clearinghouseSettings.findUnique({ where: { organizationId: options.organizationId } });
  return row ? toView(row) : null;
}

/** Which clinic holds the id is not said: clinics on one Carebill do not see each other. */
const SUBMITTER_ID_TAKEN = new AppError("VALIDATION_FAILED", "This submitter id is already used by another clinic with this clearinghouse.", {
  fields: {
    submitterId: [
      "This submitter id is already used by another clinic on Carebill with this clearinghouse. Each clinic needs its own: ask the clearinghouse for one.",
    ],
  },
});

/**
 * Creates or replaces the clinic's clearinghouse settings, encrypting a new private key
 * (AES-256-GCM, key derived from AUTH_SECRET, bound to the organization). Audited without the key.
 * A submitter id is one clinic's at a clearinghouse (receiver id): our control numbers count from 1
 * in every clinic, so a shared one would make one clinic's 999 match the other's batch. The unique
 * index decides, so two clinics saving the same pair at once get one save and one 422 (submitterId).
 */
export async function saveClearinghouseSettings(
  db: Db,
  options: { organizationId: string; actor: AuditActor; input: TClearinghouseSettingsInput },
): Promise<ClearinghouseSettingsView> {
  const input = ZClearinghouseSettingsInput.parse(options.input);
  try {
    return await writeClearinghouseSettings(db, { ...options, input });
  } catch (error) {
    if (isUniqueViolation(error, "submitter_id")) throw SUBMITTER_ID_TAKEN;
    throw error;
  }
}

async function writeClearinghouseSettings(
  db: Db,
  options: { organizationId: string; actor: AuditActor; input: z.output<typeof ZClearinghouseSettingsInput> },
): Promise<ClearinghouseSettingsView> {
  const { organizationId, actor, input } = options;
  return db.$transaction(async (tx) => {
    const [before] = await sqlOf(tx).query<{ has_key: boolean; host: string | null; port: number | null; host_key: string | null }>(
      sql`SELECT sftp_private_key_encrypted IS NOT NULL AS has_key, sftp_host AS host, sftp_port AS port, sftp_host_key_sha256 AS host_key
        FROM clearinghouse_settings WHERE organization_id = ${organizationId}::uuid FOR UPDATE`,
    );
    // A key trusted for one server says nothing about another: a new host or port forgets it, unless one is entered with it.
    const serverChanged = before !== undefined && (before.host !== (input.sftpHost ?? null) || before.port !== (input.sftpPort ?? null));
    const hostKeySha256 =
      input.sftpHostKeySha256 === undefined || (serverChanged && input.sftpHostKeySha256 === before?.host_key)
        ? serverChanged
          ? null
          : (before?.host_key ?? null)
        : input.sftpHostKeySha256;
    const keyChange =
      input.sftpPrivateKey === undefined
        ? {}
        : {
            sftpPrivateKeyEncrypted: input.sftpPrivateKey ? encryptSecret(input.sftpPrivateKey, { purpose: SFTP_KEY_PURPOSE, context: organizationId }) : null,
          };
    const willHaveKey = input.sftpPrivateKey === undefined ? Boolean(before?.has_key) : Boolean(input.sftpPrivateKey);
    if (input.connection === "sftp") {
      const fields: Record<string, string[]> = {};
      if (!input.sftpHost) fields.sftpHost = ["Enter the SFTP server's host name."];
      if (!input.sftpUsername) fields.sftpUsername = ["Enter the SFTP user name the clearinghouse gave you."];
      if (!willHaveKey) fields.sftpPrivateKey = ["Paste the private key of the SFTP account."];
      if (!input.sftpUploadPath) fields.sftpUploadPath = ["Enter the folder where claim files go, e.g. /inbox."];
      if (!input.sftpDownloadPath) fields.sftpDownloadPath = ["Enter the folder where the clearinghouse leaves its answers, e.g. /outbox."];
      if (Object.keys(fields).length > 0) throw new AppError("VALIDATION_FAILED", "SFTP needs a host, a user name, a key and both folders.", { fields });
    }
    const data = {
      connection: input.connection,
      submitterId: input.submitterId,
      submitterName: input.submitterName,
      receiverId: input.receiverId,
      receiverName: input.receiverName,
      usageIndicator: input.usageIndicator,
      sftpHost: input.sftpHost ?? null,
      sftpPort: input.sftpPort ?? null,
      sftpUsername: input.sftpUsername ?? null,
      sftpUploadPath: input.sftpUploadPath ?? null,
      sftpDownloadPath: input.sftpDownloadPath ?? null,
      sftpHostKeySha256: hostKeySha256,
      ...keyChange,
    };
    const row = await tx.clearinghouseSettings.upsert({ where: { organizationId }, create: { organizationId, ...data }, update: data });
    const view = toView(row);
    await recordAuditEvent(tx, {
      organizationId,
      actor,
      action: "clearinghouse_settings.saved",
      target: { type: "clearinghouse_settings", id: organizationId },
      after: { ...view, privateKeyChanged: input.sftpPrivateKey !== undefined },
    });
    return view;
  });
}

/** The decrypted SFTP private key, for the adapter only (never for a page or the API). */
export function readSftpPrivateKey(row: Pick<ClearinghouseSettings, "organizationId" | "sftpPrivateKeyEncrypted">): string | null {
  return row.sftpPrivateKeyEncrypted ? decryptSecret(row.sftpPrivateKeyEncrypted, { purpose: SFTP_KEY_PURPOSE, context: row.organizationId }) : null;
}
