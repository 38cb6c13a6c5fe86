import { z } from "zod";
import { zRecordId } from "@/lib/http/record-id";
import { ZVisitInput } from "@/lib/claims/visits";

/** POST /visits: the visit of one patient. */
export const ZRecordVisitBody = ZVisitInput.extend({ patientId: zRecordId("Choose a patient.") });

/** POST /claims: a claim from a visit, to the coverage given or the primary in force on the service date. */
export const ZCreateClaimBody = z.strictObject({
  visitId: zRecordId("Choose a visit."),
  coverageId: zRecordId("Choose one of the patient's coverages.").optional(),
});

export const ZListClaimBatchesQuery = z.object({
  limit: z.coerce.number().int().min(1, "At least 1.").max(200, "At most 200.").default(50),
});

export { ZUpdateDraftClaimInput as ZPatchClaimBody } from "@/lib/claims/edit-claim";
export { ZCloseClaimInput as ZCloseClaimBody } from "@/lib/claims/correct-claim";
export { ZCreateClaimBatchInput as ZCreateClaimBatchBody } from "@/lib/claims/submit-claims";
export { ZClaimListQuery as ZListClaimsQuery } from "@/lib/claims/list-claims";
