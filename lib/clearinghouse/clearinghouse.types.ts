/** What the clearinghouse screens and the API show (JSON-safe: instants as ISO strings), as zod schemas for the OpenAPI document. */
import { z } from "zod";

export const ZClearinghouseSettingsView = z.object({
  connection: z.enum(["manual", "sftp"]).describe("manual: staff download 837 files and upload the answers; sftp: the poll job exchanges them"),
  submitterId: z
    .string()
    .describe(
      "1000A submitter and ISA06: the id the clearinghouse assigned to the clinic, no other clinic's with the same receiverId; files addressed to another id are refused",
    ),
  submitterName: z.string(),
  receiverId: z.string().describe("1000B receiver and ISA08 of the files Carebill sends"),
  receiverName: z.string(),
  usageIndicator: z.enum(["P", "T"]).describe("ISA15: P production, T test"),
  sftpHost: z.string().nullable(),
  sftpPort: z.number().int().nullable(),
  sftpUsername: z.string().nullable(),
  hasPrivateKey: z.boolean().describe("The private key is write-only: only whether one is stored"),
  sftpUploadPath: z.string().nullable(),
  sftpDownloadPath: z.string().nullable(),
  sftpHostKeySha256: z
    .string()
    .nullable()
    .describe(
      "The SFTP server's host key fingerprint (SHA256:…, as ssh-keygen -lf prints it) that it must show: entered by an admin, or pinned on the first connection; null until then",
    ),
  lastPolledAt: z.string().nullable(),
  lastPollError: z.string().nullable(),
  updatedAt: z.string(),
});
export type ClearinghouseSettingsView = z.infer<typeof ZClearinghouseSettingsView>;
export type ClearinghouseConnection = ClearinghouseSettingsView["connection"];

export const ZClearinghouseFileKind = z.enum(["999", "277CA", "271", "835"]);
export type ClearinghouseFileKind = z.infer<typeof ZClearinghouseFileKind>;

/** One line of what importing a file did, in words (a claim accepted, a check answered, a set that matched nothing). */
export const ZImportSummaryLine = z.object({ claimId: z.string().optional(), message: z.string() });
export type ImportSummaryLine = z.infer<typeof ZImportSummaryLine>;

/** A payment of an 835 whose claim payments the background job posts (too many to post while the uploader waits). */
export const ZBackgroundPosting = z.object({
  remittanceId: z.string().describe("GET /api/v1/remittances/{id} shows how far posting has got"),
  claimPayments: z.number().int().describe("How many claim payments wait to be posted"),
});
export type BackgroundPosting = z.infer<typeof ZBackgroundPosting>;

export const ZImportResult = z.object({
  fileId: z.string(),
  kind: ZClearinghouseFileKind,
  summary: z.array(ZImportSummaryLine),
  postingInBackground: z
    .array(ZBackgroundPosting)
    .describe("An 835's payments left to the background job: the import returns once they are stored; empty when everything was posted during the import"),
});
export type ImportResult = z.infer<typeof ZImportResult>;

export const ZClearinghouseFileView = z.object({
  id: z.string(),
  kind: ZClearinghouseFileKind,
  source: z.enum(["upload", "sftp"]),
  fileName: z.string().describe("The uploaded file's name, or the remote path the poll fetched"),
  senderId: z.string().describe("ISA06"),
  interchangeControlNumber: z.string().describe("ISA13"),
  summary: z.array(ZImportSummaryLine),
  importedBy: z.string(),
  importedAt: z.string(),
});
export type ClearinghouseFileView = z.infer<typeof ZClearinghouseFileView>;

export type PollResult = {
  /** Claim batches put into the clearinghouse's inbox. */
  sent: { batchId: string; fileName: string }[];
  /** Eligibility requests (270) put into the clearinghouse's inbox. */
  sentEligibilityRequests: { checkId: string; fileName: string }[];
  /** Files fetched from the outbox and imported. */
  imported: (ImportResult & { fileName: string })[];
  /** Files fetched that could not be imported (archived, never fetched again), and other problems. */
  errors: string[];
};
