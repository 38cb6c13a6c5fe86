import { z } from "zod";
import "@/lib/validation/fields";
import type { Db, Tx } from "@/lib/db/client";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { sql, sqlOf } from "@/lib/db/sql";
import { AppError, type FieldErrors } from "@/lib/errors";
import { zRecordId } from "@/lib/http/record-id";
import { build837P, listClaimBatchProblems } from "@/lib/x12/build-837p";
import type { TClaimBatch837PInput } from "@/lib/x12/build-837p.types";
import { checkStructure } from "@/lib/x12/check-structure";
import { formatClaimNumber } from "./claim-number";
import { chargeSubmittedClaims } from "./claim-receivable";
import { BATCH_SELECT, toClaimBatchView } from "./claim-views";
import type { ClaimBatchView, ClaimStatus } from "./claims.types";
import { nextCounterValue } from "@/lib/db/locks";
import { inTransaction } from "@/lib/db/in-transaction";
import { get837PLoopMap } from "./loop-map-837p";
import { CLAIM_STATUS_LABELS, transitionClaim } from "./transition-claim";
import { loadBillingProvider, loadClaimsFor837P, type TClaim837PInput } from "./validate-claim";

export const ZCreateClaimBatchInput = z.strictObject({
  claimIds: z.array(zRecordId("Unknown claim.")).min(1, "Choose at least one ready claim.").max(500, "Send at most 500 claims in one file."),
  channel: z.enum(["download", "sftp"], { message: 'Choose "download" or "sftp".' }),
});
export type TCreateClaimBatchInput = z.input<typeof ZCreateClaimBatchInput>;

/** The 837's file name: the interchange control number, so a clearinghouse's answer names it back. */
export function claimBatchFileName(interchangeControlNumber: number): string {
  return `837P-${String(interchangeControlNumber).padStart(9, "0")}.x12`;
}

/** 10 digits of a US phone (PER TE), from the practice's contact phone or the clinic's E.164 phone. */
function usPhoneDigits(phone: string | null | undefined): string | undefined {
  const digits = (phone ?? "").replace(/\D/g, "");
  if (digits.length === 10) return digits;
  if (digits.length === 11 && digits.startsWith("1")) return digits.slice(1);
  return undefined;
}

const invalid = (message: string, fields: FieldErrors) => new AppError("VALIDATION_FAILED", message, { fields });

/**
 * Writes ready claims into one 837P file, in ONE transaction: locks the claims, validates them
 * again, allocates ISA13/GS06/ST02 from the organization's counters (a failed batch rolls its
 * numbers back: gapless), builds the file, checks it against the 837P loop map, stores the batch,
 * moves each claim ready → submitted and charges it to the payer in the ledger (chargeSubmittedClaims).
 * sentAt is now for a download, null for SFTP (the job sends it).
 */
