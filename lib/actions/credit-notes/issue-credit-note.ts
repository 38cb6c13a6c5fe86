"use server";

import { getDb } from "@/lib/db/client";
import { ZIssueCreditNoteInput } from "@/lib/credit-notes/credit-notes.types";
import { issueCreditNote } from "@/lib/credit-notes/issue-credit-note";
import { authedAction } from "@/lib/http/action";
import { zRecordId } from "@/lib/http/record-id";
import { refreshStaffPages } from "../refresh-staff-pages";

const ZIssueCreditNoteActionInput = ZIssueCreditNoteInput.extend({ invoiceId: zRecordId("Unknown invoice.") });

export const issueCreditNoteAction = authedAction(
  { name: "credit_note.issue", role: "billing", schema: ZIssueCreditNoteActionInput },
  async ({ invoiceId, ...input }, auth) => {
    const creditNote = await issueCreditNote(await getDb(), { organizationId: auth.organization.id, invoiceId, actor: auth.actor, input });
    refreshStaffPages();
    return { id: creditNote.id, number: creditNote.number };
  },
);
