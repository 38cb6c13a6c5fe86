import { createHash } from "node:crypto";
import { z } from "zod";
import type { Db, Tx } from "@/lib/db/client";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import {
  findClaimBatchByControlNumbers,
  findClaimByClaimNumber,
  markClaimAccepted,
  markClaimRejected,
  recordBatchAcknowledgment,
} from "@/lib/claims/acknowledgments";
import { inTransaction } from "@/lib/db/in-transaction";
import { wallClockParts } from "@/lib/dates/format-date";
import { isUniqueViolation } from "@/lib/db/unique-violation";
import { sql, sqlOf } from "@/lib/db/sql";
import { zodFieldErrors, zodSummary } from "@/lib/http/error-response";
import { AppError } from "@/lib/errors";
import { applyEligibilityResponse } from "@/lib/insurance/eligibility";
import { postRemittance } from "@/lib/remittances/post-remittance";
import { INLINE_POSTING_LIMIT, queueLargeRemittances } from "@/lib/remittances/post-queued-remittance";
import { requestRemittancePosting } from "@/lib/remittances/request-remittance-posting";
import { storeRemittance } from "@/lib/remittances/store-remittance";
import { zSingleLineText } from "@/lib/validation/fields";
import { read277CA } from "@/lib/x12/read-277ca";
import { read999, type Acknowledgment999 } from "@/lib/x12/read-999";
import { elementOf, readOrExplain, readX12, type X12Interchange } from "@/lib/x12/read-x12";
import type { BackgroundPosting, ClearinghouseFileKind, ImportResult, ImportSummaryLine } from "./clearinghouse.types";

/** The largest file accepted (the API reads at most 1 MB too); a 999/277CA for 500 claims is far smaller. */
export const MAX_CLEARINGHOUSE_FILE_CHARACTERS = 1_000_000;

/** An uploaded file: its name (as shown in the list) and its text. */
export const ZImportClearinghouseFileInput = z.strictObject({
  fileName: zSingleLineText().min(1, "Give the file's name.").max(255, "Use a file name of at most 255 characters."),
  content: z
    .string("Send the file's text.")
    .min(1, "The file is empty.")
    .max(MAX_CLEARINGHOUSE_FILE_CHARACTERS, `The file is larger than ${MAX_CLEARINGHOUSE_FILE_CHARACTERS.toLocaleString("en-US")} characters.`),
});
export type TImportClearinghouseFileInput = z.input<typeof ZImportClearinghouseFileInput>;

function refuse(message: string, field = "content"): never {
  throw new AppError("VALIDATION_FAILED", message, { fields: { [field]: [message] } });
}

/** What the file holds, from its first transaction set (ST01) and implementation guide (ST03 or GS08). */
function kindOf(interchange: X12Interchange): ClearinghouseFileKind {
  const st = interchange.segments.find((segment) => segment.id === "ST");
  const gs = interchange.segments.find((segment) => segment.id === "GS");
  const id = st ? elementOf(st, 1) : "";
  const reference = (st ? elementOf(st, 3) : "") || (gs ? elementOf(gs, 8) : "");
  if (id === "999") return "999";
  if (id === "271") return "271";
  if (id === "835") return "835";
  if (id === "277" && reference.startsWith("005010X214")) return "277CA";
  if (id === "277")
    refuse(`This 277 follows ${reference || "no implementation guide"} (a claim status response), not 005010X214 (a 277CA claim acknowledgment).`);
  refuse(
    id
      ? `This file holds a ${id} transaction set; Carebill imports 999, 277CA, 271 and 835 files from the clearinghouse.`
      : "This file holds no transaction set (no ST segment).",
  );
}

type Envelope = { kind: ClearinghouseFileKind; senderId: string; receiverId: string; interchangeControlNumber: string; groupReceivers: string[] };