export async function createClaimBatch(
  db: Db | Tx,
  options: { organizationId: string; actor: AuditActor; claimIds: string[]; channel: "download" | "sftp"; now?: Date },
): Promise<ClaimBatchView> {
  const { organizationId, actor } = options;
  const input = ZCreateClaimBatchInput.parse({ claimIds: options.claimIds, channel: options.channel });
  const now = options.now ?? new Date();
  const duplicates: FieldErrors = {};
  input.claimIds.forEach((id, index) => {
    if (input.claimIds.indexOf(id) !== index) duplicates[`claimIds.${index}`] = ["This claim is listed twice."];
  });
  if (Object.keys(duplicates).length > 0) throw invalid("A claim is listed twice.", duplicates);
  // Parsed before any lock is taken (about a second the first time in a process).
  const loopMap = get837PLoopMap();

  const batchId = await inTransaction(
    db,
    async (tx) => {
      // Lock the claims, and the claims the corrected and void ones replace (their insurance
      // balance moves: chargeSubmittedClaims), in id order (two batches over the same claims queue
      // instead of deadlocking).
      const ids = [...input.claimIds].sort();
      const locked = await sqlOf(tx).query<{ id: string; number: number; status: ClaimStatus }>(sql`
        SELECT id, number, status FROM claims
        WHERE organization_id = ${organizationId}::uuid
          AND (id = ANY(${ids}::uuid[])
               OR id IN (SELECT replaces_claim_id FROM claims WHERE organization_id = ${organizationId}::uuid AND id = ANY(${ids}::uuid[])))
        ORDER BY id
        FOR UPDATE`);
      const byId = new Map(locked.map((row) => [row.id, row]));
      if (ids.some((id) => !byId.has(id))) throw new AppError("NOT_FOUND", "One of the claims does not exist.");
      const notReady: FieldErrors = {};
      input.claimIds.forEach((id, index) => {
        const row = byId.get(id)!;
        if (row.status !== "ready") {
          notReady[`claimIds.${index}`] = [
            `${formatClaimNumber(row.number)} is ${CLAIM_STATUS_LABELS[row.status].toLowerCase()}, not ready to submit${row.status === "draft" ? ": validate it first" : ""}.`,
          ];
        }
      });
      if (Object.keys(notReady).length > 0) throw new AppError("CONFLICT", Object.values(notReady).flat().join(" "), { fields: notReady });

      const settings = await tx.clearinghouseSettings.findUnique({ where: { organizationId } });
      if (!settings) {
        throw new AppError("CONFLICT", "Set up the clearinghouse (submitter and receiver ids) in Settings → Clearinghouse before submitting claims.");
      }
      if (input.channel === "sftp" && settings.connection !== "sftp") {
        throw invalid("The clearinghouse is not connected by SFTP.", {
          channel: [
            "The clearinghouse connection is manual: download the file and upload it to the clearinghouse's portal, or set up SFTP in Settings → Clearinghouse.",
          ],
        });
      }
      // Validated again: the practice, payer, coverage or patient may have changed since.
      const loaded = await loadClaimsFor837P(tx, { organizationId, claimIds: input.claimIds, now });
      const problems: FieldErrors = {};
      loaded.forEach(({ problems: found }, index) => {
        if (found.length > 0)
          problems[`claimIds.${index}`] = found.map((problem) => `${formatClaimNumber(byId.get(input.claimIds[index]!)!.number)}: ${problem.message}`);
      });
      if (Object.keys(problems).length > 0) throw invalid("Some claims are no longer ready: validate them again.", problems);

      const billingProvider = (await loadBillingProvider(tx, { organizationId }))!;
      const { providerSignatureOnFile: _signature, ...billing } = billingProvider;
      const [organization, practice] = await Promise.all([
        tx.organization.findUniqueOrThrow({ where: { id: organizationId }, select: { timezone: true, phone: true, email: true } }),
        tx.practiceProfile.findUniqueOrThrow({ where: { organizationId }, select: { contactName: true, contactPhone: true, legalName: true } }),
      ]);
      const claims: TClaim837PInput[] = loaded.map((each) => each.input);
      const phone = usPhoneDigits(practice.contactPhone) ?? usPhoneDigits(organization.phone);
      const envelope = (controlNumbers: TClaimBatch837PInput["controlNumbers"]): TClaimBatch837PInput => ({
        usage: settings.usageIndicator === "T" ? "T" : "P",
        createdAt: now,
        timeZone: organization.timezone,
        controlNumbers,
        batchReference: `B${controlNumbers.interchange}`,
        interchangeSender: { qualifier: "ZZ", id: settings.submitterId },
        interchangeReceiver: { qualifier: "ZZ", id: settings.receiverId },
        acknowledgmentRequested: true,
        submitter: {
          name: settings.submitterName,
          id: settings.submitterId,
          contactName: practice.contactName || practice.legalName,
          ...(phone ? { phone } : {}),
          ...(!phone && organization.email ? { email: organization.email } : {}),
        },
        receiver: { name: settings.receiverName, id: settings.receiverId },
        billingProvider: billing,
        claims,
      });
      // What the claims' own validation cannot see: the submitter, receiver and contact of the file.
      const fileProblems = listClaimBatchProblems(envelope({ interchange: 1, group: 1, transactionSet: 1 }));
      if (fileProblems.length > 0) {
        const fields: FieldErrors = {};
        for (const problem of fileProblems) {
          const field = problem.path.startsWith("submitter.phone")
            ? "practice.contactPhone"
            : problem.path.startsWith("submitter") || problem.path.startsWith("receiver") || problem.path.startsWith("interchange")
              ? "clearinghouse"
              : problem.path;
          const where =
            field === "practice.contactPhone"
              ? " Set the billing contact's phone in Settings → Practice."
              : field === "clearinghouse"
                ? " Fix it in Settings → Clearinghouse."
                : "";
          (fields[field] ??= []).push(`${problem.message}${where}`);
        }
        throw invalid("The file cannot be written as the settings are.", fields);
      }

      // The counters last (lock order): every batch of the clinic queues here until COMMIT.
      const controlNumbers = {
        interchange: await nextCounterValue(tx, { organizationId, counter: "x12_interchange" }),
        group: await nextCounterValue(tx, { organizationId, counter: "x12_group" }),
        transactionSet: await nextCounterValue(tx, { organizationId, counter: "x12_transaction_set" }),
      };
      const content = build837P(envelope(controlNumbers));
      const structure = checkStructure(content, loopMap);
      if (structure.length > 0) {
        throw invalid("The 837P file does not pass its structure check; nothing was submitted.", {
          file: structure.slice(0, 20).map((problem) => (problem.segment ? `Segment ${problem.segment}: ${problem.message}` : problem.message)),
        });
      }
      const fileName = claimBatchFileName(controlNumbers.interchange);
      const totalCharge = claims.reduce((sum, claim) => sum + claim.totalChargeCents, 0);
      const batch = await tx.claimBatch.create({
        data: {
          organizationId,
          interchangeControlNumber: controlNumbers.interchange,
          groupControlNumber: controlNumbers.group,
          transactionSetControlNumber: controlNumbers.transactionSet,
          fileName,
          content,
          claimCount: claims.length,
          totalCharge,
          channel: input.channel,
          sentAt: input.channel === "download" ? now : null,
          createdBy: actor.label.slice(0, 200),
          createdAt: now,
        },
        select: { id: true },
      });
      await tx.claimBatchClaim.createMany({
        data: input.claimIds.map((claimId, index) => ({ batchId: batch.id, claimId, organizationId, claimNumber: claims[index]!.claimNumber })),
      });
      for (const claimId of input.claimIds) {
        await transitionClaim(tx, {
          organizationId,
          claimId,
          to: "submitted",
          kind: "submitted",
          actor,
          batchId: batch.id,
          message:
            input.channel === "download"
              ? `In file ${fileName}, downloaded for the clearinghouse.`
              : `In file ${fileName}, queued for the clearinghouse by SFTP.`,
          now,
        });
      }
      // The payer owes the claims from now: the receivable's journals, in this transaction.
      await chargeSubmittedClaims(tx, { organizationId, claimIds: input.claimIds, now });
      await recordAuditEvent(tx, {
        organizationId,
        actor,
        action: "claim_batch.created",
        target: { type: "claim_batch", id: batch.id },
        after: { fileName, channel: input.channel, claims: claims.map((claim) => claim.claimNumber), totalCharge, ...controlNumbers },
      });
      return batch.id;
    },
    // Batches of the clinic queue on the counters: give a busy moment room rather than Prisma's 10 s.
    { timeout: 60_000 },
  );
  return getClaimBatchOrThrow(db, { organizationId, batchId });
}

