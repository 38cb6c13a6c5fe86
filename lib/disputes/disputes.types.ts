import { z } from "zod";
import { ZCalendarDate, zMultilineText } from "@/lib/validation/fields";

/** Where a dispute stands at the card network (Stripe's statuses; `warning_*` for inquiries). */
export type { DisputeStatus } from "@/lib/db/generated/enums";

/** Staff recording, for the clinic's own file, the evidence they submitted in Stripe's dashboard. */
export const ZRecordDisputeEvidenceInput = z.object({
  note: zMultilineText().min(3, "Describe what you submitted (at least 3 characters).").max(5000, "Use at most 5,000 characters."),
  /** YYYY-MM-DD; today when left out. */
  submittedOn: ZCalendarDate.optional(),
});
export type TRecordDisputeEvidenceInput = z.input<typeof ZRecordDisputeEvidenceInput>;

/** After a lost chargeback: the patient owes the amount again, or the clinic absorbs it. */
export const ZResolveLostDisputeInput = z.object({
  resolution: z.enum(["reopened", "written_off"], "Choose to reopen the balance or write it off."),
});
export type TResolveLostDisputeInput = z.input<typeof ZResolveLostDisputeInput>;