function readEnvelope(content: string): Envelope {
  return readOrExplain("an X12 file", () => {
    const interchange = readX12(content);
    const isa = interchange.segments[0]!;
    const interchangeControlNumber = elementOf(isa, 13).trim();
    if (!/^\d{9}$/.test(interchangeControlNumber)) refuse(`ISA13 (interchange control number) is "${interchangeControlNumber}": it must be 9 digits.`);
    if (!interchange.segments.some((segment) => segment.id === "IEA")) refuse("The file has no IEA segment: it was cut short.");
    return {
      kind: kindOf(interchange),
      senderId: elementOf(isa, 6).trim(),
      receiverId: elementOf(isa, 8).trim(),
      interchangeControlNumber,
      groupReceivers: interchange.segments.filter((segment) => segment.id === "GS").map((segment) => elementOf(segment, 3).trim()),
    };
  });
}

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

/**
 * Imports one file from the clearinghouse, in ONE transaction: either all its effects are applied
 * and the file is stored (ClearinghouseFile, with what it did in words), or nothing is written.
 *
 * Refused with 422 and nothing written: a file that is not a readable X12 interchange, one that is
 * addressed to another submitter (ISA08 or a GS03 other than the clinic's submitter id), one already
 * imported (same ISA06 + ISA13, or the same bytes), and a 999/277CA/271 its reader finds malformed.
 *
 * - 999: for each acknowledged transaction set (AK1 = GS06, AK2 = ST02 of our 837), the batch's
 *   verdict is recorded; a rejected set rejects each of its claims with the 999's reasons; accepted
 *   claims stay submitted until the 277CA.
 * - 277CA: each claim (TRN02 = CLM01, billed by our NPI) is accepted (with the payer's claim number) or rejected with
 *   the reasons; pending statuses change nothing.
 * - 271: applied by lib/insurance/eligibility (the check answered, the coverage's benefits updated).
 * - 835: each payment stored as remittance rows by lib/remittances/store-remittance (claim payments
 *   matched to claims, lines to claim lines, a payment that does not add up held for review), in
 *   this transaction; then, once it is committed, posted by lib/remittances/post-remittance (each
 *   claim payment in a transaction of its own, one that cannot be posted held with its reason). A
 *   file with more matched claim payments than `inlinePostingLimit` (INLINE_POSTING_LIMIT) is not
 *   posted here: its payments are marked for the background job in this transaction and handed to
 *   it (`requestPosting`) once committed, and the result lists them (`postingInBackground`). The
 *   same payment again stores and posts nothing new.
 * Claim numbers and control numbers that match nothing of this clinic are reported in the summary.
 */
