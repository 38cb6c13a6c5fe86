import { z } from "zod";
import "@/lib/validation/fields";
import type { Db, Tx } from "@/lib/db/client";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { sql, sqlOf } from "@/lib/db/sql";
import { AppError, type FieldErrors } from "@/lib/errors";
import { ZIcd10Cm, ZPlaceOfService, zX12Text } from "@/lib/insurance/identifier-schemas";
import { zRecordId } from "@/lib/http/record-id";
import { fromIsoDate, toIsoDate, todayIn } from "@/lib/invoices/dates";
import type { ClaimStatus, ClaimView } from "./claims.types";
import { inTransaction } from "@/lib/db/in-transaction";
import { getClaimOrThrow } from "./list-claims";
import { CLAIM_STATUS_LABELS, recordClaimEvent, transitionClaim } from "./transition-claim";
import { checkLines, checkRenderingProviders, MAX_SERVICE_LINES, TOTAL_TOO_LARGE, totalFitsClaim, ZVisitChargeInput } from "./visits";

/** A claim's line: a visit's line, whose rendering provider (2420A) is left out or null when it is the claim's. */
export const ZClaimLineInput = ZVisitChargeInput.extend({
  renderingProviderId: zRecordId("Choose one of the clinic's rendering providers.")
    .nullable()
    .optional()
    .describe("Who rendered this line when it is not the claim's rendering provider (loop 2420A); left out or null: the claim's"),
});

/** A partial edit of a draft claim: what is sent replaces the claim's (lines: all of them). */
export const ZUpdateDraftClaimInput = z.strictObject({
  diagnoses: z.array(ZIcd10Cm).min(1, "Enter at least one diagnosis (ICD-10-CM).").max(12, "A claim carries at most 12 diagnoses.").optional(),
  lines: z
    .array(ZClaimLineInput)
    .min(1, "A claim needs at least one service line.")
    .max(MAX_SERVICE_LINES, `A claim carries at most ${MAX_SERVICE_LINES} service lines.`)
    .refine(totalFitsClaim, TOTAL_TOO_LARGE)
    .optional(),
  placeOfService: ZPlaceOfService.optional(),
  renderingProviderId: zRecordId("Choose one of the clinic's rendering providers.").nullable().optional(),
  /** The payer's claim number (REF*F8 on a corrected or void claim). */
  payerClaimNumber: zX12Text(50).nullable().optional(),
});
export type TUpdateDraftClaimInput = z.input<typeof ZUpdateDraftClaimInput>;

const EDITABLE: readonly ClaimStatus[] = ["draft", "ready", "rejected"];

/**
 * Edits a draft, ready or rejected claim (what is sent replaces the claim's; lines all of them,
 * with the total recomputed); a ready or rejected one goes back to draft, to be validated again.
 * The same rules as a visit's lines apply (pointers, dates not in the future, ≤ 50 lines). A
 * rendering provider, the claim's or a line's, is one of the clinic's and not archived (unless it
 * is already on this claim); a line keeps its own only when it differs from the claim's.
 */
