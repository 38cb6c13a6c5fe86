"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { ZIssueCreditNoteInput } from "@/lib/credit-notes/credit-notes.types";
import { issueCreditNote } from "@/lib/credit-notes/issue-credit-note";
import { authedAction } from "@/lib/http/action";

const ZIssueCreditNoteActionInput = ZIssueCreditNoteInput.extend({ invoiceId: z.string().uuid("Unknown invoice.") });

export const issueCreditNoteAction = authedAction({ name: "credit_note.issue", role: "billing", schema: ZIssueCreditNoteActionInput }, async ({ invoiceId, ...input }, auth) => {
  const creditNote = await issueCreditNote(await getDb(), { organizationId: auth.organization.id, invoiceId, actor: auth.actor, input });
  revalidatePath("/app", "layout");
  return { id: creditNote.id, number: creditNote.number };
});