export async function importClearinghouseFile(
  db: Db | Tx,
  options: {
    organizationId: string;
    actor: AuditActor;
    fileName: string;
    content: string;
    source: "upload" | "sftp";
    now?: Date;
    /** More matched claim payments than this are posted by the background job (tests lower it). */
    inlinePostingLimit?: number;
    /** Hands queued payments to the background job once the import is committed (tests replace it). */
    requestPosting?: typeof requestRemittancePosting;
  },
): Promise<ImportResult> {
  // Callers other than the API and the action (the SFTP poll) pass names and texts that were never parsed: a 422, not a ZodError.
  const parsed = ZImportClearinghouseFileInput.safeParse({ fileName: options.fileName, content: options.content });
  if (!parsed.success) {
    throw new AppError("VALIDATION_FAILED", parsed.error.issues[0]?.message ?? zodSummary(parsed.error), { fields: zodFieldErrors(parsed.error) });
  }
  const input = parsed.data;
  const { organizationId, actor, source } = options;
  const now = options.now ?? new Date();
  const envelope = readEnvelope(input.content);
  const hash = sha256(input.content);

  let imported: ImportResult & { remittanceIds: string[] };
  const inlinePostingLimit = options.inlinePostingLimit ?? INLINE_POSTING_LIMIT;
  try {
    imported = await inTransaction(db, async (tx) => {
      const settings = await tx.clearinghouseSettings.findUnique({ where: { organizationId }, select: { submitterId: true } });
      if (!settings) refuse("Set up the clearinghouse first (Settings → Clearinghouse): its submitter id tells which files are this clinic's.");
      const ours = settings.submitterId.toUpperCase();
      if (envelope.receiverId.toUpperCase() !== ours) {
        refuse(`This file is addressed to submitter "${envelope.receiverId}" (ISA08), not to this clinic's submitter id "${settings.submitterId}".`);
      }
      const otherGroup = envelope.groupReceivers.find((receiver) => receiver.toUpperCase() !== ours);
      if (otherGroup !== undefined) {
        refuse(`A functional group in this file is addressed to "${otherGroup}" (GS03), not to this clinic's submitter id "${settings.submitterId}".`);
      }
      await refuseIfImported(tx, { organizationId, senderId: envelope.senderId, interchangeControlNumber: envelope.interchangeControlNumber, sha256: hash });

      const file = await tx.clearinghouseFile.create({
        data: {
          organizationId,
          kind: envelope.kind,
          source,
          fileName: input.fileName,
          content: input.content,
          sha256: hash,
          senderId: envelope.senderId.slice(0, 15),
          interchangeControlNumber: envelope.interchangeControlNumber,
          importedBy: actor.label.slice(0, 200),
          importedAt: now,
        },
        select: { id: true },
      });
      const context = { tx, organizationId, actor, fileId: file.id, now };
      const remittanceIds: string[] = [];
      const postingInBackground: BackgroundPosting[] = [];
      const summary: ImportSummaryLine[] =
        envelope.kind === "999"
          ? await apply999(context, input.content)
          : envelope.kind === "277CA"
            ? await apply277CA(context, input.content)
            : envelope.kind === "271"
              ? (await applyEligibilityResponse(tx, { organizationId, actor, content: input.content, fileId: file.id, now })).map(({ message }) => ({
                  message,
                }))
              : await storeRemittance(tx, { organizationId, clearinghouseFileId: file.id, content: input.content }).then(async (stored) => {
                  remittanceIds.push(...stored.remittances.map((remittance) => remittance.remittanceId));
                  const queued = await queueLargeRemittances(tx, { remittanceIds, limit: inlinePostingLimit, now });
                  postingInBackground.push(...queued.queued);
                  return [...stored.summary, ...queued.summary];
                });
      await tx.clearinghouseFile.update({ where: { id: file.id }, data: { summary } });
      await recordAuditEvent(tx, {
        organizationId,
        actor,
        action: "clearinghouse_file.imported",
        target: { type: "clearinghouse_file", id: file.id },
        after: { kind: envelope.kind, fileName: input.fileName, source, interchangeControlNumber: envelope.interchangeControlNumber, changes: summary.length },
      });
      return { fileId: file.id, kind: envelope.kind, summary, postingInBackground, remittanceIds };
    });
  } catch (error) {
    // Two imports of the same file at once: the second waits on the unique index, then lands here.
    if (isUniqueViolation(error, "trace_number")) {
      refuse("A payment in this 835 was stored a moment ago from another file; import this file again to see which.");
    }
    if (isUniqueViolation(error)) {
      await refuseIfImported(db, { organizationId, senderId: envelope.senderId, interchangeControlNumber: envelope.interchangeControlNumber, sha256: hash });
      refuse("This file was imported a moment ago by another request.");
    }
    throw error;
  }
  const { remittanceIds, ...result } = imported;
  const queued = new Set(result.postingInBackground.map((each) => each.remittanceId));
  if (queued.size > 0) {
    // Stored and committed: the job posts them (its sweep too, should this hand-off be lost).
    const requestPosting = options.requestPosting ?? requestRemittancePosting;
    await requestPosting({ organizationId, actor, remittanceIds: [...queued] });
  }
  // Stored, then posted: each claim payment in a transaction of its own (lib/remittances/post-remittance.ts).
  // Beside queued ones, only payments with no claim payment to post are left (their PLB and status).
  const posted: ImportSummaryLine[] = [];
  for (const remittanceId of remittanceIds.filter((id) => !queued.has(id))) {
    posted.push(...(await postRemittance(db, { organizationId, remittanceId, actor, now })));
  }
  if (posted.length === 0) return result;
  // Appended in SQL: the job may be adding its own line to this file's summary meanwhile.
  await sqlOf(db).query(sql`UPDATE clearinghouse_files SET summary = summary || ${JSON.stringify(posted)}::jsonb WHERE id = ${result.fileId}::uuid`);
  return { ...result, summary: [...result.summary, ...posted] };
}