export async function updateDraftClaim(
  db: Db | Tx,
  options: { organizationId: string; actor: AuditActor; claimId: string; input: TUpdateDraftClaimInput; now?: Date },
): Promise<ClaimView> {
  const { organizationId, actor, claimId } = options;
  const input = ZUpdateDraftClaimInput.parse(options.input);
  const now = options.now ?? new Date();
  await inTransaction(db, async (tx) => {
    const [locked] = await sqlOf(tx).query<{ status: ClaimStatus }>(
      sql`SELECT status FROM claims WHERE id = ${claimId}::uuid AND organization_id = ${organizationId}::uuid FOR UPDATE`,
    );
    if (!locked) throw new AppError("NOT_FOUND", "That claim does not exist.");
    if (!EDITABLE.includes(locked.status)) {
      throw new AppError(
        "CONFLICT",
        `A claim that is ${CLAIM_STATUS_LABELS[locked.status].toLowerCase()} cannot be edited${locked.status === "accepted" ? ": create a corrected claim instead" : ""}.`,
      );
    }
    const claim = await tx.claim.findUniqueOrThrow({
      where: { id: claimId },
      include: { lines: { orderBy: { position: "asc" } }, organization: { select: { timezone: true } } },
    });
    const diagnoses = input.diagnoses ?? claim.diagnoses;
    const today = todayIn(claim.organization.timezone, now);
    const fields: FieldErrors = {};
    const lines =
      input.lines ??
      claim.lines.map((line) => ({
        serviceDate: toIsoDate(line.serviceDate)!,
        serviceDateEnd: line.serviceDateEnd ? toIsoDate(line.serviceDateEnd)! : undefined,
        diagnosisPointers: line.diagnosisPointers,
      }));
    checkLines(fields, { diagnoses, lines, linesKey: "lines", today });
    if (input.lines)
      input.lines.forEach((line, index) => !line.serviceDate && (fields[`lines.${index}.serviceDate`] ??= []).push("Enter the line's date of service."));
    const lineProviderIds = (input.lines ?? []).map((line) => line.renderingProviderId ?? null);
    const providers = await checkRenderingProviders(tx, {
      organizationId,
      ids: [input.renderingProviderId, ...lineProviderIds].filter((id): id is string => Boolean(id)),
    });
    // A provider archived after it was put on this claim may stay on it; only a new choice must take new claims.
    const onClaim = new Set([claim.renderingProviderId, ...claim.lines.map((line) => line.renderingProviderId)]);
    const checkProvider = (path: string, id: string | null | undefined) => {
      if (!id) return;
      if (providers.unknown.has(id)) fields[path] = ["Choose one of the clinic's rendering providers."];
      else if (providers.archived.has(id) && !onClaim.has(id)) fields[path] = ["This rendering provider is archived and takes no new claims."];
    };
    checkProvider("renderingProviderId", input.renderingProviderId);
    lineProviderIds.forEach((id, index) => checkProvider(`lines.${index}.renderingProviderId`, id));
    if (input.payerClaimNumber && claim.frequencyCode === "1") {
      fields.payerClaimNumber = ["Only a corrected or void claim quotes the payer's claim number."];
    }
    if (Object.keys(fields).length > 0) throw new AppError("VALIDATION_FAILED", "The claim cannot be saved as entered.", { fields });

    if (locked.status !== "draft") {
      await transitionClaim(tx, { organizationId, claimId, to: "draft", kind: "edited", actor, message: "Edited: validate it again before submitting.", now });
    } else {
      await recordClaimEvent(tx, { organizationId, claimId, status: "draft", kind: "edited", actor, message: "Edited.", now });
    }
    const placeOfService = input.placeOfService ?? claim.placeOfService;
    const renderingProviderId = input.renderingProviderId !== undefined ? input.renderingProviderId : claim.renderingProviderId;
    if (input.lines) {
      await tx.claimLine.deleteMany({ where: { claimId } });
      await tx.claimLine.createMany({
        data: input.lines.map((line, index) => ({
          organizationId,
          claimId,
          position: index + 1,
          procedureCode: line.procedureCode,
          modifiers: line.modifiers,
          description: line.description || null,
          units: line.units,
          chargeAmount: line.chargeAmount,
          serviceDate: fromIsoDate(line.serviceDate!),
          serviceDateEnd: line.serviceDateEnd && line.serviceDateEnd !== line.serviceDate ? fromIsoDate(line.serviceDateEnd) : null,
          placeOfService: line.placeOfService && line.placeOfService !== placeOfService ? line.placeOfService : null,
          // Stored only when it differs from the claim's (2420A); otherwise the line is the claim's provider's.
          renderingProviderId: line.renderingProviderId && line.renderingProviderId !== renderingProviderId ? line.renderingProviderId : null,
          diagnosisPointers: line.diagnosisPointers,
        })),
      });
    } else if (input.renderingProviderId) {
      // The claim now names the provider some lines named on their own: those lines are simply the claim's.
      await tx.claimLine.updateMany({ where: { claimId, renderingProviderId: input.renderingProviderId }, data: { renderingProviderId: null } });
    }
    await tx.claim.update({
      where: { id: claimId },
      data: {
        diagnoses,
        placeOfService,
        ...(input.renderingProviderId !== undefined ? { renderingProviderId: input.renderingProviderId } : {}),
        ...(input.payerClaimNumber !== undefined ? { payerClaimNumber: input.payerClaimNumber } : {}),
        ...(input.lines ? { totalCharge: input.lines.reduce((sum, line) => sum + line.chargeAmount, 0) } : {}),
        // The stored problems described the claim before this edit.
        problems: [],
      },
    });
    await recordAuditEvent(tx, {
      organizationId,
      actor,
      action: "claim.edited",
      target: { type: "claim", id: claimId },
      before: { status: locked.status, diagnoses: claim.diagnoses, lines: claim.lines.length, totalCharge: claim.totalCharge },
      after: { fields: Object.keys(input) },
    });
  });
  return getClaimOrThrow(db, { organizationId, claimId, now });
}
