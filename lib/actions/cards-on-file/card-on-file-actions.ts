"use server";

import { headers } from "next/headers";
import { z } from "zod";
import { createCardLink, revokeCardLinks } from "@/lib/card-links/create-card-link";
import { completeCardSetup } from "@/lib/cards-on-file/apply-setup-intent";
import { removeCard } from "@/lib/cards-on-file/remove-card";
import { setDefaultCard } from "@/lib/cards-on-file/set-default-card";
import { startCardSetup } from "@/lib/cards-on-file/start-card-setup";
import { getDb } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { authedAction } from "@/lib/http/action";
import { clientIpFromHeaders } from "@/lib/http/client-ip";
import { zRecordId } from "@/lib/http/record-id";
import { requestEmailDelivery } from "@/lib/email/request-email-delivery";
import { refreshStaffPages } from "../refresh-staff-pages";

const ZStartInput = z.object({
  patientId: zRecordId("Unknown patient."),
  acceptedTerms: z.boolean({ error: "acceptedTerms must be true or false." }),
  makeDefault: z.boolean().default(true),
});

/** Front desk: staff tick "the patient agreed" (recorded as staff_on_behalf, with their IP and browser) and get a SetupIntent for Elements. */
export const startDeskCardSetupAction = authedAction({ name: "card_on_file.start", role: "billing", schema: ZStartInput }, async (input, auth) => {
  const requestHeaders = await headers();
  const started = await startCardSetup(await getDb(), {
    organizationId: auth.organization.id,
    patientId: input.patientId,
    source: "front_desk",
    by: { kind: "staff_on_behalf", userId: auth.user.id },
    acceptedTerms: input.acceptedTerms,
    makeDefault: input.makeDefault,
    ip: clientIpFromHeaders(requestHeaders),
    userAgent: requestHeaders.get("user-agent"),
    actor: auth.actor,
  });
  return { setupId: started.setupId, clientSecret: started.clientSecret, publishableKey: getEnv().STRIPE_PUBLISHABLE_KEY ?? null };
});

const ZCompleteInput = z.object({ patientId: zRecordId("Unknown patient."), setupId: zRecordId("Unknown card setup.") });

/** Front desk: back from confirmSetup, the card is saved (unless the webhook did it first). */
export const completeDeskCardSetupAction = authedAction({ name: "card_on_file.complete", role: "billing", schema: ZCompleteInput }, async (input, auth) => {
  const result = await completeCardSetup(await getDb(), { organizationId: auth.organization.id, patientId: input.patientId, setupId: input.setupId });
  refreshStaffPages();
  return { state: result?.state ?? "failed", message: result && result.state !== "saved" ? result.message : null };
});

const ZCardInput = z.object({ patientId: zRecordId("Unknown patient."), cardId: zRecordId("Unknown card.") });

export const setDefaultCardAction = authedAction({ name: "card_on_file.make_default", role: "billing", schema: ZCardInput }, async (input, auth) => {
  await setDefaultCard(await getDb(), { organizationId: auth.organization.id, patientId: input.patientId, cardId: input.cardId, actor: auth.actor });
  refreshStaffPages();
});

export const removeCardAction = authedAction({ name: "card_on_file.remove", role: "billing", schema: ZCardInput }, async (input, auth) => {
  await removeCard(await getDb(), { organizationId: auth.organization.id, patientId: input.patientId, cardId: input.cardId, actor: auth.actor });
  refreshStaffPages();
});

const ZLinkInput = z.object({ patientId: zRecordId("Unknown patient."), email: z.boolean() });

/** A new card link for the patient (revoking the previous one), emailed or to copy. */
export const createCardLinkAction = authedAction({ name: "card_link.create", role: "billing", schema: ZLinkInput }, async (input, auth) => {
  const link = await createCardLink(await getDb(), { organizationId: auth.organization.id, patientId: input.patientId, actor: auth.actor, email: input.email });
  if (input.email) await requestEmailDelivery();
  refreshStaffPages();
  return link;
});

export const revokeCardLinkAction = authedAction(
  { name: "card_link.revoke", role: "billing", schema: z.object({ patientId: zRecordId("Unknown patient.") }) },
  async (input, auth) => {
    await revokeCardLinks(await getDb(), { organizationId: auth.organization.id, patientId: input.patientId, actor: auth.actor });
    refreshStaffPages();
  },
);