async function refuseIfImported(
  db: Db | Tx,
  options: { organizationId: string; senderId: string; interchangeControlNumber: string; sha256: string },
): Promise<void> {
  const earlier = await db.clearinghouseFile.findFirst({
    where: {
      organizationId: options.organizationId,
      OR: [{ sha256: options.sha256 }, { senderId: options.senderId.slice(0, 15), interchangeControlNumber: options.interchangeControlNumber }],
    },
    select: { fileName: true, importedAt: true, sha256: true, organization: { select: { timezone: true } } },
  });
  if (!earlier) return;
  const day = wallClockParts(earlier.importedAt, earlier.organization.timezone);
  const how = earlier.sha256 === options.sha256 ? "" : ` (same sender ${options.senderId} and interchange number ${options.interchangeControlNumber})`;
  refuse(`This file was already imported on ${day.year}-${day.month}-${day.day} (file ${earlier.fileName})${how}.`);
}

type ApplyContext = { tx: Tx; organizationId: string; actor: AuditActor; fileId: string; now: Date };

const controlNumber = (value: string): number | null => (/^\d{1,9}$/.test(value) && Number(value) > 0 ? Number(value) : null);

/** A 999: each acknowledged transaction set is one of our 837 batches (AK1-02 = GS06, AK2-02 = ST02). */
async function apply999(context: ApplyContext, content: string): Promise<ImportSummaryLine[]> {
  const { tx, organizationId, actor, fileId, now } = context;
  const result = read999(content);
  const summary: ImportSummaryLine[] = [];
  for (const acknowledgment of result.acknowledgments) {
    const group = controlNumber(acknowledgment.groupControlNumber);
    for (const set of setsOf(acknowledgment)) {
      const setNumber =
        set.controlNumber === "" && group !== null ? await onlySetOfGroup(tx, { organizationId, groupControlNumber: group }) : controlNumber(set.controlNumber);
      const batch =
        group !== null && setNumber !== null
          ? await findClaimBatchByControlNumbers(tx, { organizationId, groupControlNumber: group, transactionSetControlNumber: setNumber })
          : null;
      const label = `Group ${acknowledgment.groupControlNumber}, transaction set ${set.controlNumber || "(all)"}`;
      if (!batch) {
        summary.push({ message: `${label}: no claim file of this clinic has these control numbers; nothing changed.` });
        continue;
      }
      await recordBatchAcknowledgment(tx, { organizationId, batchId: batch.batchId, acknowledgment: set.outcome, at: now });
      if (set.outcome !== "rejected") {
        const words = set.outcome === "accepted" ? "accepted" : "accepted with errors";
        summary.push({
          message: `${label}: the file was ${words} (${batch.claimIds.length} claim${batch.claimIds.length === 1 ? "" : "s"} wait for the 277CA).`,
        });
        continue;
      }
      const reasons = (set.problems.length > 0 ? set.problems : [`The clearinghouse rejected the file: ${set.status}.`]).map((message) => ({
        source: "999" as const,
        message,
      }));
      for (const claimId of batch.claimIds) {
        const moved = await markClaimRejected(tx, { organizationId, claimId, actor, reasons, fileId, source: "999", now });
        summary.push({ claimId, message: moved.message });
      }
    }
  }
  return summary;
}