export async function getClaimBatchOrThrow(db: Db | Tx, options: { organizationId: string; batchId: string }): Promise<ClaimBatchView> {
  const row = await db.claimBatch.findFirst({ where: { id: options.batchId, organizationId: options.organizationId }, select: BATCH_SELECT });
  if (!row) throw new AppError("NOT_FOUND", "That claim batch does not exist.");
  return toClaimBatchView(row);
}

/** The organization's batches, newest first. */
export async function listClaimBatches(db: Db | Tx, options: { organizationId: string; limit?: number }): Promise<ClaimBatchView[]> {
  const rows = await db.claimBatch.findMany({
    where: { organizationId: options.organizationId },
    select: BATCH_SELECT,
    orderBy: [{ createdAt: "desc" }, { interchangeControlNumber: "desc" }],
    take: Math.min(Math.max(options.limit ?? 50, 1), 200),
  });
  return rows.map(toClaimBatchView);
}

/** The 837 file of a batch (audited as claim_batch.downloaded when an actor is given). */
export async function getClaimBatchFile(
  db: Db | Tx,
  options: { organizationId: string; batchId: string; actor?: AuditActor },
): Promise<{ fileName: string; content: string }> {
  const row = await db.claimBatch.findFirst({
    where: { id: options.batchId, organizationId: options.organizationId },
    select: { id: true, fileName: true, content: true },
  });
  if (!row) throw new AppError("NOT_FOUND", "That claim batch does not exist.");
  if (options.actor) {
    await recordAuditEvent(db, {
      organizationId: options.organizationId,
      actor: options.actor,
      action: "claim_batch.downloaded",
      target: { type: "claim_batch", id: row.id },
      after: { fileName: row.fileName },
    });
  }
  return { fileName: row.fileName, content: row.content };
}
