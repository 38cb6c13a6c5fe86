"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { authedAction } from "@/lib/http/action";
import { zRecordId } from "@/lib/http/record-id";
import type { ClaimView } from "@/lib/claims/claims.types";
import { createClaimFromVisit } from "@/lib/claims/create-claim";
import { validateClaim } from "@/lib/claims/validate-claim";
import { updateDraftClaim, ZUpdateDraftClaimInput } from "@/lib/claims/edit-claim";
import { closeClaim, createCorrectedClaim, createVoidClaim, ZCloseClaimInput } from "@/lib/claims/correct-claim";
import { createSecondaryClaimOrThrow } from "@/lib/claims/secondary-claim";

/** The pages that show a claim: its own, the work list, its visit and its patient. */
function refreshClaimPages(claim: Pick<ClaimView, "id" | "visitId" | "patient">) {
  revalidatePath(`/app/claims/${claim.id}`);
  revalidatePath("/app/claims");
  revalidatePath(`/app/visits/${claim.visitId}`);
  revalidatePath(`/app/patients/${claim.patient.id}`);
}

const ZCreateClaimActionInput = z.object({ visitId: zRecordId("Unknown visit."), coverageId: zRecordId("Unknown coverage.").optional() });

/** A draft claim from a visit's charges, for the coverage chosen or the primary one in force on the service date. */
export const createClaimAction = authedAction(
  { name: "claim.create", role: "billing", schema: ZCreateClaimActionInput },
  async ({ visitId, coverageId }, auth) => {
    const claim = await createClaimFromVisit(await getDb(), { organizationId: auth.organization.id, actor: auth.actor, visitId, coverageId });
    refreshClaimPages(claim);
    return { id: claim.id, displayNumber: claim.displayNumber };
  },
);

const ZClaimIdInput = z.object({ claimId: zRecordId("Unknown claim.") });

/** Checks a draft against everything the 837P needs: none → ready; some → stays draft with the problems in words. */
export const validateClaimAction = authedAction({ name: "claim.validate", role: "billing", schema: ZClaimIdInput }, async ({ claimId }, auth) => {
  const { claim, problems } = await validateClaim(await getDb(), { organizationId: auth.organization.id, actor: auth.actor, claimId });
  refreshClaimPages(claim);
  return { status: claim.status, problems };
});

// Flat (not { claimId, input }) so field errors name the form's fields ("lines.0.units").
const ZUpdateDraftClaimActionInput = ZUpdateDraftClaimInput.extend({ claimId: zRecordId("Unknown claim.") });

/** Edits a draft, ready or rejected claim (a ready or rejected one goes back to draft, to validate again). */
export const updateDraftClaimAction = authedAction(
  { name: "claim.update", role: "billing", schema: ZUpdateDraftClaimActionInput },
  async ({ claimId, ...input }, auth) => {
    const claim = await updateDraftClaim(await getDb(), { organizationId: auth.organization.id, actor: auth.actor, claimId, input });
    refreshClaimPages(claim);
    return { id: claim.id };
  },
);

const REPLACEMENTS = { correct: createCorrectedClaim, void: createVoidClaim } as const;

function replacementAction(kind: keyof typeof REPLACEMENTS) {
  return authedAction({ name: `claim.${kind}`, role: "billing", schema: ZClaimIdInput }, async ({ claimId }, auth) => {
    const replacement = await REPLACEMENTS[kind](await getDb(), { organizationId: auth.organization.id, actor: auth.actor, claimId });
    refreshClaimPages(replacement);
    revalidatePath(`/app/claims/${claimId}`);
    return { id: replacement.id, displayNumber: replacement.displayNumber };
  });
}

/** A corrected claim (frequency 7) replacing an accepted one: a new draft carrying the payer's claim number. */
export const correctClaimAction = replacementAction("correct");
/** A void claim (frequency 8) cancelling an accepted one at the payer: a new draft. */
export const voidClaimAction = replacementAction("void");

/**
 * The claim to the patient's next payer (secondary after the primary) for a claim whose remittance is
 * posted, carrying its adjudication; refused in words (no such coverage on the date of service, not
 * posted yet, one already there).
 */
export const createSecondaryClaimAction = authedAction(
  { name: "claim.create_secondary", role: "billing", schema: ZClaimIdInput },
  async ({ claimId }, auth) => {
    const secondary = await createSecondaryClaimOrThrow(await getDb(), { organizationId: auth.organization.id, actor: auth.actor, claimId });
    refreshClaimPages(secondary);
    revalidatePath(`/app/claims/${claimId}`);
    return { id: secondary.id, displayNumber: secondary.displayNumber };
  },
);

const ZCloseClaimActionInput = ZCloseClaimInput.extend({ claimId: zRecordId("Unknown claim.") });

/** Closes a claim for good (nothing more is sent or expected), with the reason in its history. */
export const closeClaimAction = authedAction({ name: "claim.close", role: "billing", schema: ZCloseClaimActionInput }, async ({ claimId, reason }, auth) => {
  const claim = await closeClaim(await getDb(), { organizationId: auth.organization.id, actor: auth.actor, claimId, reason });
  refreshClaimPages(claim);
  return { id: claim.id };
});