/** The sets a group acknowledges; a group rejected without AK2 (AK9*R) rejects its one set as a whole. */
function setsOf(
  acknowledgment: Acknowledgment999,
): { controlNumber: string; outcome: "accepted" | "accepted_with_errors" | "rejected"; status: string; problems: string[] }[] {
  if (acknowledgment.transactionSets.length > 0) {
    return acknowledgment.transactionSets.map((set) => ({
      controlNumber: set.controlNumber,
      outcome: set.outcome,
      status: set.status.meaning,
      problems: set.problems,
    }));
  }
  const outcome = acknowledgment.outcome === "partially_accepted" ? "accepted_with_errors" : acknowledgment.outcome;
  const problems = acknowledgment.groupErrors.map((error) => `Group ${acknowledgment.groupControlNumber}: ${error.meaning} (code ${error.code}).`);
  return [{ controlNumber: "", outcome, status: acknowledgment.status.meaning, problems }];
}

/** Carebill writes one transaction set per group: the ST02 of the batch with this GS06, for a 999 that judged the group without AK2. */
async function onlySetOfGroup(tx: Tx, options: { organizationId: string; groupControlNumber: number }): Promise<number | null> {
  const batch = await tx.claimBatch.findUnique({
    where: { organizationId_groupControlNumber: options },
    select: { transactionSetControlNumber: true },
  });
  return batch?.transactionSetControlNumber ?? null;
}

/** A 277CA: each claim by its patient control number (our CLM01). */
async function apply277CA(context: ApplyContext, content: string): Promise<ImportSummaryLine[]> {
  const { tx, organizationId, actor, fileId, now } = context;
  const result = read277CA(content);
  const summary: ImportSummaryLine[] = [];
  if (result.claims.length === 0) summary.push({ message: "The 277CA names no claim; nothing changed." });
  // Claim numbers start at CLM-000001 in every clinic: a 277CA meant for another practice (a billing
  // service submitting several clinics under one submitter id) would otherwise move our claim of the
  // same number. The billing provider's NPI echoed from the 837 must be ours.
  const practice = await tx.practiceProfile.findUnique({ where: { organizationId }, select: { npi: true } });
  for (const claim of result.claims) {
    const found = await findClaimByClaimNumber(tx, { organizationId, claimNumber: claim.patientControlNumber });
    if (!found) {
      summary.push({ message: `Claim ${claim.patientControlNumber}: not a claim of this clinic; nothing changed.` });
      continue;
    }
    if (claim.billingProviderNpi !== null && claim.billingProviderNpi !== practice?.npi) {
      summary.push({
        message: `Claim ${claim.patientControlNumber}: the 277CA names billing provider NPI ${claim.billingProviderNpi}, not this clinic's (${practice?.npi ?? "none set"}); nothing changed.`,
      });
      continue;
    }
    if (claim.outcome === "pending") {
      const status = claim.statuses.map((each) => each.category).join("; ") || "no status";
      summary.push({ claimId: found.id, message: `Claim ${claim.patientControlNumber}: pending (${status}); nothing changed.` });
      continue;
    }
    const moved =
      claim.outcome === "accepted"
        ? await markClaimAccepted(tx, {
            organizationId,
            claimId: found.id,
            actor,
            payerClaimNumber: claim.payerClaimControlNumber ?? undefined,
            fileId,
            message: claim.payerClaimControlNumber ? `Accepted by the payer (claim number ${claim.payerClaimControlNumber}).` : "Accepted by the payer.",
            now,
          })
        : await markClaimRejected(tx, {
            organizationId,
            claimId: found.id,
            actor,
            reasons: claim.reasons.map((message) => ({ source: "277CA" as const, message })),
            fileId,
            source: "277CA",
            now,
          });
    summary.push({ claimId: found.id, message: moved.message });
  }
  return summary;
}
