"use server";

import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { authedAction } from "@/lib/http/action";
import { zRecordId } from "@/lib/http/record-id";
import { getRemittancePostingOrThrow } from "@/lib/remittances/list-remittances";

/** Anyone who can read the remittance: how far the background job has posted it (the page asks every few seconds while it posts). */
export const getRemittancePostingAction = authedAction(
  { name: "remittance.posting", role: "viewer", schema: z.strictObject({ remittanceId: zRecordId("Unknown remittance.") }) },
  async ({ remittanceId }, auth) => getRemittancePostingOrThrow(await getDb(), { organizationId: auth.organization.id, remittanceId }),
);
